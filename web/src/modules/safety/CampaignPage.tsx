/**
 * 专项整治 detail and report: the sentence "出动X个检查组Y人次，对Z所学校开展安全检查，发现隐患N处，已整改M处，
 * 整改率R%", the figures, found vs rectified by area (chart), by county and by group, schools not yet visited,
 * the inspection groups (editable by the owner bureau) and the visits. Prints on A4.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  campaignStatusLabels,
  label,
  safetyAreaLabels,
  type CampaignGroup,
  type CampaignReport,
  type SafetyInspection,
  type SafetyInspectionPage,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { BarChart, COLORS, LoadError, percent, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

export default function CampaignPage() {
  const { id } = useParams();
  const { s, lang } = useSafetyI18n();
  const { message, modal } = App.useApp();
  const isMobile = useIsMobile();
  const { data: r, error, reload } = useResource<CampaignReport>(`/api/safety/campaigns/${id}/report`);
  const { data: visits } = useResource<SafetyInspectionPage>('/api/safety/inspections', {
    campaignId: id,
    status: 'submitted',
    pageSize: 200,
  });
  const [editing, setEditing] = useState<CampaignGroup | 'new' | null>(null);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!r) return <Card loading />;
  const c = r.campaign;
  const areas = r.byArea.filter((a) => a.found > 0);

  const removeGroup = (g: CampaignGroup) =>
    modal.confirm({
      title: s('sf.confirmDelete'),
      onOk: async () => {
        try {
          await api.delete(`/api/safety/campaign-groups/${g.id}`);
          reload();
        } catch (err) {
          void message.error(isApiError(err) ? err.message : String(err));
        }
      },
    });

  const groupColumns: TableColumnsType<CampaignGroup> = [
    { title: s('sf.campaigns.groupName'), dataIndex: 'name' },
    { title: s('sf.campaigns.leader'), dataIndex: 'leader', width: 90 },
    { title: s('sf.campaigns.members'), render: (_: unknown, g) => g.members.join('、') || '—' },
    { title: s('sf.campaigns.people'), dataIndex: 'people', width: 60 },
    {
      title: s('sf.campaigns.visits'),
      width: 80,
      render: (_: unknown, g) => r.byGroup.find((x) => x.groupId === g.id)?.visits ?? 0,
    },
    {
      title: s('sf.campaigns.personVisits'),
      width: 80,
      render: (_: unknown, g) => r.byGroup.find((x) => x.groupId === g.id)?.personVisits ?? 0,
    },
    {
      title: s('sf.found'),
      width: 80,
      render: (_: unknown, g) => r.byGroup.find((x) => x.groupId === g.id)?.found ?? 0,
    },
    ...(c.canEdit
      ? [
          {
            title: s('sf.actions'),
            width: 110,
            className: 'no-print',
            render: (_: unknown, g: CampaignGroup) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(g)}>
                  {s('sf.edit')}
                </Button>
                {g.visits === 0 ? (
                  <Button size="small" type="link" danger onClick={() => removeGroup(g)}>
                    {s('sf.delete')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];
  const visitColumns: TableColumnsType<SafetyInspection> = [
    { title: s('sf.inspect.date'), dataIndex: 'inspectedOn', width: 110 },
    {
      title: s('sf.school'),
      render: (_: unknown, v) => <Link to={`/safety/inspections/${v.id}`}>{v.schoolName}</Link>,
    },
    { title: s('sf.inspect.group'), render: (_: unknown, v) => v.groupName ?? '—' },
    { title: s('sf.inspect.peopleCount'), dataIndex: 'peopleCount', width: 60 },
    { title: s('sf.record.failed'), dataIndex: 'failed', width: 70 },
    {
      title: s('sf.found'),
      width: 120,
      render: (_: unknown, v) =>
        v.findings ? (
          <Link to={`/findings?sourceType=safety_inspection&sourceId=${v.id}`}>
            {v.findings.found}（{percent(v.findings.rate)}）
          </Link>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="safety-print" data-testid="safety-campaign">
      <PageHeader
        title={c.name}
        crumbs={[{ title: s('sf.safety') }, { title: s('sf.campaigns.title'), to: '/safety/campaigns' }]}
        extra={
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {s('sf.print')}
          </Button>
        }
      >
        <Space wrap>
          <Tag color={c.status === 'active' ? 'green' : c.status === 'planned' ? 'blue' : 'default'}>
            {label(campaignStatusLabels, c.status, lang)}
          </Tag>
          <span>
            {c.startsOn} ~ {c.endsOn}
          </span>
          <span>
            {s('sf.campaigns.owner')}：{c.ownerUnitName}
          </span>
          <span>
            {s('sf.campaigns.scope')}：{c.scopeUnitName}
          </span>
          <span>
            {s('sf.campaigns.checklist')}：{c.templateName}（
            {s('sf.templates.version', { n: c.templateVersion })}）
          </span>
        </Space>
      </PageHeader>
      {c.description ? <Typography.Paragraph>{c.description}</Typography.Paragraph> : null}

      <Card size="small" className="safety-gap" title={s('sf.campaigns.report')}>
        {r.partial ? <Tag color="gold">{s('sf.campaigns.partial')}</Tag> : null}
        <div className="safety-sentence" data-testid="campaign-sentence">
          {lang === 'zh' ? r.sentence.zh : r.sentence.en}
        </div>
        <Row gutter={[12, 12]} className="safety-stat-row">
          {[
            [s('sf.campaigns.groups'), r.groups],
            [s('sf.campaigns.personVisits'), r.personVisits],
            [s('sf.campaigns.covered'), `${r.schoolsCovered}/${r.schoolsInScope}`],
            [s('sf.found'), r.findings.found],
            [s('sf.rectified'), r.findings.rectified],
            [s('sf.overdue'), r.findings.overdue],
            [s('sf.rate'), percent(r.findings.rate)],
          ].map(([t, v]) => (
            <Col key={String(t)} xs={8} md={6} lg={3}>
              <Statistic title={t} value={v} />
            </Col>
          ))}
        </Row>
      </Card>

      <Card size="small" className="safety-gap" title={s('sf.campaigns.byArea')}>
        <BarChart
          testId="campaign-area-chart"
          categories={areas.map((a) => label(safetyAreaLabels, a.area, lang))}
          series={[
            { name: s('sf.found'), data: areas.map((a) => a.found), color: COLORS.found },
            { name: s('sf.rectified'), data: areas.map((a) => a.rectified), color: COLORS.rectified },
          ]}
        />
      </Card>

      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card size="small" className="safety-gap" title={s('sf.campaigns.byUnit')}>
            <Table
              rowKey="unitId"
              size="small"
              pagination={false}
              dataSource={r.byUnit}
              columns={[
                { title: s('sf.unit'), dataIndex: 'name' },
                { title: s('sf.campaigns.inScope'), dataIndex: 'schoolsInScope', width: 80 },
                { title: s('sf.campaigns.covered'), dataIndex: 'schoolsCovered', width: 80 },
                { title: s('sf.found'), dataIndex: 'found', width: 70 },
                { title: s('sf.rectified'), dataIndex: 'rectified', width: 70 },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            className="safety-gap"
            title={s('sf.campaigns.notCovered', { n: r.notCovered.length })}
          >
            <div style={{ maxHeight: 260, overflow: 'auto' }}>
              {r.notCovered.length === 0 ? s('sf.none') : r.notCovered.map((x) => x.name).join('、')}
            </div>
          </Card>
        </Col>
      </Row>

      <Card
        size="small"
        className="safety-gap"
        title={s('sf.campaigns.groups')}
        extra={
          c.canEdit ? (
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              className="no-print"
            >
              {s('sf.campaigns.addGroup')}
            </Button>
          ) : null
        }
      >
        <Table<CampaignGroup>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c.groups}
          columns={groupColumns}
          scroll={isMobile ? { x: 640 } : undefined}
        />
      </Card>

      <Card size="small" title={`${s('sf.record.list')}（${visits?.total ?? 0}）`}>
        <Table<SafetyInspection>
          rowKey="id"
          size="small"
          dataSource={visits?.items ?? []}
          columns={visitColumns}
          pagination={false}
          locale={{ emptyText: s('sf.campaigns.noVisits') }}
          scroll={isMobile ? { x: 640 } : undefined}
        />
      </Card>
      {editing ? (
        <GroupModal
          campaignId={c.id}
          group={editing === 'new' ? null : editing}
          onClose={(changed) => {
            setEditing(null);
            if (changed) reload();
          }}
        />
      ) : null}
    </div>
  );
}

function GroupModal({
  campaignId,
  group,
  onClose,
}: {
  campaignId: string;
  group: CampaignGroup | null;
  onClose: (changed: boolean) => void;
}) {
  const { s } = useSafetyI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; leader: string; members: string[]; people?: string }>();
  const [saving, setSaving] = useState(false);
  async function save() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const body = {
        name: v.name,
        leader: v.leader,
        members: v.members ?? [],
        ...(v.people ? { people: Number(v.people) } : {}),
      };
      if (group) await api.patch(`/api/safety/campaign-groups/${group.id}`, body);
      else await api.post(`/api/safety/campaigns/${campaignId}/groups`, body);
      onClose(true);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={s('sf.campaigns.groups')}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          group
            ? { name: group.name, leader: group.leader, members: group.members, people: String(group.people) }
            : { members: [] }
        }
      >
        <Form.Item name="name" label={s('sf.campaigns.groupName')} rules={[{ required: true, max: 40 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="leader" label={s('sf.campaigns.leader')} rules={[{ required: true, max: 32 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="members" label={s('sf.campaigns.members')}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ' ']} />
        </Form.Item>
        <Form.Item name="people" label={s('sf.campaigns.people')}>
          <Input type="number" min={1} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
