/**
 * A table printed the way bureaus file it, on A4: the title (e.g. 铁西区校外培训机构白名单（2026年11月）), a line
 * with the issuing unit and date, a framed table whose header repeats on every page and whose rows never
 * break across pages, and a closing 落款 (issuing unit, date). Printing hides the shell (print-sheet.css);
 * "打印" uses the browser's print (or save as PDF). Used by the training and complaints print views.
 */
import { useEffect, type ReactNode } from 'react';
import { Button, Card, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import './print-sheet.css';

export interface PrintColumn<R> {
  title: string;
  /** A CSS width (e.g. '4em', '18%'); the rest share what is left. */
  width?: string;
  align?: 'left' | 'center' | 'right';
  render: (row: R, index: number) => ReactNode;
}

/** 2026-11-28 → 2026年11月28日 (or 2026年11月). */
export function zhDate(date: string, monthOnly = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return monthOnly ? `${y}年${m}月` : `${y}年${m}月${d}日`;
}

export function PrintSheet<R>({
  title,
  issuer,
  date,
  note,
  columns,
  rows,
  rowKey,
  summary,
  loading,
  landscape = true,
  texts,
}: {
  title: string;
  issuer: string;
  /** The date of issue (YYYY-MM-DD). */
  date: string;
  /** A line under the title: the period, the definition, the count. */
  note?: ReactNode;
  columns: PrintColumn<R>[];
  rows: R[];
  rowKey: (row: R, index: number) => string;
  /** A closing line above the 落款 (e.g. the sentence "关停X所，取缔Y所，学转非Z所"). */
  summary?: ReactNode;
  loading?: boolean;
  landscape?: boolean;
  texts: { back: string; print: string; issuer: string; date: string; empty: string };
}) {
  const navigate = useNavigate();
  // The browser's print dialog offers the title as the PDF's file name.
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
  return (
    <div className="print-sheet-page">
      <style>{`@media print { @page { size: A4 ${landscape ? 'landscape' : 'portrait'}; margin: 14mm 12mm; } }`}</style>
      <div className="print-sheet-toolbar no-print">
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
          {texts.back}
        </Button>
        <Space wrap>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            disabled={loading}
            data-testid="print-sheet-print"
          >
            {texts.print}
          </Button>
        </Space>
      </div>
      {loading ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : (
        <article
          className={`print-sheet ${landscape ? 'print-sheet-landscape' : 'print-sheet-portrait'}`}
          data-testid="print-sheet"
        >
          <h1 className="print-sheet-title" data-testid="print-sheet-title">
            {title}
          </h1>
          <div className="print-sheet-meta">
            <span>
              {texts.issuer}
              {issuer}
            </span>
            <span>
              {texts.date}
              {zhDate(date)}
            </span>
          </div>
          {note ? <div className="print-sheet-note">{note}</div> : null}
          <table className="print-sheet-table" data-testid="print-sheet-table">
            <colgroup>
              {columns.map((c, i) => (
                <col key={i} style={c.width ? { width: c.width } : undefined} />
              ))}
            </colgroup>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i}>{c.title}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={columns.length} className="print-sheet-empty">
                    {texts.empty}
                  </td>
                </tr>
              ) : (
                rows.map((r, i) => (
                  <tr key={rowKey(r, i)}>
                    {columns.map((c, k) => (
                      <td key={k} style={c.align ? { textAlign: c.align } : undefined}>
                        {c.render(r, i)}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {summary ? <p className="print-sheet-summary">{summary}</p> : null}
          <div className="print-sheet-sign">
            <div>{issuer}</div>
            <div>{zhDate(date)}</div>
          </div>
        </article>
      )}
    </div>
  );
}
