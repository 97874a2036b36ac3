/**
 * 督导意见书: the A4 document (文号, title, the school, the visit, the opinion, the problems with their
 * deadlines, the requirements, the date the report is due, 落款) that prints on its own; beside it (not
 * printed) its state, the school's 整改报告 form, the inspector's accept / return, and the progress.
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Result,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  ArrowLeftOutlined,
  CheckOutlined,
  PrinterOutlined,
  RollbackOutlined,
  SendOutlined,
} from '@ant-design/icons';
import {
  findingCategoryLabels,
  findingSeverityLabels,
  findingStatusLabels,
  label,
  opinionEventLabels,
  type OpinionDetail,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../app/PhotoField.tsx';
import { NotFound } from '../errors/index.tsx';
import { longDate } from '../findings/components/labels.tsx';
import { OpinionStateTag, UUID, useResource } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

export default function OpinionPage() {
  const { id = '' } = useParams();
  const { m, lang } = useInspectorI18n();
  const r = useResource<OpinionDetail>(UUID.test(id) ? `/api/inspectors/opinions/${id}` : null);
  const o = r.data;
  useEffect(() => {
    if (!o) return;
    const previous = document.title;
    document.title = `${o.no} ${m('in.docTitle')}`;
    return () => {
      document.title = previous;
    };
  }, [o, m]);
  if (!UUID.test(id) || r.status === 404) return <NotFound />;
  if (r.error && !o) return <Result status="error" title={r.error} />;
  if (!o) return <Skeleton active />;

  return (
    <div className="doc-page">
      <Space wrap className="no-print insp-gap">
        <Link to="/inspectors/visits?tab=opinions">
          <Button icon={<ArrowLeftOutlined />}>{m('in.back')}</Button>
        </Link>
        <Link to={`/inspectors/visits/${o.visitId}`}>
          <Button>{m('in.visits')}</Button>
        </Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {m('in.print')}
        </Button>
        <OpinionStateTag state={o.state} lang={lang} />
        {o.overdue ? <Tag color="red">{m('in.overdue')}</Tag> : null}
      </Space>

      <div className="doc-paper" data-testid="opinion-paper">
        <div className="doc-no">{o.no}</div>
        <h1 className="doc-title">{m('in.docTitle')}</h1>
        <p className="doc-to">{m('in.docTo', { school: o.school.name })}</p>
        <p className="doc-para">
          {m('in.docIntro', { date: longDate(o.visitDate, lang), inspector: o.inspectorName })}
        </p>
        <p className="doc-para pre-wrap">{o.content}</p>
        {o.findings.length ? (
          <>
            <h2 className="doc-h2">{m('in.docProblems')}</h2>
            <table className="doc-table">
              <thead>
                <tr>
                  <th style={{ width: '8%' }}>{lang === 'zh' ? '序号' : 'No.'}</th>
                  <th style={{ width: '18%' }}>{lang === 'zh' ? '类别' : 'Category'}</th>
                  <th>{lang === 'zh' ? '问题' : 'Problem'}</th>
                  <th style={{ width: '10%' }}>{lang === 'zh' ? '程度' : 'Severity'}</th>
                  <th style={{ width: '16%' }}>{m('in.deadline')}</th>
                </tr>
              </thead>
              <tbody>
                {o.findings.map((f, i) => (
                  <tr key={f.id}>
                    <td>{i + 1}</td>
                    <td>{label(findingCategoryLabels, f.category, lang)}</td>
                    <td>
                      {/* the category has its own column: leave out the title's "类别：" prefix */}
                      {f.title.replace(`${findingCategoryLabels[f.category].zh}：`, '')}
                      <span className="no-print">
                        {' '}
                        <Link to={`/findings/${f.id}`}>{f.no}</Link>{' '}
                        <Tag>{label(findingStatusLabels, f.status, lang)}</Tag>
                      </span>
                    </td>
                    <td>{label(findingSeverityLabels, f.severity, lang)}</td>
                    <td>{f.deadline}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
        {o.requirements ? (
          <>
            <h2 className="doc-h2">{m('in.requirements')}</h2>
            <p className="doc-para pre-wrap">{o.requirements}</p>
          </>
        ) : null}
        <p className="doc-para">{m('in.docDeadline', { date: longDate(o.deadline, lang) })}</p>
        <div className="doc-sign">
          <div>{m('in.docInspector', { name: o.inspectorName })}</div>
          <div>{o.bureauName}</div>
          <div>{longDate(o.issuedOn, lang)}</div>
        </div>
      </div>

      <Actions opinion={o} onChange={(d) => r.setData(d)} />
    </div>
  );
}

function Actions({ opinion: o, onChange }: { opinion: OpinionDetail; onChange: (o: OpinionDetail) => void }) {
  const { m, lang } = useInspectorI18n();
  const feedback = useFeedback();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<PhotoValue[]>([]);
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  async function run(fn: () => Promise<OpinionDetail>) {
    setBusy(true);
    try {
      onChange(await fn());
      feedback.success(m('in.saved'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  }
  const report = () =>
    run(async () => {
      const fileIds = await uploadPhotos(photos, o.schoolId);
      const d = await api.post<OpinionDetail>(`/api/inspectors/opinions/${o.id}/report`, {
        text: text.trim(),
        fileIds,
      });
      setText('');
      setPhotos([]);
      return d;
    });

  return (
    <div className="no-print doc-side">
      {o.report ? (
        <Card size="small" title={m('in.report')} className="insp-gap">
          <div className="pre-wrap">{o.report.text}</div>
          {o.report.fileIds.length ? (
            <PhotoField readOnly value={o.report.fileIds.map((id) => ({ id, name: id }))} />
          ) : null}
          <Typography.Text type="secondary">
            {`${o.report.submittedBy ?? ''} ${formatDateTime(o.report.submittedAt)}`}
          </Typography.Text>
          {o.verifyNote ? (
            <Alert
              className="insp-gap-top"
              type={o.status === 'returned' ? 'warning' : 'success'}
              message={o.verifyNote}
            />
          ) : null}
        </Card>
      ) : (
        <Alert className="insp-gap" type="info" message={m('in.noReport')} />
      )}
      {o.can.report ? (
        <Card size="small" title={m('in.submitReport')} className="insp-gap">
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 4, maxRows: 12 }}
            maxLength={4000}
            placeholder={m('in.reportText')}
            data-testid="report-text"
          />
          <div className="insp-gap-top">
            <Typography.Text type="secondary">{m('in.reportFiles')}</Typography.Text>
            <PhotoField value={photos} onChange={setPhotos} unitId={o.schoolId} max={9} />
          </div>
          <Button
            className="insp-gap-top"
            type="primary"
            icon={<SendOutlined />}
            disabled={!text.trim()}
            loading={busy}
            onClick={() => void report()}
            data-testid="report-submit"
          >
            {m('in.submitReport')}
          </Button>
        </Card>
      ) : null}
      {o.can.verify ? (
        <Space className="insp-gap" wrap>
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={busy}
            onClick={() =>
              void run(() => api.post<OpinionDetail>(`/api/inspectors/opinions/${o.id}/accept`, {}))
            }
            data-testid="report-accept"
          >
            {m('in.accept')}
          </Button>
          <Button
            danger
            icon={<RollbackOutlined />}
            onClick={() => setReturning(true)}
            data-testid="report-return"
          >
            {m('in.return')}
          </Button>
        </Space>
      ) : null}
      <Card size="small" title={m('in.timeline')}>
        <Timeline
          items={o.events.map((e) => ({
            color: e.kind === 'return' ? 'red' : e.kind === 'accept' ? 'green' : 'blue',
            children: (
              <div>
                <strong>{label(opinionEventLabels, e.kind, lang)}</strong>{' '}
                <Typography.Text type="secondary">{`${e.actorName ?? ''} ${formatDateTime(e.at)}`}</Typography.Text>
                {e.note && e.kind !== 'report' ? <div className="pre-wrap">{e.note}</div> : null}
              </div>
            ),
          }))}
        />
      </Card>
      <Modal
        open={returning}
        title={m('in.return')}
        onCancel={() => setReturning(false)}
        confirmLoading={busy}
        onOk={() =>
          void form
            .validateFields()
            .then(({ reason }) =>
              run(() =>
                api.post<OpinionDetail>(`/api/inspectors/opinions/${o.id}/return`, { reason: reason.trim() }),
              ).then(() => setReturning(false)),
            )
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={m('in.returnReason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
