/** Transfers as a table (desktop) or cards (phone), with the actions the server allows on each. */
import { Link } from 'react-router-dom';
import { Card, Empty, Pagination, Spin, Table, Typography } from 'antd';
import type { TableColumnsType, TablePaginationConfig } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import type { Transfer } from '@dudao/contracts';
import { formatDateTime } from '../../../app/format.ts';
import { useIsMobile } from '../../../app/responsive.ts';
import { useStudentI18n } from '../messages.ts';
import { TransferActions } from './TransferActions.tsx';
import { TransferStatusTag, gradeClassText } from './labels.tsx';

interface Props {
  items: Transfer[];
  loading?: boolean;
  /** Leave out the student column (on the student's own page). */
  hideStudent?: boolean;
  pagination?: TablePaginationConfig | false;
  onChanged: (transfer: Transfer) => void;
  /** Cards whatever the screen (a narrow column, such as the student's page). */
  compact?: boolean;
  testId?: string;
}

function School({ school }: { school: Transfer['fromSchool'] }) {
  return (
    <span>
      {school.name}
      <Typography.Text type="secondary" className="mono small">
        {' '}
        {school.code}
      </Typography.Text>
    </span>
  );
}

export function TransferTable({
  items,
  loading = false,
  hideStudent,
  pagination = false,
  onChanged,
  compact = false,
  testId = 'transfer-table',
}: Props) {
  const { t, s, lang } = useStudentI18n();
  const isMobile = useIsMobile();
  const dash = t('common.none');
  const empty = compact ? (
    <Typography.Text type="secondary">{s('stu.noTransfers')}</Typography.Text>
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s('tr.empty')} />
  );

  const decision = (tr: Transfer) =>
    tr.decidedAt ? (
      <div className="small">
        <div>
          {formatDateTime(tr.decidedAt)} {tr.decidedBy ?? ''}
        </div>
        {tr.decisionReason ? <Typography.Text type="secondary">{tr.decisionReason}</Typography.Text> : null}
      </div>
    ) : (
      dash
    );

  if (isMobile || compact) {
    return (
      <div data-testid={testId}>
        <Spin spinning={loading}>
          {items.length === 0 && !loading ? empty : null}
          <div className={compact ? 'student-cards student-cards-compact' : 'student-cards'}>
            {items.map((tr) => (
              <Card key={tr.id} size="small" className="student-card" data-testid="transfer-card">
                <div className="student-card-head">
                  {hideStudent ? (
                    <span className="student-card-name">{formatDateTime(tr.requestedAt)}</span>
                  ) : (
                    <Link to={`/students/${tr.student.id}`} className="student-card-name">
                      {tr.student.name}
                    </Link>
                  )}
                  <TransferStatusTag status={tr.status} />
                </div>
                <div className="student-card-line transfer-route">
                  <span>
                    {tr.fromSchool.name} <ArrowRightOutlined /> {tr.toSchool.name}
                  </span>
                  {hideStudent ? null : (
                    <span className="student-card-birth">{formatDateTime(tr.requestedAt)}</span>
                  )}
                </div>
                <div className="student-card-line">
                  <span>{s('tr.reasonLine', { r: tr.reason })}</span>
                  {tr.requestedBy ? <span className="student-card-birth">{tr.requestedBy}</span> : null}
                </div>
                {tr.decidedAt ? <div className="student-card-line">{decision(tr)}</div> : null}
                <TransferActions transfer={tr} onDone={onChanged} />
              </Card>
            ))}
          </div>
        </Spin>
        {pagination && pagination.onChange && (pagination.total ?? 0) > 0 ? (
          <Pagination
            simple
            size="small"
            className="student-cards-pager"
            current={pagination.current}
            pageSize={pagination.pageSize}
            total={pagination.total}
            onChange={pagination.onChange}
          />
        ) : null}
      </div>
    );
  }

  const columns: TableColumnsType<Transfer> = [
    ...(hideStudent
      ? []
      : [
          {
            title: s('tr.student'),
            key: 'student',
            width: 170,
            fixed: 'left' as const,
            render: (_v: unknown, tr: Transfer) => (
              <div>
                <Link to={`/students/${tr.student.id}`} data-testid="transfer-student">
                  {tr.student.name}
                </Link>
                <div className="small">
                  <Typography.Text type="secondary">{gradeClassText(tr.student, lang)}</Typography.Text>
                </div>
                {tr.student.idNumberMasked ? (
                  <div className="mono small">{tr.student.idNumberMasked}</div>
                ) : null}
              </div>
            ),
          },
        ]),
    {
      title: s('tr.from'),
      key: 'from',
      width: 180,
      render: (_v, tr) => <School school={tr.fromSchool} />,
    },
    {
      title: s('tr.to'),
      key: 'to',
      width: 180,
      render: (_v, tr) => <School school={tr.toSchool} />,
    },
    { title: s('tr.reason'), dataIndex: 'reason', width: 170, ellipsis: { showTitle: true } },
    {
      title: s('tr.requested'),
      key: 'requested',
      width: 140,
      render: (_v, tr) => (
        <div className="small">
          <div className="nowrap">{formatDateTime(tr.requestedAt)}</div>
          <Typography.Text type="secondary">{tr.requestedBy ?? ''}</Typography.Text>
        </div>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 84,
      render: (v: Transfer['status']) => <TransferStatusTag status={v} />,
    },
    // Open requests have no decision yet, settled ones no actions: a column nobody needs is left out.
    ...(items.some((tr) => tr.decidedAt)
      ? [
          {
            title: s('tr.decision'),
            key: 'decision',
            width: 180,
            render: (_v: unknown, tr: Transfer) => decision(tr),
          },
        ]
      : []),
    ...(items.some((tr) => tr.actions.confirm || tr.actions.reject || tr.actions.cancel)
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            fixed: 'right' as const,
            render: (_v: unknown, tr: Transfer) => <TransferActions transfer={tr} onDone={onChanged} />,
          },
        ]
      : []),
  ];
  const width = columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : 0), 0);

  return (
    <Table<Transfer>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: width }}
      locale={{ emptyText: empty }}
      pagination={pagination}
      data-testid={testId}
    />
  );
}
