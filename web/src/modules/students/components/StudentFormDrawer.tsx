/**
 * 新增学生 (POST /api/students) and 编辑信息 (PATCH /api/students/:id) in one drawer. An edit sends only
 * the fields that changed; the ID number and 学籍号 are shown masked and change only when typed anew.
 */
import { useEffect, useMemo, useState } from 'react';
import { Button, Checkbox, Col, Divider, Drawer, Form, Input, Radio, Row, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  DISABILITY_CATEGORIES,
  ETHNICITIES,
  GRADES,
  GUARDIAN_RELATIONS,
  SEXES,
  STUDENT_FLAGS,
  STUDENT_STAGES,
  disabilityCategoryLabels,
  freeText,
  guardianRelationLabels,
  label,
  phone,
  plainName,
  sexLabels,
  studentFlagLabels,
  studentNo as studentNoSchema,
  studentStageLabels,
  type SchoolClass,
  type StudentCreate,
  type StudentDetail,
  type StudentFlag,
  type StudentStage,
  type StudentUpdate,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useIsMobile } from '../../../app/responsive.ts';
import { optionalText, schemaRule } from '../../../app/validation.ts';
import { UnitTreeSelect } from '../../org/components/UnitTreeSelect.tsx';
import { isValidIdNumber } from '../../users/components/idNumber.ts';
import { useStudentI18n } from '../messages.ts';
import { activeFlags, chinaToday, currentSchoolYear, flagField } from './labels.tsx';

type Relation = (typeof GUARDIAN_RELATIONS)[number];
type Ethnicity = (typeof ETHNICITIES)[number];
type Disability = (typeof DISABILITY_CATEGORIES)[number];

interface GuardianRow {
  name?: string;
  relation?: Relation;
  phone?: string;
}

interface Values {
  schoolId?: string;
  name: string;
  idNumber?: string;
  sex?: 'M' | 'F';
  birthDate?: string;
  studentNo?: string;
  ethnicity?: Ethnicity;
  hukouRegionCode?: string;
  address?: string;
  stage?: StudentStage;
  grade?: number;
  classId?: string;
  enrolledOn?: string;
  flags: StudentFlag[];
  disabilityCategory?: Disability;
  guardians: GuardianRow[];
}

export type StudentFormMode =
  { type: 'create'; schoolId?: string } | { type: 'edit'; student: StudentDetail };

interface Props {
  mode: StudentFormMode;
  onClose: () => void;
  onSaved: (student: StudentDetail | null) => void;
}

const nameSchema = plainName(32);
const guardianNameSchema = plainName(32);
const addressSchema = freeText(200);

function initialValues(mode: StudentFormMode): Values {
  if (mode.type === 'create')
    return { schoolId: mode.schoolId, name: '', flags: [], guardians: [{ relation: 'father' }] };
  const st = mode.student;
  return {
    schoolId: st.school.id,
    name: st.name,
    sex: st.sex,
    birthDate: st.birthDate,
    ethnicity: (st.ethnicity as Ethnicity | null) ?? undefined,
    hukouRegionCode: st.hukouRegionCode ?? undefined,
    address: st.address ?? undefined,
    stage: st.stage,
    grade: st.grade,
    classId: st.classId ?? undefined,
    enrolledOn: st.enrolledOn ?? undefined,
    flags: activeFlags(st.flags),
    disabilityCategory: st.disabilityCategory ?? undefined,
    guardians: st.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: g.phone ?? undefined })),
  };
}

function guardiansOf(rows: GuardianRow[] | undefined) {
  return (rows ?? []).flatMap((g) =>
    g?.name?.trim() && g.relation
      ? [{ name: g.name.trim(), relation: g.relation, phone: optionalText(g.phone) ?? null }]
      : [],
  );
}

function flagsOf(list: StudentFlag[]) {
  return Object.fromEntries(STUDENT_FLAGS.map((f) => [flagField(f), list.includes(f)])) as Record<
    ReturnType<typeof flagField>,
    boolean
  >;
}

export function StudentFormDrawer({ mode, onClose, onSaved }: Props) {
  const { t, s, lang } = useStudentI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [classes, setClasses] = useState<SchoolClass[]>([]);
  const editing = mode.type === 'edit';
  const initial = useMemo(() => initialValues(mode), [mode]);
  const schoolId = Form.useWatch('schoolId', form) ?? initial.schoolId;
  const stage = Form.useWatch('stage', form);
  const grade = Form.useWatch('grade', form);
  const flags = Form.useWatch('flags', form) ?? initial.flags;
  const idNumber = Form.useWatch('idNumber', form);
  const today = chinaToday();

  useEffect(() => {
    form.setFieldsValue(initial);
  }, [form, initial]);

  // Classes of the chosen school in the current school year (and the student's own class, whatever its year).
  useEffect(() => {
    if (!schoolId) {
      setClasses([]);
      return;
    }
    const controller = new AbortController();
    api.get<SchoolClass[]>('/api/classes', { schoolId }, controller.signal).then(
      (list) => {
        const year = String(currentSchoolYear());
        const own = mode.type === 'edit' ? mode.student.classId : null;
        setClasses(list.filter((c) => c.schoolYear === year || c.id === own));
      },
      (err: unknown) => feedback.error(err),
    );
    return () => controller.abort();
  }, [schoolId, mode, feedback]);

  const classOptions = classes
    .filter((c) => (!stage || c.stage === stage) && (!grade || c.grade === grade))
    .map((c) => ({
      value: c.id,
      label: `${GRADES.find((g) => g.stage === c.stage && g.grade === c.grade)?.[lang] ?? c.grade} ${c.name}`,
    }));

  const submit = async () => {
    const v = await form.validateFields();
    const chosenFlags = v.flags ?? [];
    const category = chosenFlags.includes('disabled') ? v.disabilityCategory : undefined;
    const guardians = guardiansOf(v.guardians);
    setBusy(true);
    try {
      let saved: StudentDetail;
      if (mode.type === 'create') {
        const id = optionalText(v.idNumber)?.toUpperCase();
        const body: StudentCreate = {
          schoolId: v.schoolId ?? '',
          name: v.name.trim(),
          ...(v.sex ? { sex: v.sex } : {}),
          ...(optionalText(v.birthDate) ? { birthDate: optionalText(v.birthDate) } : {}),
          ...(id ? { idNumber: id } : {}),
          ...(optionalText(v.studentNo) ? { studentNo: optionalText(v.studentNo)?.toUpperCase() } : {}),
          ...(v.ethnicity ? { ethnicity: v.ethnicity } : {}),
          ...(optionalText(v.hukouRegionCode) ? { hukouRegionCode: optionalText(v.hukouRegionCode) } : {}),
          ...(optionalText(v.address) ? { address: optionalText(v.address) } : {}),
          ...(v.stage ? { stage: v.stage } : {}),
          ...(v.grade ? { grade: v.grade } : {}),
          ...(v.classId ? { classId: v.classId } : {}),
          ...(optionalText(v.enrolledOn) ? { enrolledOn: optionalText(v.enrolledOn) } : {}),
          flags: flagsOf(chosenFlags),
          ...(category ? { disabilityCategory: category } : {}),
          guardians,
        };
        saved = await api.post<StudentDetail>('/api/students', body);
        feedback.success(s('stu.created'));
      } else {
        const st = mode.student;
        const before = initial;
        const body: StudentUpdate = {};
        const text = (x: string | undefined) => optionalText(x) ?? null;
        if (v.name.trim() !== st.name) body.name = v.name.trim();
        if (v.sex && v.sex !== st.sex) body.sex = v.sex;
        if (optionalText(v.birthDate) && v.birthDate !== st.birthDate) body.birthDate = v.birthDate;
        const id = optionalText(v.idNumber)?.toUpperCase();
        if (id) body.idNumber = id;
        const no = optionalText(v.studentNo)?.toUpperCase();
        if (no) body.studentNo = no;
        if ((v.ethnicity ?? null) !== (st.ethnicity ?? null)) body.ethnicity = v.ethnicity ?? null;
        if (text(v.hukouRegionCode) !== st.hukouRegionCode) body.hukouRegionCode = text(v.hukouRegionCode);
        if (text(v.address) !== st.address) body.address = text(v.address);
        if (v.stage && v.stage !== st.stage) body.stage = v.stage;
        if (v.grade && v.grade !== st.grade) body.grade = v.grade;
        if ((v.classId ?? null) !== st.classId) body.classId = v.classId ?? null;
        if (text(v.enrolledOn) !== st.enrolledOn) body.enrolledOn = text(v.enrolledOn);
        const changedFlags = STUDENT_FLAGS.filter(
          (f) => chosenFlags.includes(f) !== before.flags.includes(f),
        );
        if (changedFlags.length > 0)
          body.flags = Object.fromEntries(changedFlags.map((f) => [flagField(f), chosenFlags.includes(f)]));
        if ((category ?? null) !== st.disabilityCategory) body.disabilityCategory = category ?? null;
        if (JSON.stringify(guardians) !== JSON.stringify(guardiansOf(before.guardians)))
          body.guardians = guardians;
        if (Object.keys(body).length === 0) {
          onClose();
          return;
        }
        saved = await api.patch<StudentDetail>(`/api/students/${st.id}`, body);
        feedback.success(t('common.saved'));
      }
      onSaved(saved);
    } catch (err) {
      feedback.error(err, form, {
        STUDENT_NO_TAKEN: 'studentNo',
        STUDENT_ALREADY_ENROLLED: 'idNumber',
        STUDENT_NO_ID_MISMATCH: 'studentNo',
      });
    } finally {
      setBusy(false);
    }
  };

  const half = isMobile ? 24 : 12;
  const third = isMobile ? 24 : 8;
  const gradeOptions = GRADES.filter((g) => !stage || g.stage === stage).map((g) => ({
    value: g.grade,
    label: g[lang],
  }));
  // Without a stage the same grade number means several grades (一年级, 小班 …): show each once.
  const uniqueGrades = [...new Map(gradeOptions.map((o) => [o.value, o])).values()];
  const student = mode.type === 'edit' ? mode.student : null;
  const needIdentity = !isValidIdNumber(idNumber ?? '') && !(editing && student?.idNumberMasked);

  return (
    <Drawer
      open
      title={student ? s('stu.editTitle', { name: student.name }) : s('stu.create')}
      onClose={onClose}
      size={isMobile ? '100%' : 760}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <div className="student-drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={busy}
            onClick={() => void submit().catch(() => undefined)}
            data-testid="student-form-submit"
          >
            {t('common.save')}
          </Button>
        </div>
      }
      data-testid="student-form"
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial}>
        <Divider titlePlacement="start" className="student-form-divider">
          {s('stu.sectionIdentity')}
        </Divider>
        <Row gutter={16}>
          {editing ? null : (
            <Col span={24}>
              <Form.Item
                name="schoolId"
                label={s('stu.formSchool')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <UnitTreeSelect selectable={['school']} data-testid="student-form-school" />
              </Form.Item>
            </Col>
          )}
          <Col span={half}>
            <Form.Item
              name="name"
              label={s('stu.name')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                schemaRule(nameSchema, t),
              ]}
            >
              <Input maxLength={32} data-testid="student-form-name" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="idNumber"
              label={s('stu.idNumber')}
              rules={[
                {
                  validator: (_r, value: string | undefined) =>
                    !value?.trim() || isValidIdNumber(value)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('valid.idNumber'))),
                },
              ]}
              extra={
                student?.idNumberMasked
                  ? s('stu.idNumberKeep', { masked: student.idNumberMasked })
                  : editing
                    ? undefined
                    : s('stu.idNumberHint')
              }
            >
              <Input maxLength={18} autoComplete="off" className="mono" data-testid="student-form-idNumber" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="sex"
              label={s('stu.sex')}
              rules={[{ required: needIdentity, message: t('common.required') }]}
            >
              <Radio.Group
                options={SEXES.map((x) => ({ value: x, label: label(sexLabels, x, lang) }))}
                optionType="button"
                data-testid="student-form-sex"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="birthDate"
              label={s('stu.birthDate')}
              rules={[{ required: needIdentity, message: t('common.required') }]}
            >
              <Input type="date" min="1950-01-01" max={today} data-testid="student-form-birthDate" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="studentNo"
              label={s('stu.studentNo')}
              rules={[
                {
                  validator: (_r, value: string | undefined) =>
                    !value?.trim() || studentNoSchema.safeParse(value).success
                      ? Promise.resolve()
                      : Promise.reject(new Error(s('stu.validStudentNo'))),
                },
              ]}
              extra={
                student?.studentNo
                  ? s('stu.idNumberKeep', { masked: student.studentNo })
                  : s('stu.studentNoHint')
              }
            >
              <Input
                maxLength={19}
                autoComplete="off"
                className="mono"
                data-testid="student-form-studentNo"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="ethnicity" label={s('stu.ethnicity')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={ETHNICITIES.map((e) => ({ value: e, label: e }))}
                data-testid="student-form-ethnicity"
              />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" className="student-form-divider">
          {s('stu.sectionSchool')}
        </Divider>
        <Row gutter={16}>
          <Col span={third}>
            <Form.Item name="stage" label={s('stu.stage')}>
              <Select
                allowClear
                options={STUDENT_STAGES.map((x) => ({ value: x, label: label(studentStageLabels, x, lang) }))}
                onChange={() => form.setFieldsValue({ grade: undefined, classId: undefined })}
                data-testid="student-form-stage"
              />
            </Form.Item>
          </Col>
          <Col span={third}>
            <Form.Item
              name="grade"
              label={s('stu.grade')}
              rules={[
                {
                  validator: (_r, value: number | undefined) =>
                    value || form.getFieldValue('classId')
                      ? Promise.resolve()
                      : Promise.reject(new Error(s('stu.gradeNeeded'))),
                },
              ]}
            >
              <Select
                allowClear
                options={uniqueGrades}
                onChange={() => form.setFieldsValue({ classId: undefined })}
                data-testid="student-form-grade"
              />
            </Form.Item>
          </Col>
          <Col span={third}>
            <Form.Item name="classId" label={s('stu.class')} extra={s('stu.classHint')}>
              <Select
                allowClear
                options={classOptions}
                disabled={!schoolId}
                placeholder={schoolId ? undefined : s('stu.pickSchoolFirst')}
                onChange={(id?: string) => {
                  const c = classes.find((x) => x.id === id);
                  if (c) form.setFieldsValue({ stage: c.stage, grade: c.grade });
                  void form.validateFields(['grade']).catch(() => undefined);
                }}
                data-testid="student-form-class"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="enrolledOn" label={s('stu.enrolledOn')}>
              <Input type="date" min="1950-01-01" max={today} data-testid="student-form-enrolledOn" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" className="student-form-divider">
          {s('stu.sectionFamily')}
        </Divider>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="hukouRegionCode"
              label={s('stu.hukouCode')}
              rules={[{ pattern: /^\d{6}$/, message: s('stu.validRegion') }]}
              extra={
                student?.hukouRegionName
                  ? `${student.hukouRegionName}（${student.hukouRegionCode ?? ''}）`
                  : s('stu.hukouHint')
              }
            >
              <Input inputMode="numeric" maxLength={6} className="mono" data-testid="student-form-hukou" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="address" label={s('stu.address')} rules={[schemaRule(addressSchema, t)]}>
              <Input maxLength={200} data-testid="student-form-address" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="flags" label={s('stu.flags')}>
              <Checkbox.Group
                options={STUDENT_FLAGS.map((f) => ({ value: f, label: label(studentFlagLabels, f, lang) }))}
                data-testid="student-form-flags"
              />
            </Form.Item>
          </Col>
          {flags.includes('disabled') ? (
            <Col span={half}>
              <Form.Item name="disabilityCategory" label={s('stu.disability')}>
                <Select
                  allowClear
                  options={DISABILITY_CATEGORIES.map((d) => ({
                    value: d,
                    label: label(disabilityCategoryLabels, d, lang),
                  }))}
                  data-testid="student-form-disability"
                />
              </Form.Item>
            </Col>
          ) : null}
        </Row>

        <div className="form-section-label">{s('stu.guardians')}</div>
        <Form.List name="guardians">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col xs={12} sm={7}>
                    <Form.Item
                      name={[field.name, 'name']}
                      rules={[schemaRule(guardianNameSchema, t)]}
                      className="role-row-item"
                    >
                      <Input
                        placeholder={s('stu.guardianName')}
                        maxLength={32}
                        data-testid={`student-form-guardian-name-${index}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={6}>
                    <Form.Item name={[field.name, 'relation']} className="role-row-item">
                      <Select
                        placeholder={s('stu.guardianRelation')}
                        options={GUARDIAN_RELATIONS.map((r) => ({
                          value: r,
                          label: label(guardianRelationLabels, r, lang),
                        }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={20} sm={9}>
                    <Form.Item
                      name={[field.name, 'phone']}
                      rules={[schemaRule(phone, t)]}
                      className="role-row-item"
                    >
                      <Input placeholder={s('stu.guardianPhone')} inputMode="tel" maxLength={20} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2}>
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={s('stu.removeGuardian')}
                    />
                  </Col>
                </Row>
              ))}
              <Space orientation="vertical" className="full-width">
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ relation: 'mother' })}
                  disabled={fields.length >= 4}
                  block
                >
                  {s('stu.addGuardian')}
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
