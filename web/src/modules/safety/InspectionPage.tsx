/** 安全检查记录: one inspection as a printable record — who, when, each item's result, the findings raised. */
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import {
  findingSeverityLabels,
  inspectionKindLabels,
  itemResultLabels,
  label,
  safetyAreaLabels,
  type SafetyInspectionDetail,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField } from '../../app/PhotoField.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { LoadError, percent, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

type Item = SafetyInspectionDetail['items'][number];

export default function InspectionPage() {
  const { id } = useParams();
  const { s, lang } = useSafetyI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { data: d, error, reload } = useResource<SafetyInspectionDetail>(`/api/safety/inspections/${id}`);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!d) return <Card loading />;

  const resultTag = (r: Item['result']) =>
    r ? (
      <Tag color={r === 'pass' ? 'green' : r === 'fail' ? 'red' : 'default'}>
        {label(itemResultLabels, r, lang)}
      </Tag>
    ) : (
      <Tag>—</Tag>
    );
  const columns: TableColumnsType<Item> = [
    { title: '#', dataIndex: 'seq', width: 48 },
    {
      title: s('sf.areaCol'),
      dataIndex: 'area',
      width: 110,
      render: (a: Item['area']) => label(safetyAreaLabels, a, lang),
    },
    {
      title: s('sf.templates.text'),
      dataIndex: 'text',
      render: (_: string, it) => (
        <>
          {it.text}
          {it.basis ? <div className="safety-item-basis">{it.basis}</div> : null}
          {it.note ? <div className="safety-missing">{it.note}</div> : null}
          {it.fileIds.length ? (
            <PhotoField readOnly value={it.fileIds.map((fid, n) => ({ id: fid, name: `${n + 1}.jpg` }))} />
          ) : null}
        </>
      ),
    },
    { title: s('sf.record.result'), dataIndex: 'result', width: 90, render: resultTag },
    {
      title: s('sf.inspect.severity'),
      width: 150,
      render: (_: unknown, it) =>
        it.result === 'fail' ? (
          <Space direction="vertical" size={0}>
            {it.severity ? label(findingSeverityLabels, it.severity, lang) : null}
            {it.findingId ? <Link to={`/findings/${it.findingId}`}>{s('sf.findingsLink')}</Link> : null}
          </Space>
        ) : null,
    },
  ];

  const discard = () =>
    modal.confirm({
      title: s('sf.confirmDelete'),
      onOk: async () => {
        try {
          await api.delete(`/api/safety/inspections/${d.id}`);
          void navigate('/safety/inspections');
        } catch (err) {
          void message.error(isApiError(err) ? err.message : String(err));
        }
      },
    });

  return (
    <div className="safety-print" data-testid="safety-inspection">
      <PageHeader
        title={s('sf.record.title')}
        crumbs={[{ title: s('sf.safety') }, { title: s('sf.record.list'), to: '/safety/inspections' }]}
        extra={
          <>
            {d.status === 'draft' && d.canEdit ? (
              <>
                <Button type="primary" onClick={() => navigate(`/safety/inspect?draft=${d.id}`)}>
                  {s('sf.record.continue')}
                </Button>
                <Button danger onClick={discard}>
                  {s('sf.delete')}
                </Button>
              </>
            ) : null}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {s('sf.print')}
            </Button>
          </>
        }
      />
      <div className="safety-doc-title">
        {d.schoolName} {s('sf.record.title')}
      </div>
      <Card size="small" className="safety-gap">
        <Descriptions column={isMobile ? 1 : 3} size="small">
          <Descriptions.Item label={s('sf.school')}>{d.schoolName}</Descriptions.Item>
          <Descriptions.Item label={s('sf.inspect.kind')}>
            {label(inspectionKindLabels, d.kind, lang)}
            {d.month ? `（${d.month}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={s('sf.status')}>
            {d.status === 'draft' ? (
              <Tag color="orange">{s('sf.record.draft')}</Tag>
            ) : (
              <Tag color="green">{s('sf.record.submitted')}</Tag>
            )}
          </Descriptions.Item>
          {d.campaignName ? (
            <Descriptions.Item label={s('sf.inspect.campaign')}>
              <Link to={`/safety/campaigns/${d.campaignId}`}>{d.campaignName}</Link>
            </Descriptions.Item>
          ) : null}
          {d.groupName ? (
            <Descriptions.Item label={s('sf.inspect.group')}>{d.groupName}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={s('sf.inspect.checklist')}>
            {d.templateName}（{s('sf.templates.version', { n: d.templateVersion })}）
          </Descriptions.Item>
          <Descriptions.Item label={s('sf.inspect.date')}>{d.inspectedOn}</Descriptions.Item>
          <Descriptions.Item label={s('sf.inspect.people')}>
            {d.people.join('、') || '—'}（{d.peopleCount}人）
          </Descriptions.Item>
          {d.gridName ? (
            <Descriptions.Item label={s('sf.inspect.grid')}>{d.gridName}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={s('sf.record.by')}>{d.createdByName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={s('sf.record.result')}>
            {s('sf.record.passed')} {d.passed} · {s('sf.record.failed')} {d.failed} ·{' '}
            {label(itemResultLabels, 'na', lang)} {d.na}
          </Descriptions.Item>
          {d.findings ? (
            <Descriptions.Item label={s('sf.found')}>
              <Link to={`/findings?sourceType=safety_inspection&sourceId=${d.id}`}>
                {d.findings.found} · {s('sf.rectified')} {d.findings.rectified} · {s('sf.rate')}{' '}
                {percent(d.findings.rate)}
              </Link>
            </Descriptions.Item>
          ) : null}
          {d.noticeIds.length ? (
            <Descriptions.Item label={s('sf.record.notices')}>
              <Space>
                {d.noticeIds.map((n, i) => (
                  <Link key={n} to={`/findings/notices/${n}`}>
                    {s('sf.record.notices')}
                    {d.noticeIds.length > 1 ? i + 1 : ''}
                  </Link>
                ))}
              </Space>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {d.summary ? (
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
            {s('sf.inspect.summary')}：{d.summary}
          </Typography.Paragraph>
        ) : null}
      </Card>
      <Card size="small" title={s('sf.record.items')}>
        {isMobile ? (
          d.items.map((it) => (
            <div key={it.id} className={`safety-item safety-item-${it.result ?? 'open'}`}>
              <div className="safety-item-text">
                <span className="safety-item-seq">{it.seq}.</span> {it.text} {resultTag(it.result)}
              </div>
              {it.result === 'fail' ? (
                <>
                  {it.note ? <div className="safety-missing">{it.note}</div> : null}
                  {it.fileIds.length ? (
                    <PhotoField
                      readOnly
                      value={it.fileIds.map((fid, n) => ({ id: fid, name: `${n + 1}.jpg` }))}
                    />
                  ) : null}
                  <Space wrap>
                    {it.severity ? label(findingSeverityLabels, it.severity, lang) : null}
                    {it.findingId ? (
                      <Link to={`/findings/${it.findingId}`}>{s('sf.findingsLink')}</Link>
                    ) : null}
                  </Space>
                </>
              ) : null}
            </div>
          ))
        ) : (
          <Table<Item> rowKey="id" size="small" columns={columns} dataSource={d.items} pagination={false} />
        )}
      </Card>
    </div>
  );
}
