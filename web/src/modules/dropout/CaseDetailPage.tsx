/**
 * One case: who it is, both responsibility lines (双线四级), the 四步法 steps with what was done and the
 * evidence, the outcome and its verification (动态销号), and the timeline. Phone-friendly: one column.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  CASE_OUTCOMES,
  caseOutcomeLabels,
  caseStepLabels,
  dropoutCaseStatusLabels,
  dropoutReasonLabels,
  EDU_LEVELS,
  GOV_LEVELS,
  label,
  lineLevelLabels,
  PLACEMENTS,
  placementLabels,
  type CaseDetail,
  type CaseLines,
  type CaseOutcome,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { uploadFile } from '../../app/PhotoField.tsx';
import { evidenceText } from './evidence.ts';
import { useDropoutI18n, type DropoutMessageKey } from './messages.ts';
import './dropout.css';

type Files = { id: string; name: string }[];

function EvidenceUpload({
  unitId,
  value,
  onChange,
}: {
  unitId: string;
  value: Files;
  onChange: (f: Files) => void;
}) {
  const feedback = useFeedback();
  const { d } = useDropoutI18n();
  return (
    <Space direction="vertical" size={4}>
      <input
        type="file"
        aria-label={d('cs.upload')}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          uploadFile(f, f.name, unitId)
            .then((stored) => onChange([...value, { id: stored.id, name: stored.name }]))
            .catch((err: unknown) => feedback.error(err));
          e.target.value = '';
        }}
      />
      {value.map((f) => (
        <Tag key={f.id} closable onClose={() => onChange(value.filter((x) => x.id !== f.id))}>
          {f.name}
        </Tag>
      ))}
    </Space>
  );
}

const fileLinks = (files: Files) =>
  files.map((f) => (
    <a key={f.id} href={`/api/files/${f.id}`} target="_blank" rel="noreferrer" style={{ marginRight: 8 }}>
      {f.name}
    </a>
  ));

export default function CaseDetailPage() {
  const { id } = useParams();
  const { d, lang } = useDropoutI18n();
  const feedback = useFeedback();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [stepFiles, setStepFiles] = useState<Files>([]);
  const [outcomeFiles, setOutcomeFiles] = useState<Files>([]);
  const [linesOpen, setLinesOpen] = useState(false);
  const [stepForm] = Form.useForm<{
    actedOn: string;
    people: string;
    action: string;
    result?: string;
    advance?: boolean;
  }>();
  const [outcomeForm] = Form.useForm<{
    outcome: CaseOutcome;
    placement?: string;
    on: string;
    note: string;
    destinationCode?: string;
  }>();
  const [linesForm] = Form.useForm<CaseLines>();
  const [verifyNote, setVerifyNote] = useState('');
  const today = chinaToday();

  const load = useCallback(() => {
    api
      .get<CaseDetail>(`/api/dropout/cases/${id}`)
      .then(setC)
      .catch((e: unknown) => feedback.error(e));
  }, [id, feedback]);
  useEffect(load, [load]);

  const act = (p: Promise<CaseDetail>, after?: () => void) =>
    p
      .then((x) => {
        setC(x);
        feedback.success(d('common.saved'));
        after?.();
      })
      .catch((e: unknown) => feedback.error(e));

  if (!c) return <PageHeader title={d('cs.detail')} crumbs={[{ title: d('do.module') }]} />;
  const stepName = (n: number) => (lang === 'en' ? caseStepLabels[n]!.en : caseStepLabels[n]!.zh);
  const lineTable = (rows: CaseDetail['lines']['edu'], kind: 'edu' | 'gov') => (
    <Table
      size="small"
      rowKey={(r) => `${r.level}${r.name}`}
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: d('cs.none') }}
      columns={[
        {
          title: d('cs.level'),
          dataIndex: 'level',
          render: (l: string) =>
            (lineLevelLabels[kind] as Record<string, { zh: string; en: string }>)[l]?.[
              lang === 'en' ? 'en' : 'zh'
            ] ?? l,
        },
        { title: d('cs.name'), dataIndex: 'name' },
        { title: d('cs.role'), dataIndex: 'role' },
        { title: d('cs.phone'), dataIndex: 'phone' },
      ]}
    />
  );

  return (
    <div className="case-page">
      <PageHeader
        title={`${d('cs.detail')}：${c.studentName}`}
        crumbs={[{ title: d('do.module') }, { title: d('cs.title'), to: '/dropout/cases' }]}
      />
      <Card size="small" title={d('cs.info')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={d('cs.student')}>
            <Link to={`/students/${c.studentId}`}>{c.studentName}</Link>
            {c.povertyHousehold ? (
              <Tag color="red" style={{ marginLeft: 4 }}>
                {d('case.poverty')}
              </Tag>
            ) : null}
          </Descriptions.Item>
          <Descriptions.Item label={d('cs.status')}>
            <Tag data-testid="case-status">{label(dropoutCaseStatusLabels, c.status, lang)}</Tag>
            {c.overdue ? <Tag color="red">{d('cs.overdue')}</Tag> : null}
            {c.escalatedTo ? <Tag color="purple">{`${d('cs.escalated')}：${c.escalatedTo}`}</Tag> : null}
          </Descriptions.Item>
          <Descriptions.Item
            label={d('case.school')}
          >{`${c.schoolName} ${c.className ?? ''}`}</Descriptions.Item>
          <Descriptions.Item label={d('case.reason')}>
            {label(dropoutReasonLabels, c.reason, lang)}（
            {evidenceText({ reason: c.reason, evidence: c.evidence }, d)}）
          </Descriptions.Item>
          <Descriptions.Item label={d('cs.detected')}>{c.detectedOn}</Descriptions.Item>
          <Descriptions.Item label={d('cs.confirmedOn')}>{c.confirmedOn ?? '—'}</Descriptions.Item>
        </Descriptions>
        {c.can.confirm ? (
          <Space wrap style={{ marginTop: 8 }}>
            <Button
              type="primary"
              data-testid="case-confirm"
              onClick={() =>
                void act(api.post<CaseDetail>(`/api/dropout/cases/${c.id}/confirm`, { on: today }))
              }
            >
              {d('cs.confirm')}
            </Button>
            <Button
              onClick={() => {
                let reason = '';
                Modal.confirm({
                  title: d('cs.dismiss'),
                  content: (
                    <Input.TextArea
                      aria-label={d('cs.dismissReason')}
                      onChange={(e) => (reason = e.target.value)}
                    />
                  ),
                  onOk: () => act(api.post<CaseDetail>(`/api/dropout/cases/${c.id}/dismiss`, { reason })),
                });
              }}
            >
              {d('cs.dismiss')}
            </Button>
          </Space>
        ) : null}
      </Card>

      <Card
        size="small"
        title={d('cs.lines')}
        style={{ marginTop: 12 }}
        extra={
          c.can.lines ? (
            <Button
              size="small"
              onClick={() => {
                linesForm.setFieldsValue({
                  edu: c.lines.edu.map((p) => ({
                    ...p,
                    role: p.role ?? undefined,
                    phone: undefined,
                  })) as CaseLines['edu'],
                  gov: c.lines.gov.map((p) => ({
                    ...p,
                    role: p.role ?? undefined,
                    phone: undefined,
                  })) as CaseLines['gov'],
                });
                setLinesOpen(true);
              }}
            >
              {d('cs.editLines')}
            </Button>
          ) : null
        }
      >
        <Typography.Text strong>{d('cs.eduLine')}</Typography.Text>
        {lineTable(c.lines.edu, 'edu')}
        <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>
          {d('cs.govLine')}
        </Typography.Text>
        {lineTable(c.lines.gov, 'gov')}
      </Card>

      <Card size="small" title={d('cs.steps')} style={{ marginTop: 12 }}>
        <Steps
          size="small"
          responsive
          current={Math.max(0, c.step - 1)}
          status={c.overdue ? 'error' : 'process'}
          items={[1, 2, 3, 4].map((n) => ({
            title: stepName(n),
            description: n === c.step && c.stepDueOn ? `${d('cs.due')} ${c.stepDueOn}` : undefined,
          }))}
        />
        {c.steps.map((s) => (
          <Card
            key={s.id}
            size="small"
            type="inner"
            style={{ marginTop: 8 }}
            title={`${s.actedOn} ${stepName(s.stepNo)}`}
          >
            <div>
              {d('cs.people')}：{s.people}
            </div>
            <div>{s.action}</div>
            {s.result ? <div>{`${d('cs.result')}：${s.result}`}</div> : null}
            {s.files.length ? <div>{fileLinks(s.files)}</div> : null}
          </Card>
        ))}
        {c.can.record ? (
          <Form
            form={stepForm}
            layout="vertical"
            style={{ marginTop: 12 }}
            initialValues={{ actedOn: today, advance: false }}
            onFinish={(v) =>
              void act(
                api.post<CaseDetail>(`/api/dropout/cases/${c.id}/steps`, {
                  ...v,
                  result: v.result || undefined,
                  fileIds: stepFiles.map((f) => f.id),
                }),
                () => {
                  stepForm.resetFields();
                  setStepFiles([]);
                },
              )
            }
          >
            <Typography.Text strong>{`${d('cs.record')}：${stepName(c.step)}`}</Typography.Text>
            <Form.Item name="actedOn" label={d('cs.actedOn')} rules={[{ required: true }]}>
              <Input type="date" max={today} style={{ maxWidth: 180 }} />
            </Form.Item>
            <Form.Item name="people" label={d('cs.people')} rules={[{ required: true }]}>
              <Input data-testid="step-people" maxLength={200} />
            </Form.Item>
            <Form.Item name="action" label={d('cs.action')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea data-testid="step-action" rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="result" label={d('cs.result')}>
              <Input maxLength={500} />
            </Form.Item>
            <Form.Item label={d('cs.evidence')}>
              <EvidenceUpload unitId={c.schoolId} value={stepFiles} onChange={setStepFiles} />
            </Form.Item>
            {c.step < 4 ? (
              <Form.Item name="advance" valuePropName="checked">
                <Checkbox>{d('cs.advance')}</Checkbox>
              </Form.Item>
            ) : null}
            <Button type="primary" htmlType="submit" data-testid="step-save">
              {d('cs.save')}
            </Button>
          </Form>
        ) : null}
      </Card>

      <Card size="small" title={d('cs.outcome')} style={{ marginTop: 12 }}>
        {c.outcome ? (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={d('cs.outcome')}>
              {label(caseOutcomeLabels, c.outcome, lang)}
              {c.placement ? `（${label(placementLabels, c.placement, lang)}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={d('cs.actedOn')}>{c.outcomeOn}</Descriptions.Item>
            <Descriptions.Item label={d('cs.note')}>{c.outcomeNote}</Descriptions.Item>
            {c.destinationCode ? (
              <Descriptions.Item label={d('cs.destination')}>{c.destinationCode}</Descriptions.Item>
            ) : null}
            {c.outcomeFiles.length ? (
              <Descriptions.Item label={d('cs.evidence')}>{fileLinks(c.outcomeFiles)}</Descriptions.Item>
            ) : null}
          </Descriptions>
        ) : null}
        {c.can.verify ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              aria-label={d('cs.note')}
              value={verifyNote}
              onChange={(e) => setVerifyNote(e.target.value)}
            />
            <Space>
              <Button
                type="primary"
                onClick={() =>
                  void act(
                    api.post<CaseDetail>(`/api/dropout/cases/${c.id}/verify`, {
                      approve: true,
                      note: verifyNote || undefined,
                    }),
                  )
                }
              >
                {d('cs.verify')}
              </Button>
              <Button
                danger
                onClick={() =>
                  void act(
                    api.post<CaseDetail>(`/api/dropout/cases/${c.id}/verify`, {
                      approve: false,
                      note: verifyNote || undefined,
                    }),
                  )
                }
              >
                {d('cs.reject')}
              </Button>
            </Space>
          </Space>
        ) : null}
        {c.can.outcome ? (
          <Form
            form={outcomeForm}
            layout="vertical"
            initialValues={{ on: today }}
            onFinish={(v) =>
              void act(
                api.post<CaseDetail>(`/api/dropout/cases/${c.id}/outcome`, {
                  ...v,
                  placement: v.outcome === 'returned' ? v.placement : undefined,
                  destinationCode: v.outcome === 'movedAway' ? v.destinationCode : undefined,
                  fileIds: outcomeFiles.map((f) => f.id),
                }),
                () => setOutcomeFiles([]),
              )
            }
          >
            <Form.Item name="outcome" label={d('cs.outcome')} rules={[{ required: true }]}>
              <Select
                options={CASE_OUTCOMES.map((o) => ({ value: o, label: label(caseOutcomeLabels, o, lang) }))}
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate>
              {() =>
                outcomeForm.getFieldValue('outcome') === 'returned' ? (
                  <Form.Item name="placement" label={d('cs.placement')} rules={[{ required: true }]}>
                    <Select
                      options={PLACEMENTS.map((p) => ({ value: p, label: label(placementLabels, p, lang) }))}
                    />
                  </Form.Item>
                ) : outcomeForm.getFieldValue('outcome') === 'movedAway' ? (
                  <Form.Item
                    name="destinationCode"
                    label={d('cs.destination')}
                    rules={[{ required: true, pattern: /^\d{6}$/ }]}
                  >
                    <Input maxLength={6} style={{ maxWidth: 160 }} />
                  </Form.Item>
                ) : null
              }
            </Form.Item>
            <Form.Item name="on" label={d('cs.actedOn')} rules={[{ required: true }]}>
              <Input type="date" max={today} style={{ maxWidth: 180 }} />
            </Form.Item>
            <Form.Item name="note" label={d('cs.note')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            <Form.Item label={d('cs.evidence')}>
              <EvidenceUpload unitId={c.schoolId} value={outcomeFiles} onChange={setOutcomeFiles} />
            </Form.Item>
            <Button htmlType="submit">{d('cs.propose')}</Button>
          </Form>
        ) : null}
      </Card>

      <Card size="small" title={d('cs.timeline')} style={{ marginTop: 12 }}>
        <Timeline
          items={c.timeline.map((e) => ({
            key: e.id,
            children: (
              <span>
                {`${e.at.slice(0, 16).replace('T', ' ')} ${d(`cs.ev.${e.kind}` as DropoutMessageKey)}`}
                {e.actorName ? ` · ${e.actorName}` : ''}
                {typeof e.data.stepName === 'string' ? ` · ${e.data.stepName}` : ''}
                {typeof e.data.to === 'string' ? ` → ${e.data.to}` : ''}
                {typeof e.data.note === 'string' ? ` · ${e.data.note}` : ''}
              </span>
            ),
          }))}
        />
      </Card>
      <Modal
        open={linesOpen}
        title={d('cs.lines')}
        onCancel={() => setLinesOpen(false)}
        onOk={() =>
          void linesForm.validateFields().then((v) =>
            act(
              api.put<CaseDetail>(`/api/dropout/cases/${c.id}/lines`, {
                edu: (v.edu ?? []).map((p) => ({
                  ...p,
                  phone: p.phone || undefined,
                  role: p.role || undefined,
                })),
                gov: (v.gov ?? []).map((p) => ({
                  ...p,
                  phone: p.phone || undefined,
                  role: p.role || undefined,
                })),
              }),
              () => setLinesOpen(false),
            ),
          )
        }
      >
        <Form form={linesForm} layout="vertical">
          {(['edu', 'gov'] as const).map((kind) => (
            <Form.List key={kind} name={kind}>
              {(fields, { add, remove }) => (
                <div style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{d(kind === 'edu' ? 'cs.eduLine' : 'cs.govLine')}</Typography.Text>
                  {fields.map((f) => (
                    <Space key={f.key} wrap align="baseline">
                      <Form.Item name={[f.name, 'level']} rules={[{ required: true }]}>
                        <Select
                          style={{ width: 130 }}
                          options={(kind === 'edu' ? EDU_LEVELS : GOV_LEVELS).map((l) => ({
                            value: l,
                            label: (lineLevelLabels[kind] as Record<string, { zh: string; en: string }>)[l]![
                              lang === 'en' ? 'en' : 'zh'
                            ],
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                        <Input placeholder={d('cs.name')} style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'role']}>
                        <Input placeholder={d('cs.role')} style={{ width: 100 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'phone']}>
                        <Input placeholder={d('cs.phone')} style={{ width: 130 }} />
                      </Form.Item>
                      <Button type="link" danger onClick={() => remove(f.name)}>
                        ×
                      </Button>
                    </Space>
                  ))}
                  <Button size="small" onClick={() => add({ level: kind === 'edu' ? 'school' : 'village' })}>
                    {d('cs.addPerson')}
                  </Button>
                </div>
              )}
            </Form.List>
          ))}
        </Form>
      </Modal>
    </div>
  );
}
