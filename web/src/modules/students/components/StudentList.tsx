/**
 * Students as a table (desktop) or as compact cards (phone), for the roster and a class's list. The ID
 * number and a 学籍号 that embeds it come masked from the server.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Card, Empty, Pagination, Spin, Table, Typography } from 'antd';
import type { TableColumnsType, TablePaginationConfig } from 'antd';
import { ManOutlined, WomanOutlined } from '@ant-design/icons';
import { label, sexLabels, type StudentSummary } from '@dudao/contracts';
import { useIsMobile } from '../../../app/responsive.ts';
import { useStudentI18n } from '../messages.ts';
import { FlagTags, StudentStatusTag, gradeClassText } from './labels.tsx';

interface Props {
  items: StudentSummary[];
  loading: boolean;
  /** Leave out the school column (a school's own users, a class roster). */
  hideSchool?: boolean;
  pagination: TablePaginationConfig | false;
  empty?: ReactNode;
  testId?: string;
}

export function SexIcon({ sex }: { sex: StudentSummary['sex'] }) {
  return sex === 'M' ? (
    <ManOutlined className="student-sex-m" aria-hidden />
  ) : (
    <WomanOutlined className="student-sex-f" aria-hidden />
  );
}

export function StudentList({
  items,
  loading,
  hideSchool,
  pagination,
  empty,
  testId = 'student-table',
}: Props) {
  const { t, s, lang } = useStudentI18n();
  const isMobile = useIsMobile();
  const dash = t('common.none');
  const emptyView = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty ?? s('stu.empty')} />;

  if (isMobile) {
    return (
      <div data-testid={testId}>
        <Spin spinning={loading}>
          {items.length === 0 && !loading ? emptyView : null}
          <div className="student-cards">
            {items.map((st) => (
              <Link
                key={st.id}
                to={`/students/${st.id}`}
                className="student-card-link"
                data-testid="student-card"
              >
                <Card size="small" className="student-card">
                  <div className="student-card-head">
                    <span className="student-card-name">
                      {st.name} <SexIcon sex={st.sex} />
                    </span>
                    <StudentStatusTag status={st.status} />
                  </div>
                  <div className="student-card-line">
                    {gradeClassText(st, lang)}
                    {hideSchool ? null : <> · {st.school.name}</>}
                  </div>
                  <div className="student-card-line">
                    <span className="mono">{st.idNumberMasked ?? s('stu.noIdNumber')}</span>
                    <span className="student-card-birth">{st.birthDate}</span>
                  </div>
                  <FlagTags flags={st.flags} />
                </Card>
              </Link>
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

  // The 学籍号 comes last: it repeats the ID number for most students, and is the first to scroll away.
  const columns: TableColumnsType<StudentSummary> = [
    {
      title: s('stu.name'),
      dataIndex: 'name',
      width: 100,
      fixed: 'left',
      render: (_v, st) => (
        <Link to={`/students/${st.id}`} data-testid="student-row-open">
          {st.name}
        </Link>
      ),
    },
    {
      title: s('stu.sex'),
      dataIndex: 'sex',
      width: 56,
      render: (v: StudentSummary['sex']) => label(sexLabels, v, lang),
    },
    {
      title: s('stu.birthDate'),
      dataIndex: 'birthDate',
      width: 104,
      render: (v: string) => <span className="mono nowrap">{v}</span>,
    },
    {
      title: s('stu.idNumber'),
      dataIndex: 'idNumberMasked',
      width: 176,
      render: (v: string | null) =>
        v ? (
          <span className="mono nowrap" data-testid="student-id-masked">
            {v}
          </span>
        ) : (
          <Typography.Text type="secondary">{s('stu.noIdNumber')}</Typography.Text>
        ),
    },
    ...(hideSchool
      ? []
      : [
          {
            title: s('stu.school'),
            key: 'school',
            width: 160,
            ellipsis: { showTitle: true },
            render: (_v: unknown, st: StudentSummary) => st.school.name,
          },
        ]),
    {
      title: s('stu.gradeClass'),
      key: 'grade',
      width: 130,
      render: (_v, st) => <span className="nowrap">{gradeClassText(st, lang, false)}</span>,
    },
    {
      title: s('stu.status'),
      dataIndex: 'status',
      width: 84,
      render: (v: StudentSummary['status']) => <StudentStatusTag status={v} />,
    },
    {
      title: s('stu.flags'),
      key: 'flags',
      width: 170,
      render: (_v, st) => <FlagTags flags={st.flags} />,
    },
    {
      title: s('stu.studentNo'),
      dataIndex: 'studentNo',
      width: 184,
      render: (v: string | null) => (v ? <span className="mono nowrap">{v}</span> : dash),
    },
  ];

  return (
    <Table<StudentSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: hideSchool ? 1004 : 1164 }}
      locale={{ emptyText: emptyView }}
      pagination={pagination}
      data-testid={testId}
    />
  );
}
