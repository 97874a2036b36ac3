/**
 * 整改通知书: the printable rectification notice (GET /api/findings/notices/:id) as an A4 document —
 * 文号 top right, title, the recipient, the items in a bordered table (序号, 问题描述, 依据, 整改时限),
 * the deadline sentence, the issuing unit and date (落款), and a 回执 to cut off and return.
 * Printing hides the shell (findings.css @media print); "打印" uses the browser's print (or save as PDF).
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Result, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { findingSeverityLabels, label, type Notice } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { NotFound } from '../errors/index.tsx';
import { longDate } from './components/labels.tsx';
import { useFindingI18n } from './messages.ts';
import './findings.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function NoticePage() {
  const { id = '' } = useParams();
  const valid = UUID.test(id);
  const { t, f, lang } = useFindingI18n();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    setError(null);
    api
      .get<Notice>(`/api/findings/notices/${id}`, undefined, controller.signal)
      .then(setNotice, (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(
          isApiError(err)
            ? { status: err.status, message: err.message }
            : { status: 0, message: t('result.error') },
        );
      });
    return () => controller.abort();
  }, [id, valid, tick, t]);

  // The browser's print dialog offers the notice number as the PDF's file name.
  useEffect(() => {
    if (!notice) return;
    const previous = document.title;
    document.title = `${notice.no} ${f('fd.noticeTitle')}`;
    return () => {
      document.title = previous;
    };
  }, [notice, f]);

  if (!valid || error?.status === 404) return <NotFound />;
  if (error && !notice)
    return (
      <Card>
        <Result
          status={error.status === 403 ? '403' : 'error'}
          title={f('fd.noticeLoadFailed')}
          subTitle={error.message}
          extra={
            <Button type="primary" onClick={() => setTick((n) => n + 1)}>
              {t('result.retry')}
            </Button>
          }
        />
      </Card>
    );
  if (!notice || notice.id !== id)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );

  const deadline = longDate(notice.deadline, lang);
  const issued = longDate(notice.issuedOn, lang);

  return (
    <div className="notice-page">
      <div className="notice-toolbar no-print">
        <Link to="/findings">
          <Button icon={<ArrowLeftOutlined />}>{f('fd.openLedger')}</Button>
        </Link>
        <Space wrap>
          <Link to={`/findings?noticeId=${notice.id}`}>
            <Button icon={<UnorderedListOutlined />}>{f('fd.noticeViewItems')}</Button>
          </Link>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            data-testid="notice-print"
          >
            {f('fd.print')}
          </Button>
        </Space>
      </div>
      <article className="notice-paper" data-testid="notice-document">
        <div className="notice-no" data-testid="notice-no">
          {notice.no}
        </div>
        <h1 className="notice-title">{f('fd.noticeTitle')}</h1>
        <p className="notice-recipient" data-testid="notice-recipient">
          {f('fd.noticeSchool')}
          <u>{notice.recipient.name}</u>
        </p>
        <p className="notice-para">{f('fd.noticeIntro')}</p>
        <table className="notice-table" data-testid="notice-items">
          <colgroup>
            <col className="notice-col-seq" />
            <col />
            <col className="notice-col-basis" />
            <col className="notice-col-deadline" />
          </colgroup>
          <thead>
            <tr>
              <th>{f('fd.noticeSeq')}</th>
              <th>{f('fd.noticeProblem')}</th>
              <th>{f('fd.noticeBasis')}</th>
              <th>{f('fd.noticeDeadlineCol')}</th>
            </tr>
          </thead>
          <tbody>
            {notice.items.map((it, i) => (
              <tr key={it.findingId}>
                <td className="notice-center">{i + 1}</td>
                <td>
                  <div className="notice-item-title">
                    {it.severity !== 'general' ? (
                      <span className="notice-severity">
                        【{label(findingSeverityLabels, it.severity, lang)}】
                      </span>
                    ) : null}
                    {it.title}
                  </div>
                  {it.location ? <div className="notice-item-sub">{it.location}</div> : null}
                  {it.description ? <div className="notice-item-sub">{it.description}</div> : null}
                  <div className="notice-item-no">{it.no}</div>
                </td>
                <td>{it.basis ?? ''}</td>
                <td className="notice-center">{longDate(it.deadline, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {notice.note ? (
          <p className="notice-para">
            {f('fd.noticeNoteLabel')}
            {notice.note}
          </p>
        ) : null}
        <p className="notice-para" data-testid="notice-deadline">
          {f('fd.noticeDemand', { date: deadline, issuer: notice.issuer.name })}
        </p>
        {f('fd.noticeRegards') ? <p className="notice-para">{f('fd.noticeRegards')}</p> : null}
        <div className="notice-sign" data-testid="notice-issuer">
          <div>{notice.issuer.name}</div>
          <div className="notice-seal">{f('fd.noticeSeal')}</div>
          <div>{issued}</div>
        </div>
        <div className="notice-cut">
          <span>{f('fd.cutHere')}</span>
        </div>
        <section className="notice-receipt" data-testid="notice-receipt">
          <h2 className="notice-receipt-title">{f('fd.receipt')}</h2>
          <p className="notice-para">
            {f('fd.receiptText', { issuer: notice.issuer.name, no: notice.no, date: deadline })}
          </p>
          <div className="notice-receipt-grid">
            <div>
              {f('fd.noticeSchool')}
              <span className="notice-fill">{notice.recipient.name}</span>
            </div>
            <div>
              {f('fd.receiptPrincipal')}
              <span className="notice-fill">{notice.recipient.principal ?? ''}</span>
            </div>
            <div>
              {f('fd.receiptSigner')}
              <span className="notice-fill" />
            </div>
            <div>
              {f('fd.receiptDate')}
              <span className="notice-fill">{lang === 'zh' ? '　　　　年　　月　　日' : ''}</span>
            </div>
          </div>
          <div className="notice-receipt-seal">{f('fd.receiptSeal')}</div>
        </section>
      </article>
    </div>
  );
}
