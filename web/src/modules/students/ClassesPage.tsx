/**
 * 班级管理: the classes of a school per school year, with the number of students in school and a link to
 * each roster; 新建班级 for administrators. A school's own users see their school; bureau users pick one.
 * The school and year are kept in the address (?school=ID&year=2025).
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Col, Empty, Form, Input, Modal, Row, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import {
  GRADES,
  STUDENT_STAGES,
  label,
  plainName,
  studentStageLabels,
  type ClassCreate,
  type SchoolClass,
  type StudentStage,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { schemaRule } from '../../app/validation.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { currentSchoolYear, gradeName, mayChangeStudents, schoolYearText } from './components/labels.tsx';
import { useStudentI18n } from './messages.ts';
import './students.css';

const classNameSchema = plainName(16);

export default function ClassesPage() {
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const atSchool = me.unit.kind === 'school';
  const schoolId = atSchool ? me.unit.id : params.get('school') || undefined;
  const thisYear = String(currentSchoolYear());
  const yearParam = params.get('year');
  const [classes, setClasses] = useState<SchoolClass[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const canChange = mayChangeStudents(me);

  useEffect(() => {
    if (!schoolId) {
      setClasses(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api
      .get<SchoolClass[]>('/api/classes', { schoolId }, controller.signal)
      .then(setClasses, (err: unknown) => {
        setClasses(null);
        feedback.error(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [schoolId, tick, feedback]);

  const years = useMemo(() => {
    const set = new Set((classes ?? []).map((c) => c.schoolYear));
    set.add(thisYear);
    return [...set].sort().reverse();
  }, [classes, thisYear]);
  const year = yearParam === 'all' ? 'all' : yearParam && years.includes(yearParam) ? yearParam : thisYear;
  const shown = (classes ?? []).filter((c) => year === 'all' || c.schoolYear === year);
  const students = shown.reduce((n, c) => n + c.studentCount, 0);
  const schoolName = classes?.[0]?.school.name ?? (atSchool ? me.unit.name : undefined);

  const setQuery = (patch: { school?: string; year?: string }) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  const columns: TableColumnsType<SchoolClass> = [
    {
      title: s('cls.name'),
      key: 'name',
      width: 160,
      render: (_v, c) => (
        <Link to={`/classes/${c.id}`} data-testid="class-open">
          {gradeName(c.stage, c.grade, lang)} {c.name}
        </Link>
      ),
    },
    {
      title: s('stu.stage'),
      dataIndex: 'stage',
      width: 110,
      render: (v: StudentStage) => label(studentStageLabels, v, lang),
    },
    {
      title: s('cls.schoolYear'),
      dataIndex: 'schoolYear',
      width: 150,
      render: (v: string) => schoolYearText(v, s),
    },
    {
      title: s('cls.headTeacher'),
      key: 'head',
      width: 120,
      render: (_v, c) => c.headTeacher?.name ?? t('common.none'),
    },
    {
      title: s('cls.students'),
      dataIndex: 'studentCount',
      width: 110,
      align: 'right',
      render: (v: number) => <span className="mono">{v}</span>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_v, c) => (
        <Link to={`/classes/${c.id}`}>
          <TeamOutlined /> {s('cls.roster')}
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={s('cls.title')}
        crumbs={[{ title: s('stu.registry') }]}
        extra={
          canChange && schoolId ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="class-create-button"
            >
              {s('cls.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <div className="filter-bar">
          {atSchool ? null : (
            <UnitTreeSelect
              value={schoolId}
              onChange={(v) => setQuery({ school: v, year: undefined })}
              selectable={['school']}
              knownNames={schoolId && schoolName ? { [schoolId]: schoolName } : undefined}
              placeholder={s('cls.pickSchool')}
              className="filter-unit"
              data-testid="class-filter-school"
            />
          )}
          <Select
            value={year}
            onChange={(v: string) => setQuery({ year: v === thisYear ? undefined : v })}
            options={[
              ...years.map((y) => ({ value: y, label: schoolYearText(y, s) })),
              { value: 'all', label: s('cls.allYears') },
            ]}
            className="filter-select-wide"
            disabled={!schoolId}
            data-testid="class-filter-year"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setTick((n) => n + 1)}
            aria-label={t('common.refresh')}
            disabled={!schoolId}
          />
        </div>
        {!schoolId ? (
          <Empty description={s('cls.pickSchoolHint')} data-testid="class-pick-school" />
        ) : (
          <>
            <Typography.Paragraph type="secondary" className="class-summary">
              {schoolName ? `${schoolName} · ` : ''}
              {s('cls.total', { n: shown.length, m: students })}
            </Typography.Paragraph>
            <Table<SchoolClass>
              rowKey="id"
              size="middle"
              columns={isMobile ? columns.filter((c) => c.key !== 'head' && c.key !== 'actions') : columns}
              dataSource={shown}
              loading={loading}
              scroll={isMobile ? undefined : { x: 750 }}
              pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s('cls.empty')} />,
              }}
              data-testid="class-table"
            />
          </>
        )}
      </Card>
      {creating && schoolId ? (
        <ClassCreateModal
          schoolId={schoolId}
          schoolName={schoolName ?? ''}
          defaultYear={year === 'all' ? thisYear : year}
          onClose={() => setCreating(false)}
          onDone={(c) => {
            setCreating(false);
            setQuery({ year: c.schoolYear === thisYear ? undefined : c.schoolYear });
            setTick((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}

interface CreateValues {
  schoolYear: string;
  stage?: StudentStage;
  grade: number;
  name: string;
}

function ClassCreateModal({
  schoolId,
  schoolName,
  defaultYear,
  onClose,
  onDone,
}: {
  schoolId: string;
  schoolName: string;
  defaultYear: string;
  onClose: () => void;
  onDone: (c: SchoolClass) => void;
}) {
  const { t, s, lang } = useStudentI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const stage = Form.useWatch('stage', form);
  const thisYear = currentSchoolYear();
  const yearOptions = [thisYear + 1, thisYear, thisYear - 1].map((y) => ({
    value: String(y),
    label: schoolYearText(y, s),
  }));
  const gradeOptions = [
    ...new Map(
      GRADES.filter((g) => !stage || g.stage === stage).map((g) => [
        g.grade,
        { value: g.grade, label: g[lang] },
      ]),
    ).values(),
  ];

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: ClassCreate = {
        schoolId,
        schoolYear: v.schoolYear,
        ...(v.stage ? { stage: v.stage } : {}),
        grade: v.grade,
        name: v.name.trim(),
      };
      const created = await api.post<SchoolClass>('/api/classes', body);
      feedback.success(t('common.created'));
      onDone(created);
    } catch (err) {
      feedback.error(err, form, { CLASS_EXISTS: 'name' });
    } finally {
      setBusy(false);
    }
  };

  const half = isMobile ? 24 : 12;
  return (
    <Modal
      open
      title={s('cls.createTitle', { school: schoolName })}
      okText={t('common.save')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<CreateValues> form={form} layout="vertical" initialValues={{ schoolYear: defaultYear }}>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="schoolYear" label={s('cls.schoolYear')} rules={[{ required: true }]}>
              <Select options={yearOptions} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="stage" label={s('stu.stage')}>
              <Select
                allowClear
                options={STUDENT_STAGES.map((x) => ({ value: x, label: label(studentStageLabels, x, lang) }))}
                onChange={() => form.setFieldsValue({ grade: undefined })}
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="grade"
              label={s('stu.grade')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select options={gradeOptions} data-testid="class-form-grade" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="name"
              label={s('cls.name')}
              extra={s('cls.nameHint')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                schemaRule(classNameSchema, t),
              ]}
            >
              <Input maxLength={16} data-testid="class-form-name" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
