/** 检查表管理: the checklists a bureau keeps or inherits, and a new one (blank or copied from another). */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Template, TemplateDetail } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { LoadError, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

export default function TemplatesPage() {
  const { s } = useSafetyI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [creating, setCreating] = useState(false);
  const { data, error, reload, loading } = useResource<Template[]>('/api/safety/templates');
  const version = (v: Template['current']) =>
    v
      ? `${s('sf.templates.version', { n: v.version })} · ${s('sf.templates.itemCount', { n: v.itemCount })}`
      : '—';
  const columns: TableColumnsType<Template> = [
    {
      title: s('sf.templates.name'),
      render: (_: unknown, t) => <Link to={`/safety/templates/${t.id}`}>{t.name}</Link>,
    },
    { title: s('sf.templates.owner'), dataIndex: 'ownerUnitName', width: 180 },
    { title: s('sf.templates.current'), width: 180, render: (_: unknown, t) => version(t.current) },
    {
      title: s('sf.templates.draft'),
      width: 180,
      render: (_: unknown, t) => (t.draft ? <Tag color="orange">{version(t.draft)}</Tag> : '—'),
    },
  ];
  return (
    <div data-testid="safety-templates">
      <PageHeader
        title={s('sf.templates.title')}
        crumbs={[{ title: s('sf.safety') }]}
        extra={
          me.unit.kind !== 'school' ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="template-new"
            >
              {s('sf.templates.new')}
            </Button>
          ) : null
        }
      />
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      {isMobile ? (
        (data ?? []).map((t) => (
          <Card key={t.id} size="small" className="safety-mobile-card">
            <Link to={`/safety/templates/${t.id}`}>
              <strong>{t.name}</strong>
            </Link>
            <div>{t.ownerUnitName}</div>
            <div>{version(t.current)}</div>
          </Card>
        ))
      ) : (
        <Table<Template>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          pagination={false}
        />
      )}
      {creating ? <CreateTemplate templates={data ?? []} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

function CreateTemplate({ templates, onClose }: { templates: Template[]; onClose: () => void }) {
  const { s } = useSafetyI18n();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ name: string; copyFrom?: string }>();
  const [saving, setSaving] = useState(false);
  async function save() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      let items: { area: string; text: string; basis?: string; defaultSeverity: string }[] = [
        { area: 'fire', text: '（请填写检查内容）', defaultSeverity: 'general' },
      ];
      if (v.copyFrom) {
        const from = await api.get<TemplateDetail>(`/api/safety/templates/${v.copyFrom}`);
        items = from.items.map((i) => ({
          area: i.area,
          text: i.text,
          ...(i.basis ? { basis: i.basis } : {}),
          defaultSeverity: i.defaultSeverity,
        }));
      }
      const t = await api.post<TemplateDetail>('/api/safety/templates', {
        ownerUnitId: me.unit.id,
        name: v.name,
        items,
      });
      void navigate(`/safety/templates/${t.id}`);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={s('sf.templates.new')}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={s('sf.templates.name')} rules={[{ required: true, max: 80 }]}>
          <Input data-testid="template-name" />
        </Form.Item>
        <Form.Item name="copyFrom" label={s('sf.templates.copyFrom')}>
          <Select
            allowClear
            placeholder={s('sf.none')}
            options={templates.map((t) => ({ value: t.id, label: `${t.name}（${t.ownerUnitName}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
