/**
 * 问题详情: what was found, where and by whom, its photos, the rectification, the timeline of every step
 * (with the files of each), and the steps the actor may take now (the finding's `can` flags; the server
 * checks again). Links to the rectification notice and to the record that raised it.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
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
  Timeline,
  Typography,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import {
  AuditOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  FileTextOutlined,
  MessageOutlined,
  PaperClipOutlined,
  PrinterOutlined,
  RollbackOutlined,
  ToolOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  findingCategoryLabels,
  findingEventLabels,
  findingSourceLabels,
  label,
  type FindingDetail,
  type FindingEvent,
  type Notice,
  type StoredFile,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField, filesToPhotos } from '../../app/PhotoField.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { NotFound } from '../errors/index.tsx';
import { ActionDialog, type FindingAction } from './components/ActionDialog.tsx';
import {
  FindingStatusTag,
  OverdueTags,
  SeverityTag,
  deadlineHint,
  sourceHref,
  sourceTypeLabel,
} from './components/labels.tsx';
import { useFindingI18n } from './messages.ts';
import './findings.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EVENT_COLORS: Record<FindingEvent['kind'], string> = {
  raise: 'blue',
  notify: 'blue',
  start: 'cyan',
  submit: 'gold',
  close: 'green',
  return: 'red',
  escalate: 'red',
  extend: 'purple',
  comment: 'gray',
};

const isImage = (file: StoredFile) => file.contentType.startsWith('image/');

/** Photos as thumbnails (preview on click), other files (PDF) as links. */
function Files({ files }: { files: StoredFile[] }) {
  const images = files.filter(isImage);
  const others = files.filter((file) => !isImage(file));
  if (files.length === 0) return null;
  return (
    <div className="finding-files">
      {images.length > 0 ? <PhotoField value={filesToPhotos(images)} readOnly /> : null}
      {others.map((file) => (
        <a
          key={file.id}
          href={`/api/files/${file.id}`}
          target="_blank"
          rel="noreferrer"
          className="finding-file-link"
        >
          <PaperClipOutlined /> {file.name}
        </a>
      ))}
    </div>
  );
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null;
}

export default function FindingDetailPage() {
  const { id = '' } = useParams();
  const valid = UUID.test(id);
  const { t, f, lang } = useFindingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [finding, setFinding] = useState<FindingDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [tick, setTick] = useState(0);
  const [action, setAction] = useState<FindingAction | null>(null);
  const [notifying, setNotifying] = useState(false);

  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    setError(null);
    api
      .get<FindingDetail>(`/api/findings/${id}`, undefined, controller.signal)
      .then(setFinding, (err: unknown) => {
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
  const crumbs = [{ title: t('nav.findingsGroup') }, { title: f('fd.title'), to: '/findings' }];
  if (error && !finding)
    return (
      <>
        <PageHeader title={f('fd.detail')} crumbs={crumbs} />
        <Card>
          <Result
            status={error.status === 403 ? '403' : 'error'}
            title={f('fd.loadFailed')}
            subTitle={error.message}
            extra={
              <Button type="primary" onClick={reload}>
                {t('result.retry')}
              </Button>
            }
          />
        </Card>
      </>
    );
  if (!finding || finding.id !== id)
    return (
      <>
        <PageHeader title={f('fd.detail')} crumbs={crumbs} />
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </>
    );

  const dash = t('common.none');
  const text = (v: string | null | undefined) => v || dash;
  const can = finding.can;
  const open = finding.status !== 'closed';
  const mayComment = can.start || can.submit || can.verify || can.extend || me.access.raiseFindings;
  const srcLink = sourceHref(finding.sourceType, finding.sourceId);

  const issueNotice = async () => {
    setNotifying(true);
    try {
      const notice = await api.post<Notice>('/api/findings/notices', { findingIds: [finding.id] });
      feedback.success(f('fd.noticeIssued', { no: notice.no }));
      void navigate(`/findings/notices/${notice.id}`);
    } catch (err) {
      feedback.error(err);
    } finally {
      setNotifying(false);
    }
  };

  const actions = (
    <>
      {can.notify ? (
        <Button
          type="primary"
          icon={<FileTextOutlined />}
          loading={notifying}
          onClick={() => void issueNotice()}
          data-testid="finding-act-notify"
        >
          {f('fd.act.notify')}
        </Button>
      ) : null}
      {can.start ? (
        <Button
          type="primary"
          icon={<ToolOutlined />}
          onClick={() => setAction('start')}
          data-testid="finding-act-start"
        >
          {f('fd.act.start')}
        </Button>
      ) : null}
      {can.submit ? (
        <Button
          type="primary"
          icon={<UploadOutlined />}
          onClick={() => setAction('submit')}
          data-testid="finding-act-submit"
        >
          {f('fd.act.submit')}
        </Button>
      ) : null}
      {can.verify ? (
        <Button
          type="primary"
          icon={<CheckCircleOutlined />}
          onClick={() => setAction('verify')}
          data-testid="finding-act-verify"
        >
          {f('fd.act.verify')}
        </Button>
      ) : null}
      {can.verify ? (
        <Button
          danger
          icon={<RollbackOutlined />}
          onClick={() => setAction('return')}
          data-testid="finding-act-return"
        >
          {f('fd.act.return')}
        </Button>
      ) : null}
      {can.extend && open ? (
        <Button
          icon={<ClockCircleOutlined />}
          onClick={() => setAction('extend')}
          data-testid="finding-act-extend"
        >
          {f('fd.act.extend')}
        </Button>
      ) : null}
      {mayComment ? (
        <Button
          icon={<MessageOutlined />}
          onClick={() => setAction('comment')}
          data-testid="finding-act-comment"
        >
          {f('fd.act.comment')}
        </Button>
      ) : null}
    </>
  );
  const yourTurn = can.notify || can.start || can.submit || can.verify;

  const items: DescriptionsProps['items'] = [
    { key: 'no', label: f('fd.no'), children: <span className="mono">{finding.no}</span> },
    { key: 'unit', label: f('fd.unit'), children: finding.unitName },
    {
      key: 'category',
      label: f('fd.category'),
      children: `${label(findingCategoryLabels, finding.category, lang)}${finding.subcategory ? ` · ${finding.subcategory}` : ''}`,
    },
    { key: 'severity', label: f('fd.severity'), children: <SeverityTag severity={finding.severity} /> },
    {
      key: 'source',
      label: f('fd.source'),
      children: (
        <Space size={8} wrap>
          {label(findingSourceLabels, finding.source, lang)}
          {srcLink ? (
            <Link to={srcLink} data-testid="finding-source-link">
              {f('fd.sourceRecord')}（{sourceTypeLabel(finding.sourceType ?? '', lang)}）
            </Link>
          ) : null}
        </Space>
      ),
    },
    { key: 'raisedBy', label: f('fd.raisedBy'), children: finding.raisedByUnitName },
    { key: 'raisedByPerson', label: f('fd.raisedByPerson'), children: text(finding.raisedByName) },
    { key: 'raisedOn', label: f('fd.raisedOn'), children: <span className="mono">{finding.raisedOn}</span> },
    {
      key: 'deadline',
      label: f('fd.deadline'),
      children: (
        <Space size={6} wrap>
          <span
            className={`mono${finding.overdue && open ? ' text-danger' : ''}`}
            data-testid="finding-deadline"
          >
            {finding.deadline}
          </span>
          {open ? (
            <Typography.Text type={finding.overdue ? 'danger' : 'secondary'} className="small">
              {deadlineHint(finding, f)}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    ...(finding.closedOn
      ? [
          {
            key: 'closedOn',
            label: f('fd.closedOn'),
            children: <span className="mono">{finding.closedOn}</span>,
          },
        ]
      : []),
    { key: 'location', label: f('fd.location'), children: text(finding.location) },
    ...(finding.gridName ? [{ key: 'grid', label: f('fd.grid'), children: finding.gridName }] : []),
    {
      key: 'notice',
      label: f('fd.notice'),
      children:
        finding.noticeId && finding.noticeNo ? (
          <Link to={`/findings/notices/${finding.noticeId}`} data-testid="finding-notice-link">
            <PrinterOutlined /> {finding.noticeNo}
          </Link>
        ) : (
          dash
        ),
    },
    { key: 'basis', label: f('fd.basis'), span: 'filled', children: text(finding.basis) },
    {
      key: 'description',
      label: f('fd.description'),
      span: 'filled',
      children: <span className="pre-wrap">{text(finding.description)}</span>,
    },
  ];

  const timeline = finding.events.map((ev) => {
    const data = ev.data ?? {};
    const from = str(data.from) ?? str(data.previousDeadline) ?? str(data.oldDeadline);
    const to = str(data.to) ?? str(data.deadline) ?? str(data.newDeadline);
    const completedOn = str(data.completedOn);
    const measures = str(data.measures);
    const interim = str(data.interimControls);
    const noticeNo = str(data.noticeNo);
    // The overdue sweep runs as the system: no person to name.
    const who = [ev.unitName, ev.kind === 'escalate' ? null : ev.actorName].filter(Boolean).join(' ');
    return {
      key: ev.id,
      color: EVENT_COLORS[ev.kind],
      content: (
        <div className="finding-event" data-testid="finding-event" data-kind={ev.kind}>
          <div className="finding-event-head">
            <b>{label(findingEventLabels, ev.kind, lang)}</b>
            <Typography.Text type="secondary" className="small">
              {formatDateTime(ev.at)}
              {who ? ` · ${who}` : ''}
            </Typography.Text>
          </div>
          {ev.kind === 'extend' && to ? (
            <div>{from ? f('fd.deadlineChange', { from, to }) : `${f('fd.newDeadline')}：${to}`}</div>
          ) : null}
          {measures && ev.note !== measures ? (
            <div className="pre-wrap">
              {f('fd.measures')}：{measures}
            </div>
          ) : null}
          {ev.kind === 'notify' && noticeNo ? (
            <div>
              {f('fd.notice')}：{noticeNo}
            </div>
          ) : null}
          {ev.note ? <div className="pre-wrap finding-event-note">{ev.note}</div> : null}
          {interim ? (
            <div className="pre-wrap">
              {f('fd.interimControls')}：{interim}
            </div>
          ) : null}
          {completedOn ? (
            <div>
              {f('fd.completedOn')}：{completedOn}
            </div>
          ) : null}
          <Files files={ev.files} />
        </div>
      ),
    };
  });

  return (
    <>
      <PageHeader title={finding.title} crumbs={crumbs} extra={isMobile ? undefined : actions}>
        <div className="finding-head-tags">
          <FindingStatusTag status={finding.status} />
          <SeverityTag severity={finding.severity} />
          <OverdueTags finding={finding} />
          {finding.returnCount > 0 ? (
            <Typography.Text type="warning" className="small">
              {f('fd.returned', { n: finding.returnCount })}
            </Typography.Text>
          ) : null}
          {yourTurn ? (
            <Typography.Text type="success" className="small">
              <AuditOutlined /> {f('fd.awaitingYou')}
            </Typography.Text>
          ) : null}
        </div>
      </PageHeader>
      {finding.escalatedAt && open ? (
        <Alert
          type="error"
          showIcon
          className="block-gap"
          title={f('fd.escalatedTo', { unit: finding.escalatedToName ?? '' })}
          description={formatDateTime(finding.escalatedAt)}
          data-testid="finding-escalated-alert"
        />
      ) : null}
      {isMobile ? <div className="finding-mobile-actions">{actions}</div> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Space orientation="vertical" size={16} className="full-width">
            <Card size="small" title={f('fd.basic')}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={items}
                bordered={!isMobile}
                className="finding-descriptions"
              />
            </Card>
            {finding.files.length > 0 ? (
              <Card size="small" title={f('fd.files')}>
                <Files files={finding.files} />
              </Card>
            ) : null}
            {finding.measures || finding.interimControls ? (
              <Card size="small" title={f('fd.rectification')}>
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    ...(finding.measures
                      ? [
                          {
                            key: 'measures',
                            label: f('fd.measures'),
                            children: <span className="pre-wrap">{finding.measures}</span>,
                          },
                        ]
                      : []),
                    ...(finding.interimControls
                      ? [
                          {
                            key: 'interim',
                            label: f('fd.interimControls'),
                            children: <span className="pre-wrap">{finding.interimControls}</span>,
                          },
                        ]
                      : []),
                  ]}
                />
              </Card>
            ) : null}
          </Space>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={f('fd.timeline')} data-testid="finding-timeline">
            {timeline.length > 0 ? (
              <Timeline items={timeline} className="finding-timeline" />
            ) : (
              <Typography.Text type="secondary">{f('fd.noEvents')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      {action ? (
        <ActionDialog
          action={action}
          finding={finding}
          onClose={() => setAction(null)}
          onDone={(next) => {
            setAction(null);
            setFinding(next);
          }}
        />
      ) : null}
    </>
  );
}
