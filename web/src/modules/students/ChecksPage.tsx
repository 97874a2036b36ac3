/**
 * 数据核查: the registry's consistency report over one's area — birth date or sex that disagrees with the
 * ID number, one ID number enrolled at several schools, over-age children. Counts per finding (click to
 * filter), rows linking to the students. Reported, never fixed: the school corrects the record.
 */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Pagination,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  STUDENT_CHECK_TYPES,
  label,
  sexLabels,
  studentCheckLabels,
  type StudentCheckPage,
  type StudentCheckRow,
  type StudentCheckType,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { formatNumber } from '../../app/format.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import {
  CheckTypeTag,
  StudentStatusTag,
  currentSchoolYear,
  gradeClassText,
  schoolYearText,
} from './components/labels.tsx';
import { useStudentI18n, type STFunction } from './messages.ts';
import './students.css';

const isType = (v: string | null): v is StudentCheckType =>
  STUDENT_CHECK_TYPES.includes(v as StudentCheckType);

function detailText(row: StudentCheckRow, s: STFunction, lang: 'zh' | 'en', schoolYear: string): string {
  switch (row.type) {
    case 'id_birth_mismatch':
      return row.expected
        ? s('chk.expectedBirth', { v: row.expected, r: row.student.birthDate })
        : s('chk.expectedBirthHidden', { r: row.student.birthDate });
    case 'id_sex_mismatch':
      return s('chk.expectedSex', {
        v: label(sexLabels, row.expected, lang) || (row.expected ?? ''),
        r: label(sexLabels, row.student.sex, lang),
      });
    case 'duplicate_enrolment':
      return s('chk.otherSchools', {
        v: row.otherSchools.map((o) => `${o.name}（${o.code}）`).join('、'),
      });
    case 'over_age':
      return s('chk.overAge', { y: schoolYear, age: row.age ?? '?', normal: row.normalAge ?? '?' });
  }
}

export default function ChecksPage() {
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const typeParam = params.get('type');
  const type = isType(typeParam) ? typeParam : undefined;
  const under = params.get('under') || undefined;
  const thisYear = currentSchoolYear();
  const yearParam = params.get('year');
  const schoolYear = yearParam && /^(19|20)\d{2}$/.test(yearParam) ? yearParam : undefined;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<StudentCheckPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const atSchool = me.unit.kind === 'school';

  useEffect(() => setPage(1), [type, under, schoolYear]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<StudentCheckPage>(
        '/api/students/checks',
        { type, under, schoolYear, page, pageSize },
        controller.signal,
      )
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [type, under, schoolYear, page, pageSize, tick, feedback]);

  const setQuery = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  const year = data?.schoolYear ?? String(thisYear);
  const columns: TableColumnsType<StudentCheckRow> = [
    {
      title: s('chk.type'),
      dataIndex: 'type',
      width: 200,
      render: (v: StudentCheckType) => <CheckTypeTag type={v} />,
    },
    {
      title: s('stu.name'),
      key: 'name',
      width: 110,
      render: (_v, r) => (
        <span className="check-name">
          <Link to={`/students/${r.student.id}`} data-testid="check-student">
            {r.student.name}
          </Link>
          {r.student.status === 'enrolled' ? null : <StudentStatusTag status={r.student.status} />}
        </span>
      ),
    },
    {
      title: s('chk.detail'),
      key: 'detail',
      width: 300,
      render: (_v, r) => <span data-testid="check-detail">{detailText(r, s, lang, year)}</span>,
    },
    {
      title: s('stu.school'),
      key: 'school',
      width: 160,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.school.name,
    },
    {
      title: s('stu.gradeClass'),
      key: 'grade',
      width: 130,
      render: (_v, r) => gradeClassText(r.student, lang),
    },
    {
      title: s('stu.idNumber'),
      key: 'id',
      width: 176,
      render: (_v, r) => <span className="mono nowrap">{r.student.idNumberMasked ?? t('common.none')}</span>,
    },
  ];

  const counts = data?.counts;
  const yearOptions = [0, 1, 2, 3].map((d) => ({
    value: String(thisYear - d),
    label: schoolYearText(thisYear - d, s),
  }));
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s('chk.none')} />;

  return (
    <>
      <PageHeader title={s('chk.title')} crumbs={[{ title: s('stu.registry') }]} />
      <Alert type="info" showIcon title={s('chk.intro')} className="block-gap" />
      <Row gutter={[12, 12]} className="block-gap">
        {STUDENT_CHECK_TYPES.map((ct) => (
          <Col key={ct} xs={12} md={6}>
            <Card
              size="small"
              hoverable
              className={`check-count${type === ct ? ' check-count-active' : ''}`}
              onClick={() => setQuery({ type: type === ct ? undefined : ct })}
              data-testid={`check-count-${ct}`}
            >
              <Statistic
                title={label(studentCheckLabels, ct, lang)}
                value={counts ? formatNumber(counts[ct], lang) : '–'}
                loading={!counts && loading}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small">
        <div className="filter-bar">
          <Select
            allowClear
            placeholder={s('chk.allTypes')}
            value={type}
            onChange={(v?: StudentCheckType) => setQuery({ type: v })}
            options={STUDENT_CHECK_TYPES.map((ct) => ({
              value: ct,
              label: label(studentCheckLabels, ct, lang),
            }))}
            className="filter-select-wide check-type-select"
            popupMatchSelectWidth={false}
            data-testid="check-filter-type"
          />
          {atSchool ? null : (
            <UnitTreeSelect
              value={under}
              onChange={(v) => setQuery({ under: v })}
              placeholder={s('stu.unitFilter')}
              className="filter-unit"
              data-testid="check-filter-unit"
            />
          )}
          <Select
            value={schoolYear ?? String(thisYear)}
            onChange={(v: string) => setQuery({ year: v === String(thisYear) ? undefined : v })}
            options={yearOptions}
            className="filter-select-wide"
            data-testid="check-filter-year"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setTick((n) => n + 1)}
            aria-label={t('common.refresh')}
          />
        </div>
        <Typography.Paragraph type="secondary" className="small">
          {s('chk.schoolYear', { y: year, next: Number(year) + 1 })}
        </Typography.Paragraph>
        {isMobile ? (
          <div data-testid="check-table">
            <Spin spinning={loading}>
              {data && data.items.length === 0 ? empty : null}
              <div className="student-cards">
                {(data?.items ?? []).map((r, i) => (
                  <Link
                    key={`${r.type}-${r.student.id}-${i}`}
                    to={`/students/${r.student.id}`}
                    className="student-card-link"
                  >
                    <Card size="small" className="student-card">
                      <div className="student-card-head">
                        <span className="student-card-name">{r.student.name}</span>
                        <StudentStatusTag status={r.student.status} />
                      </div>
                      <CheckTypeTag type={r.type} />
                      <div className="student-card-line">
                        {r.school.name} · {gradeClassText(r.student, lang, false)}
                      </div>
                      <div className="student-card-line">{detailText(r, s, lang, year)}</div>
                    </Card>
                  </Link>
                ))}
              </div>
            </Spin>
            {data && data.total > 0 ? (
              <Pagination
                simple
                size="small"
                className="student-cards-pager"
                current={page}
                pageSize={pageSize}
                total={data.total}
                onChange={setPage}
              />
            ) : null}
          </div>
        ) : (
          <Table<StudentCheckRow>
            rowKey={(r) => `${r.type}-${r.student.id}`}
            size="middle"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={loading}
            scroll={{ x: 1076 }}
            locale={{ emptyText: empty }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (total) => t('common.total', { n: total }),
              onChange: (p, ps) => {
                setPage(ps !== pageSize ? 1 : p);
                setPageSize(ps);
              },
            }}
            data-testid="check-table"
          />
        )}
      </Card>
    </>
  );
}
