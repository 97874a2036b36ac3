/**
 * Findings as a table (desktop: overdue rows red, optional selection for issuing a notice) or as cards
 * (phone).
 */
import { Link } from 'react-router-dom';
import { Card, Empty, Pagination, Spin, Table, Typography } from 'antd';
import type { TableColumnsType, TablePaginationConfig } from 'antd';
import { findingCategoryLabels, findingSourceLabels, label, type Finding } from '@dudao/contracts';
import { useIsMobile } from '../../../app/responsive.ts';
import { useFindingI18n } from '../messages.ts';
import { FindingStatusTag, OverdueTags, SeverityTag, deadlineHint } from './labels.tsx';

interface Props {
  items: Finding[];
  loading: boolean;
  pagination: TablePaginationConfig | false;
  /** Rows that may be ticked (desktop), and what is ticked. */
  selection?: {
    selected: string[];
    onChange: (ids: string[], rows: Finding[]) => void;
    selectable: (finding: Finding) => boolean;
  };
  hideUnit?: boolean;
}

export function FindingList({ items, loading, pagination, selection, hideUnit }: Props) {
  const { f, lang } = useFindingI18n();
  const isMobile = useIsMobile();
  const emptyView = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={f('fd.empty')} />;

  if (isMobile) {
    return (
      <div data-testid="finding-list">
        <Spin spinning={loading}>
          {items.length === 0 && !loading ? emptyView : null}
          <div className="finding-cards">
            {items.map((it) => (
              <Link
                key={it.id}
                to={`/findings/${it.id}`}
                className="finding-card-link"
                data-testid="finding-card"
              >
                <Card
                  size="small"
                  className={`finding-card${it.overdue && it.status !== 'closed' ? ' finding-card-overdue' : ''}`}
                >
                  <div className="finding-card-head">
                    <span className="finding-card-title">{it.title}</span>
                    <FindingStatusTag status={it.status} />
                  </div>
                  <div className="finding-card-line">
                    <span>{hideUnit ? label(findingCategoryLabels, it.category, lang) : it.unitName}</span>
                    <span className={it.overdue && it.status !== 'closed' ? 'text-danger' : undefined}>
                      {f('fd.deadline')} {it.deadline}
                    </span>
                  </div>
                  <div className="finding-card-tags">
                    <SeverityTag severity={it.severity} />
                    <OverdueTags finding={it} />
                    <span className="finding-card-no mono">{it.no}</span>
                  </div>
                </Card>
              </Link>
            ))}
          </div>
        </Spin>
        {pagination && pagination.onChange && (pagination.total ?? 0) > 0 ? (
          <Pagination
            simple
            size="small"
            className="finding-cards-pager"
            current={pagination.current}
            pageSize={pagination.pageSize}
            total={pagination.total}
            onChange={pagination.onChange}
          />
        ) : null}
      </div>
    );
  }

  const columns: TableColumnsType<Finding> = [
    {
      title: f('fd.no'),
      dataIndex: 'no',
      width: 150,
      render: (v: string, it) => (
        <Link to={`/findings/${it.id}`} className="nowrap" data-testid="finding-row-open">
          {v}
        </Link>
      ),
    },
    {
      title: f('fd.problem'),
      dataIndex: 'title',
      render: (v: string, it) => (
        <div className="finding-title-cell">
          <Link to={`/findings/${it.id}`} className="finding-title-link">
            {v}
          </Link>
          <span className="finding-title-tags">
            <SeverityTag severity={it.severity} />
            <OverdueTags finding={it} />
          </span>
        </div>
      ),
    },
    ...(hideUnit
      ? []
      : [
          {
            title: f('fd.unit'),
            dataIndex: 'unitName',
            width: 160,
            ellipsis: { showTitle: true },
          },
        ]),
    {
      title: f('fd.category'),
      dataIndex: 'category',
      width: 110,
      ellipsis: { showTitle: true },
      render: (v: Finding['category']) => label(findingCategoryLabels, v, lang),
    },
    {
      title: f('fd.source'),
      dataIndex: 'source',
      width: 92,
      render: (v: Finding['source']) => label(findingSourceLabels, v, lang),
    },
    {
      title: f('fd.raisedOn'),
      dataIndex: 'raisedOn',
      width: 104,
      render: (v: string) => <span className="mono nowrap">{v}</span>,
    },
    {
      title: f('fd.deadline'),
      dataIndex: 'deadline',
      width: 112,
      render: (v: string, it) => (
        <div className={it.overdue && it.status !== 'closed' ? 'text-danger' : undefined}>
          <span className="mono nowrap">{v}</span>
          {it.status !== 'closed' ? (
            <Typography.Text type={it.overdue ? 'danger' : 'secondary'} className="small finding-due-hint">
              {deadlineHint(it, f)}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      title: f('fd.status'),
      dataIndex: 'status',
      width: 100,
      render: (v: Finding['status']) => <FindingStatusTag status={v} />,
    },
  ];

  return (
    <Table<Finding>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination}
      scroll={{ x: 980 }}
      locale={{ emptyText: emptyView }}
      rowClassName={(it) => (it.overdue && it.status !== 'closed' ? 'finding-row-overdue' : '')}
      rowSelection={
        selection
          ? {
              selectedRowKeys: selection.selected,
              onChange: (keys, rows) => selection.onChange(keys as string[], rows),
              getCheckboxProps: (it) => ({ disabled: !selection.selectable(it) }),
              preserveSelectedRowKeys: true,
            }
          : undefined
      }
      data-testid="finding-table"
    />
  );
}
