/**
 * 学生名册: one search box (name, pinyin initials, 学籍号 or ID number — the server works out which),
 * filters by unit, stage/grade, status and flags, a paged table (cards on a phone), and the toolbar:
 * 新增学生, 导入 (the import wizard's page) and 导出 (xlsx / csv of what the filters select).
 * The filters live in the address, so the back button from a student returns to the same list.
 */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Cascader, Dropdown, Input, Select, Tooltip } from 'antd';
import type { MenuProps } from 'antd';
import {
  DownloadOutlined,
  DownOutlined,
  PlusOutlined,
  ReloadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  GRADES,
  STUDENT_FLAGS,
  STUDENT_STAGES,
  STUDENT_STATUSES,
  label,
  studentFlagLabels,
  studentStageLabels,
  studentStatusLabels,
  type StudentExportFormat,
  type StudentExportQuery,
  type StudentFlag,
  type StudentListQuery,
  type StudentPage,
  type StudentStage,
  type StudentStatus,
} from '@dudao/contracts';
import { api, toQuery } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { StudentFormDrawer } from './components/StudentFormDrawer.tsx';
import { StudentList } from './components/StudentList.tsx';
import { mayChangeStudents } from './components/labels.tsx';
import { useStudentI18n } from './messages.ts';
import './students.css';

interface StageGradeOption {
  value: string | number;
  label: string;
  children?: StageGradeOption[];
}

type Filters = Pick<StudentListQuery, 'q' | 'under' | 'stage' | 'grade' | 'status' | 'flags'>;

const isStage = (v: string | null): v is StudentStage => STUDENT_STAGES.includes(v as StudentStage);
const isStatus = (v: string | null): v is StudentStatus => STUDENT_STATUSES.includes(v as StudentStatus);
const isFlag = (v: string): v is StudentFlag => STUDENT_FLAGS.includes(v as StudentFlag);

/** The filters the address holds, checked (a hand-edited address must not make the API answer 400). */
function readFilters(params: URLSearchParams): Filters {
  const stage = params.get('stage');
  const grade = Number(params.get('grade'));
  const status = params.get('status');
  const flags = (params.get('flags') ?? '').split(',').filter(isFlag);
  return {
    q: params.get('q')?.trim() || undefined,
    under: params.get('under') || undefined,
    stage: isStage(stage) ? stage : undefined,
    grade: isStage(stage) && Number.isInteger(grade) && grade >= 1 && grade <= 12 ? grade : undefined,
    status: isStatus(status) ? status : undefined,
    flags: flags.length > 0 ? flags.join(',') : undefined,
  };
}

export default function StudentsPage() {
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const [search, setSearch] = useState(filters.q ?? '');
  const [data, setData] = useState<StudentPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const canChange = mayChangeStudents(me);
  const atSchool = me.unit.kind === 'school';

  // The box follows the address (back / forward buttons).
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<StudentPage>('/api/students', { ...filters, page, pageSize }, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [filters, page, pageSize, tick, feedback]);

  /** Changes filters and goes back to the first page. */
  const setFilters = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== '') query[k] = String(v);
    if (pageSize !== 20) query.size = String(pageSize);
    setParams(query);
  };

  const setPaging = (p: number, ps: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(ps !== pageSize ? 1 : p));
    if (ps !== 20) next.set('size', String(ps));
    else next.delete('size');
    setParams(next);
  };

  const stageGradeOptions: StageGradeOption[] = STUDENT_STAGES.map((st) => ({
    value: st,
    label: label(studentStageLabels, st, lang),
    children: GRADES.filter((g) => g.stage === st).map((g) => ({ value: g.grade, label: g[lang] })),
  }));
  const stageGradeValue: (string | number)[] | undefined = filters.stage
    ? filters.grade
      ? [filters.stage, filters.grade]
      : [filters.stage]
    : undefined;

  // GET /api/students/export takes the list's filters (all pages); ID numbers come masked.
  const exportHref = (format: StudentExportFormat) => {
    const query: Partial<StudentExportQuery> = { format, ...filters };
    return `/api/students/export${toQuery(query)}`;
  };
  const exportMenu: MenuProps = {
    items: [
      {
        key: 'xlsx',
        label: (
          <a href={exportHref('xlsx')} download data-testid="student-export-xlsx">
            {s('stu.exportXlsx')}
          </a>
        ),
      },
      {
        key: 'csv',
        label: (
          <a href={exportHref('csv')} download data-testid="student-export-csv">
            {s('stu.exportCsv')}
          </a>
        ),
      },
      { type: 'divider' },
      {
        key: 'hint',
        disabled: true,
        label: <span className="student-export-hint">{s('stu.exportHint')}</span>,
      },
    ],
  };

  const toolbar = (
    <>
      {canChange ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="student-create-button"
        >
          {s('stu.create')}
        </Button>
      ) : null}
      {canChange ? (
        <Button
          icon={<UploadOutlined />}
          onClick={() => void navigate('/students/import')}
          data-testid="student-import-button"
        >
          {s('stu.import')}
        </Button>
      ) : null}
      <Dropdown menu={exportMenu} trigger={['click']} placement="bottomRight">
        <Button icon={<DownloadOutlined />} data-testid="student-export-button">
          {s('stu.export')} <DownOutlined />
        </Button>
      </Dropdown>
    </>
  );

  return (
    <>
      <PageHeader title={s('stu.title')} crumbs={[{ title: s('stu.registry') }]} extra={toolbar} />
      <Card size="small">
        <div className="filter-bar">
          <Input.Search
            allowClear
            placeholder={s('stu.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setFilters({ q: v.trim() || undefined })}
            className="filter-search student-search"
            maxLength={64}
            enterButton
            data-testid="student-search"
          />
          {atSchool ? null : (
            <UnitTreeSelect
              value={filters.under}
              onChange={(v) => setFilters({ under: v })}
              placeholder={s('stu.unitFilter')}
              className="filter-unit"
              data-testid="student-filter-unit"
            />
          )}
          <Cascader
            options={stageGradeOptions}
            value={stageGradeValue}
            changeOnSelect
            onChange={(v) => {
              const [stage, grade] = (v ?? []) as [StudentStage?, number?];
              setFilters({ stage, grade });
            }}
            placeholder={`${s('stu.stage')} / ${s('stu.grade')}`}
            className="student-filter-grade"
            data-testid="student-filter-grade"
          />
          <Select
            allowClear
            placeholder={s('stu.status')}
            value={filters.status}
            onChange={(v?: StudentStatus) => setFilters({ status: v })}
            options={STUDENT_STATUSES.map((st) => ({
              value: st,
              label: label(studentStatusLabels, st, lang),
            }))}
            className="filter-select"
            data-testid="student-filter-status"
          />
          <Select<StudentFlag[]>
            mode="multiple"
            allowClear
            placeholder={s('stu.flags')}
            value={filters.flags ? (filters.flags.split(',') as StudentFlag[]) : []}
            onChange={(v) => setFilters({ flags: v.length > 0 ? v.join(',') : undefined })}
            options={STUDENT_FLAGS.map((f) => ({ value: f, label: label(studentFlagLabels, f, lang) }))}
            maxTagCount="responsive"
            className="student-filter-flags"
            popupMatchSelectWidth={false}
            data-testid="student-filter-flags"
          />
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setTick((n) => n + 1)}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
          {Object.values(filters).some((v) => v !== undefined) ? (
            <Button onClick={() => setParams({})} data-testid="student-filter-reset">
              {t('common.reset')}
            </Button>
          ) : null}
        </div>
        <StudentList
          items={data?.items ?? []}
          loading={loading}
          hideSchool={atSchool}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) =>
              data?.capped
                ? s(filters.q ? 'stu.capped' : 'stu.rosterCapped', { n: total })
                : t('common.total', { n: total }),
            onChange: setPaging,
          }}
        />
      </Card>
      {creating ? (
        <StudentFormDrawer
          mode={{ type: 'create', schoolId: atSchool ? me.unit.id : undefined }}
          onClose={() => setCreating(false)}
          onSaved={(student) => {
            setCreating(false);
            if (student) void navigate(`/students/${student.id}`);
            else setTick((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
