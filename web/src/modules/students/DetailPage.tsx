/**
 * 学生详情: basic information, guardians, the history timeline and transfers; 显示完整身份证号 for those
 * who may; 编辑信息 (drawer), 学籍变动 and 申请转学 (modals) for administrators.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { EditOutlined, SwapOutlined, SyncOutlined } from '@ant-design/icons';
import {
  disabilityCategoryLabels,
  guardianRelationLabels,
  label,
  sexLabels,
  studentStageLabels,
  type Guardian,
  type StudentDetail,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { formatDateTime } from '../../app/format.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { NotFound } from '../errors/index.tsx';
import { HistoryTimeline } from './components/HistoryTimeline.tsx';
import { RevealStudentId } from './components/RevealStudentId.tsx';
import { StatusChangeModal, statusChangesFrom } from './components/StatusChangeModal.tsx';
import { StudentFormDrawer } from './components/StudentFormDrawer.tsx';
import { SexIcon } from './components/StudentList.tsx';
import { TransferRequestModal } from './components/TransferRequestModal.tsx';
import { TransferTable } from './components/TransferTable.tsx';
import {
  FlagTags,
  StudentStatusTag,
  activeFlags,
  ageOn,
  chinaToday,
  gradeName,
  mayChangeStudents,
} from './components/labels.tsx';
import { useStudentI18n } from './messages.ts';
import './students.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Dialog = 'edit' | 'status' | 'transfer' | null;

export default function StudentDetailPage() {
  const { id = '' } = useParams();
  const valid = UUID.test(id);
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const [student, setStudent] = useState<StudentDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [tick, setTick] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);

  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    setError(null);
    api
      .get<StudentDetail>(`/api/students/${id}`, undefined, controller.signal)
      .then(setStudent, (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(
          isApiError(err)
            ? { status: err.status, message: err.message }
            : { status: 0, message: t('result.error') },
        );
      });
    return () => controller.abort();
  }, [id, valid, tick, t]);

  const reload = useCallback(() => setTick((n) => n + 1), []);

  if (!valid || error?.status === 404) return <NotFound />;
  const crumbs = [{ title: s('stu.registry') }, { title: s('stu.title'), to: '/students' }];
  if (error && !student)
    return (
      <>
        <PageHeader title={s('stu.detail')} crumbs={crumbs} />
        <Card>
          <Result
            status={error.status === 403 ? '403' : 'error'}
            title={s('stu.loadFailed')}
            subTitle={error.message}
            extra={
              <Button type="primary" onClick={reload}>
                {t('result.retry')}
              </Button>
            }
            data-testid="student-load-error"
          />
        </Card>
      </>
    );
  if (!student || student.id !== id)
    return (
      <>
        <PageHeader title={s('stu.detail')} crumbs={crumbs} />
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </>
    );

  const dash = t('common.none');
  const text = (v: string | null | undefined) => v || dash;
  const canChange = mayChangeStudents(me);
  const pending = student.transfers.find((tr) => tr.status === 'pending');
  const canTransfer = canChange && student.status === 'enrolled' && !pending;
  const canStatus = canChange && statusChangesFrom(student.status).length > 0;

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: s('stu.name'), children: <span data-testid="student-name">{student.name}</span> },
    { key: 'sex', label: s('stu.sex'), children: label(sexLabels, student.sex, lang) },
    {
      key: 'birth',
      label: s('stu.birthDate'),
      children: (
        <span>
          <span className="mono">{student.birthDate}</span>
          <Typography.Text type="secondary">
            {' '}
            （{s('stu.age', { n: ageOn(student.birthDate, chinaToday()) })}）
          </Typography.Text>
        </span>
      ),
    },
    { key: 'ethnicity', label: s('stu.ethnicity'), children: text(student.ethnicity) },
    {
      key: 'id',
      label: s('stu.idNumber'),
      children: student.idNumberMasked ? (
        <Space size={8} wrap>
          <span className="mono nowrap" data-testid="student-id-masked">
            {student.idNumberMasked}
          </span>
          {me.access.revealPersonalData ? <RevealStudentId student={student} /> : null}
        </Space>
      ) : (
        <Typography.Text type="secondary">{s('stu.noIdNumber')}</Typography.Text>
      ),
      span: 2,
    },
    {
      key: 'no',
      label: s('stu.studentNo'),
      children: student.studentNo ? <span className="mono nowrap">{student.studentNo}</span> : dash,
    },
    { key: 'status', label: s('stu.status'), children: <StudentStatusTag status={student.status} /> },
    {
      key: 'school',
      label: s('stu.school'),
      children: (
        <span>
          {student.school.name}
          <Typography.Text type="secondary" className="mono small">
            {' '}
            {student.school.code}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'grade',
      label: `${s('stu.stage')} / ${s('stu.grade')}`,
      children: `${label(studentStageLabels, student.stage, lang)} · ${gradeName(student.stage, student.grade, lang)}`,
    },
    {
      key: 'class',
      label: s('stu.class'),
      children:
        student.classId && student.className ? (
          <Link to={`/classes/${student.classId}`}>{student.className}</Link>
        ) : (
          <Typography.Text type="secondary">{s('stu.noClass')}</Typography.Text>
        ),
    },
    { key: 'enrolledOn', label: s('stu.enrolledOn'), children: text(student.enrolledOn) },
    {
      key: 'hukou',
      label: s('stu.hukou'),
      children: student.hukouRegionCode ? (
        <span data-testid="student-hukou">
          {student.hukouRegionName ?? ''}
          <Typography.Text type="secondary" className="mono small">
            {' '}
            {student.hukouRegionCode}
          </Typography.Text>
        </span>
      ) : (
        dash
      ),
      span: 2,
    },
    { key: 'address', label: s('stu.address'), children: text(student.address), span: 2 },
    {
      key: 'flags',
      label: s('stu.flags'),
      children: activeFlags(student.flags).length > 0 ? <FlagTags flags={student.flags} /> : dash,
      span: student.flags.disabled ? 1 : 2,
    },
    ...(student.flags.disabled
      ? [
          {
            key: 'disability',
            label: s('stu.disability'),
            children: text(label(disabilityCategoryLabels, student.disabilityCategory, lang)),
          },
        ]
      : []),
    { key: 'created', label: s('stu.createdAt'), children: formatDateTime(student.createdAt) },
    { key: 'updated', label: s('stu.updatedAt'), children: formatDateTime(student.updatedAt) },
  ];

  const guardianColumns: TableColumnsType<Guardian> = [
    { title: s('stu.guardianName'), dataIndex: 'name', width: 110 },
    {
      title: s('stu.guardianRelation'),
      dataIndex: 'relation',
      width: 110,
      render: (v: Guardian['relation']) => label(guardianRelationLabels, v, lang),
    },
    {
      title: s('stu.guardianPhone'),
      dataIndex: 'phone',
      render: (v: string | null) => (v ? <span className="mono">{v}</span> : dash),
    },
  ];

  const actions = canChange ? (
    <>
      <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="student-edit-button">
        {s('stu.edit')}
      </Button>
      {canStatus ? (
        <Button
          icon={<SyncOutlined />}
          onClick={() => setDialog('status')}
          data-testid="student-status-button"
        >
          {s('stu.changeStatus')}
        </Button>
      ) : null}
      {canTransfer ? (
        <Button
          icon={<SwapOutlined />}
          onClick={() => setDialog('transfer')}
          data-testid="student-transfer-button"
        >
          {s('stu.requestTransfer')}
        </Button>
      ) : null}
    </>
  ) : null;

  return (
    <>
      <PageHeader title={student.name} crumbs={crumbs} extra={actions}>
        <Space size={[8, 4]} wrap className="student-summary">
          <SexIcon sex={student.sex} />
          <StudentStatusTag status={student.status} />
          <span>{student.school.name}</span>
          <Typography.Text type="secondary">
            {gradeName(student.stage, student.grade, lang)}
            {student.className ? ` · ${student.className}` : ''}
          </Typography.Text>
          <FlagTags flags={student.flags} />
        </Space>
      </PageHeader>
      {pending ? (
        <Alert
          type="warning"
          showIcon
          className="block-gap"
          title={s('stu.pendingTransfer', { school: pending.toSchool.name })}
          data-testid="student-pending-transfer"
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size={16} className="full-width">
            <Card size="small" title={s('stu.basic')} data-testid="student-basic">
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }}
                items={items}
                className="student-descriptions"
              />
            </Card>
            <Card size="small" title={s('stu.guardians')}>
              <Table<Guardian>
                rowKey={(g) => `${g.name}-${g.relation}`}
                size="small"
                columns={guardianColumns}
                dataSource={student.guardians}
                pagination={false}
                locale={{ emptyText: s('stu.noGuardians') }}
                data-testid="student-guardians"
              />
            </Card>
            <Card size="small" title={s('stu.transfers')}>
              <TransferTable
                items={student.transfers}
                hideStudent
                compact
                onChanged={reload}
                testId="student-transfers"
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={s('stu.history')} data-testid="student-history">
            <HistoryTimeline history={student.history} />
          </Card>
        </Col>
      </Row>
      {dialog === 'edit' ? (
        <StudentFormDrawer
          mode={{ type: 'edit', student }}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            if (saved) setStudent(saved);
            else reload();
          }}
        />
      ) : null}
      {dialog === 'status' ? (
        <StatusChangeModal
          student={student}
          onClose={() => setDialog(null)}
          onDone={(saved) => {
            setDialog(null);
            setStudent(saved);
          }}
        />
      ) : null}
      {dialog === 'transfer' ? (
        <TransferRequestModal
          student={student}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            reload();
          }}
        />
      ) : null}
    </>
  );
}
