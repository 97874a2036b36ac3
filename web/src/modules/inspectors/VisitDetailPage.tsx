/**
 * One visit: when, who, how, the eight items looked at (problems red, each with its finding in the ledger),
 * the summary, and the 督导意见书 — open it, or issue it (the inspector: content, requirements, the date the
 * report is due, the findings listed).
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Result,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { FileTextOutlined, UnorderedListOutlined } from '@ant-design/icons';
import {
  findingStatusLabels,
  label,
  routineItemLabels,
  visitMethodLabels,
  type OpinionDetail,
  type VisitDetail,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField } from '../../app/PhotoField.tsx';
import { NotFound } from '../errors/index.tsx';
import { addDays, chinaToday, SeverityTag } from '../findings/components/labels.tsx';
import { UUID, useResource } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

export default function VisitDetailPage() {
  const { id = '' } = useParams();
  const { m, lang } = useInspectorI18n();
  const r = useResource<VisitDetail>(UUID.test(id) ? `/api/inspectors/visits/${id}` : null);
  const [issuing, setIssuing] = useState(false);
  if (!UUID.test(id) || r.status === 404) return <NotFound />;
  if (r.error) return <Result status="error" title={r.error} />;
  const v = r.data;
  if (!v) return <Skeleton active />;
  const problems = v.items.filter((i) => i.finding);
  return (
    <div>
      <PageHeader
        title={`${v.schoolName} · ${v.visitDate}`}
        crumbs={[{ title: m('in.visits'), to: '/inspectors/visits' }]}
        extra={
          <>
            <Link to={`/inspectors/plaque/${v.schoolId}`}>
              <Button>{m('in.plaque')}</Button>
            </Link>
            {problems.length ? (
              <Link to={`/findings?sourceType=inspector_visit&sourceId=${v.id}`}>
                <Button icon={<UnorderedListOutlined />}>{m('in.findings')}</Button>
              </Link>
            ) : null}
            {v.opinionId ? (
              <Link to={`/inspectors/opinions/${v.opinionId}`}>
                <Button icon={<FileTextOutlined />}>{v.opinionNo}</Button>
              </Link>
            ) : v.can.issueOpinion ? (
              <Button
                type="primary"
                icon={<FileTextOutlined />}
                onClick={() => setIssuing(true)}
                data-testid="issue-opinion"
              >
                {m('in.issueOpinion')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card size="small" className="insp-gap">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={m('in.school')}>{`${v.schoolName}（${v.schoolCode}）`}</Descriptions.Item>
          <Descriptions.Item label={m('in.inspector')}>{v.inspectorName}</Descriptions.Item>
          <Descriptions.Item label={m('in.visitDate')}>{v.visitDate}</Descriptions.Item>
          <Descriptions.Item label={m('in.bureau')}>{v.bureauName}</Descriptions.Item>
          <Descriptions.Item label={m('in.methods')}>
            {v.methods.map((x) => label(visitMethodLabels, x, lang)).join('、')}
            {v.otherMethod ? `（${v.otherMethod}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={m('in.recordedBy')}>{v.recordedByName ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={m('in.items')} className="insp-gap">
        <List
          dataSource={v.items}
          renderItem={(i) => (
            <List.Item
              className={i.result === 'problem' ? 'insp-item-problem' : ''}
              data-testid={`visit-detail-${i.item}`}
            >
              <div className="insp-detail-item">
                <Space wrap>
                  <strong>{label(routineItemLabels, i.item, lang)}</strong>
                  {i.result === 'problem' ? (
                    <Tag color="red">{m('in.problem')}</Tag>
                  ) : (
                    <Tag color="green">{m('in.ok')}</Tag>
                  )}
                  {i.finding ? (
                    <>
                      <Link to={`/findings/${i.finding.id}`}>{i.finding.no}</Link>
                      <SeverityTag severity={i.finding.severity} />
                      <Tag>{label(findingStatusLabels, i.finding.status, lang)}</Tag>
                      <Typography.Text type="secondary">{`${m('in.deadline')} ${i.finding.deadline}`}</Typography.Text>
                    </>
                  ) : null}
                </Space>
                {i.notes ? <div className="pre-wrap">{i.notes}</div> : null}
                {i.fileIds.length ? (
                  <PhotoField readOnly value={i.fileIds.map((fid) => ({ id: fid, name: fid }))} />
                ) : null}
              </div>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={m('in.summary')} className="insp-gap">
        <div className="pre-wrap">{v.summary}</div>
      </Card>
      {issuing ? <IssueOpinion visit={v} onClose={() => setIssuing(false)} /> : null}
    </div>
  );
}

function IssueOpinion({ visit, onClose }: { visit: VisitDetail; onClose: () => void }) {
  const { m } = useInspectorI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [form] = Form.useForm<{
    content: string;
    requirements?: string;
    deadline: string;
    findingIds: string[];
  }>();
  const [busy, setBusy] = useState(false);
  const findings = visit.items.filter((i) => i.finding).map((i) => i.finding!);
  const open = findings.filter((f) => f.status !== 'closed').map((f) => f.id);
  async function onOk() {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const o = await api.post<OpinionDetail>(`/api/inspectors/visits/${visit.id}/opinion`, {
        content: values.content.trim(),
        ...(values.requirements?.trim() ? { requirements: values.requirements.trim() } : {}),
        deadline: values.deadline,
        findingIds: values.findingIds ?? [],
      });
      feedback.success(m('in.issued'));
      void navigate(`/inspectors/opinions/${o.id}`);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={m('in.issueOpinion')}
      onCancel={onClose}
      onOk={() => void onOk()}
      confirmLoading={busy}
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ deadline: addDays(chinaToday(), 15), findingIds: open, content: visit.summary }}
      >
        <Form.Item name="content" label={m('in.content')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 12 }}
            maxLength={4000}
            data-testid="opinion-content"
          />
        </Form.Item>
        <Form.Item name="requirements" label={m('in.requirements')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="deadline" label={m('in.opinionDeadline')} rules={[{ required: true }]}>
          <Input type="date" min={chinaToday()} />
        </Form.Item>
        {findings.length ? (
          <Form.Item name="findingIds" label={m('in.listFindings')}>
            <Checkbox.Group
              className="insp-vertical"
              options={findings.map((f) => ({ value: f.id, label: `${f.no} ${f.title}` }))}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
