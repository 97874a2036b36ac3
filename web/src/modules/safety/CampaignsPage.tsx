/** 专项整治: the campaigns over the actor's area, and a form to start one (bureaus). */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, Card, Drawer, Form, Input, Segmented, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  campaignStatusLabels,
  label,
  type Campaign,
  type CampaignCreate,
  type CampaignPage,
  type Template,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { LoadError, addDays, chinaToday, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

type Status = 'planned' | 'active' | 'ended';
const statusColor: Record<Status, string> = { planned: 'blue', active: 'green', ended: 'default' };

export default function CampaignsPage() {
  const { s, lang } = useSafetyI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [status, setStatus] = useState<Status | 'all'>('all');
  const [creating, setCreating] = useState(false);
  const { data, error, reload, loading } = useResource<CampaignPage>('/api/safety/campaigns', {
    status: status === 'all' ? undefined : status,
    pageSize: 100,
  });
  const columns: TableColumnsType<Campaign> = [
    {
      title: s('sf.campaigns.name'),
      render: (_: unknown, c) => <Link to={`/safety/campaigns/${c.id}`}>{c.name}</Link>,
    },
    { title: s('sf.campaigns.period'), width: 200, render: (_: unknown, c) => `${c.startsOn} ~ ${c.endsOn}` },
    { title: s('sf.campaigns.owner'), dataIndex: 'ownerUnitName', width: 160 },
    { title: s('sf.campaigns.scope'), dataIndex: 'scopeUnitName', width: 160 },
    { title: s('sf.campaigns.groups'), width: 80, render: (_: unknown, c) => c.groups.length },
    { title: s('sf.campaigns.inspections'), dataIndex: 'inspections', width: 90 },
    {
      title: s('sf.status'),
      width: 90,
      render: (_: unknown, c) => (
        <Tag color={statusColor[c.status]}>{label(campaignStatusLabels, c.status, lang)}</Tag>
      ),
    },
  ];
  return (
    <div data-testid="safety-campaigns">
      <PageHeader
        title={s('sf.campaigns.title')}
        crumbs={[{ title: s('sf.safety') }]}
        extra={
          me.access.manageSafety ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="campaign-new"
            >
              {s('sf.campaigns.new')}
            </Button>
          ) : null
        }
      />
      <Segmented
        className="safety-gap"
        value={status}
        onChange={(v) => setStatus(v as Status | 'all')}
        options={[
          { value: 'all', label: lang === 'zh' ? '全部' : 'All' },
          ...(['active', 'planned', 'ended'] as const).map((k) => ({
            value: k,
            label: label(campaignStatusLabels, k, lang),
          })),
        ]}
      />
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      {isMobile ? (
        (data?.items ?? []).map((c) => (
          <Card key={c.id} size="small" className="safety-mobile-card">
            <Link to={`/safety/campaigns/${c.id}`}>
              <strong>{c.name}</strong>
            </Link>{' '}
            <Tag color={statusColor[c.status]}>{label(campaignStatusLabels, c.status, lang)}</Tag>
            <div>
              {c.startsOn} ~ {c.endsOn} · {c.scopeUnitName}
            </div>
            <div>
              {s('sf.campaigns.groups')} {c.groups.length} · {s('sf.campaigns.inspections')} {c.inspections}
            </div>
          </Card>
        ))
      ) : (
        <Table<Campaign>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={false}
        />
      )}
      {creating ? <CreateCampaign onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

interface FormValues {
  scopeUnitId?: string;
  name: string;
  description?: string;
  startsOn: string;
  endsOn: string;
  templateVersionId: string;
  groups: { name: string; leader: string; members?: string[]; people?: number }[];
}

function CreateCampaign({ onClose }: { onClose: () => void }) {
  const { s } = useSafetyI18n();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const { data: templates } = useResource<Template[]>('/api/safety/templates');
  const versions = (templates ?? [])
    .filter((t) => t.current)
    .map((t) => ({
      value: t.current!.id,
      label: `${t.name}（${t.ownerUnitName}，${s('sf.templates.version', { n: t.current!.version })}）`,
    }));
  const today = chinaToday();

  async function save(v: FormValues) {
    setSaving(true);
    try {
      const body: CampaignCreate = {
        ownerUnitId: me.unit.id,
        ...(v.scopeUnitId ? { scopeUnitId: v.scopeUnitId } : {}),
        name: v.name,
        ...(v.description ? { description: v.description } : {}),
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        templateVersionId: v.templateVersionId,
        groups: (v.groups ?? []).map((g) => ({
          name: g.name,
          leader: g.leader,
          members: g.members ?? [],
          ...(g.people ? { people: Number(g.people) } : {}),
        })),
      };
      const c = await api.post<Campaign>('/api/safety/campaigns', body);
      void navigate(`/safety/campaigns/${c.id}`);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer open width={560} title={s('sf.campaigns.new')} onClose={onClose} destroyOnHidden>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={{
          startsOn: today,
          endsOn: addDays(today, 30),
          groups: [{ name: '第一检查组', leader: '' }],
        }}
      >
        <Form.Item name="name" label={s('sf.campaigns.name')} rules={[{ required: true, max: 100 }]}>
          <Input placeholder="2026年秋季学校安全隐患排查整治专项行动" data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="scopeUnitId" label={s('sf.campaigns.scope')} tooltip={me.unit.name}>
          <UnitTreeSelect selectable={['city_bureau', 'county_bureau']} placeholder={me.unit.name} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item
            name="startsOn"
            label={s('sf.campaigns.starts')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Input type="date" />
          </Form.Item>
          <Form.Item
            name="endsOn"
            label={s('sf.campaigns.ends')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Input type="date" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="templateVersionId" label={s('sf.campaigns.checklist')} rules={[{ required: true }]}>
          <Select options={versions} data-testid="campaign-checklist" />
        </Form.Item>
        <Form.Item name="description" label={s('sf.campaigns.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.List name="groups">
          {(fields, { add, remove }) => (
            <>
              <div style={{ marginBottom: 8, fontWeight: 500 }}>{s('sf.campaigns.groups')}</div>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 40 }]}>
                    <Input placeholder={s('sf.campaigns.groupName')} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'leader']} rules={[{ required: true, max: 32 }]}>
                    <Input placeholder={s('sf.campaigns.leader')} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'members']}>
                    <Select
                      mode="tags"
                      open={false}
                      placeholder={s('sf.campaigns.members')}
                      style={{ width: 160 }}
                      tokenSeparators={[',', '，', '、', ' ']}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'people']}>
                    <Input
                      type="number"
                      min={1}
                      placeholder={s('sf.campaigns.people')}
                      style={{ width: 70 }}
                    />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 9 }} />
                </Space>
              ))}
              <Button
                type="dashed"
                onClick={() => add({ name: `第${fields.length + 1}检查组` })}
                icon={<PlusOutlined />}
                block
              >
                {s('sf.campaigns.addGroup')}
              </Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Space>
            <Button onClick={onClose}>{s('sf.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="campaign-save">
              {s('sf.save')}
            </Button>
          </Space>
        </div>
      </Form>
    </Drawer>
  );
}
