/**
 * A checklist template: its versions and the items of the one shown. The owner bureau edits the items (a
 * published version is never changed: saving drafts the next version) and publishes the draft.
 */
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITIES,
  SAFETY_AREAS,
  findingSeverityLabels,
  label,
  safetyAreaLabels,
  type ChecklistItemInput,
  type FindingSeverity,
  type SafetyArea,
  type TemplateDetail,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { LoadError, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

interface Row extends ChecklistItemInput {
  key: string;
}

let seq = 0;
const rowKey = () => `r${++seq}`;

export default function TemplatePage() {
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const version = params.get('version') ?? undefined;
  const { s, lang } = useSafetyI18n();
  const { message, modal } = App.useApp();
  const isMobile = useIsMobile();
  const {
    data: t,
    error,
    reload,
    setData,
  } = useResource<TemplateDetail>(`/api/safety/templates/${id}`, { version });
  const [rows, setRows] = useState<Row[]>([]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!t) return;
    setRows(
      t.items.map((i) => ({
        key: rowKey(),
        area: i.area,
        text: i.text,
        basis: i.basis ?? undefined,
        defaultSeverity: i.defaultSeverity,
      })),
    );
    setDirty(false);
  }, [t]);

  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!t) return <Card loading />;
  const editable = t.canEdit && (t.shown.status === 'draft' || t.shown.id === t.current?.id) && !version;

  const change = (key: string, p: Partial<Row>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...p } : r)));
    setDirty(true);
  };
  const move = (n: number, by: number) => {
    setRows((rs) => {
      const next = [...rs];
      const [r] = next.splice(n, 1);
      next.splice(n + by, 0, r!);
      return next;
    });
    setDirty(true);
  };

  async function saveItems() {
    setSaving(true);
    try {
      const items = rows
        .filter((r) => r.text.trim())
        .map((r) => ({
          area: r.area,
          text: r.text.trim(),
          ...(r.basis?.trim() ? { basis: r.basis.trim() } : {}),
          defaultSeverity: r.defaultSeverity,
        }));
      const d = await api.patch<TemplateDetail>(`/api/safety/templates/${t!.id}`, { items });
      setData(d);
      void message.success(s('sf.saved'));
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }
  const publish = () =>
    modal.confirm({
      title: s('sf.templates.publishConfirm'),
      onOk: async () => {
        try {
          setData(await api.post<TemplateDetail>(`/api/safety/templates/${t.id}/publish`, {}));
        } catch (err) {
          void message.error(isApiError(err) ? err.message : String(err));
        }
      },
    });

  const columns: TableColumnsType<Row> = [
    { title: '#', width: 44, render: (_: unknown, _r, n) => n + 1 },
    {
      title: s('sf.areaCol'),
      width: 140,
      render: (_: unknown, r) =>
        editable ? (
          <Select
            value={r.area}
            style={{ width: 130 }}
            options={SAFETY_AREAS.map((a) => ({ value: a, label: label(safetyAreaLabels, a, lang) }))}
            onChange={(v: SafetyArea) => change(r.key, { area: v })}
          />
        ) : (
          label(safetyAreaLabels, r.area, lang)
        ),
    },
    {
      title: s('sf.templates.text'),
      render: (_: unknown, r) =>
        editable ? (
          <Input.TextArea
            autoSize
            value={r.text}
            maxLength={300}
            onChange={(e) => change(r.key, { text: e.target.value })}
          />
        ) : (
          r.text
        ),
    },
    {
      title: s('sf.templates.basis'),
      width: 240,
      render: (_: unknown, r) =>
        editable ? (
          <Input value={r.basis} maxLength={300} onChange={(e) => change(r.key, { basis: e.target.value })} />
        ) : (
          (r.basis ?? '—')
        ),
    },
    {
      title: s('sf.templates.defaultSeverity'),
      width: 100,
      render: (_: unknown, r) =>
        editable ? (
          <Select
            value={r.defaultSeverity}
            style={{ width: 90 }}
            options={FINDING_SEVERITIES.map((v) => ({
              value: v,
              label: label(findingSeverityLabels, v, lang),
            }))}
            onChange={(v: FindingSeverity) => change(r.key, { defaultSeverity: v })}
          />
        ) : (
          label(findingSeverityLabels, r.defaultSeverity ?? 'general', lang)
        ),
    },
    ...(editable
      ? [
          {
            title: s('sf.actions'),
            width: 110,
            render: (_: unknown, r: Row, n: number) => (
              <Space size={2}>
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined />}
                  disabled={n === 0}
                  onClick={() => move(n, -1)}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined />}
                  disabled={n === rows.length - 1}
                  onClick={() => move(n, 1)}
                />
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => {
                    setRows((rs) => rs.filter((x) => x.key !== r.key));
                    setDirty(true);
                  }}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="safety-template">
      <PageHeader
        title={t.name}
        crumbs={[{ title: s('sf.safety') }, { title: s('sf.templates.title'), to: '/safety/templates' }]}
        extra={
          t.canEdit && t.draft ? (
            <Button type="primary" onClick={publish} disabled={dirty} data-testid="template-publish">
              {s('sf.templates.publish')}
            </Button>
          ) : null
        }
      >
        <Space wrap>
          <span>{t.ownerUnitName}</span>
          <Tag color={t.shown.status === 'draft' ? 'orange' : 'green'}>
            {s('sf.templates.version', { n: t.shown.version })} ·{' '}
            {t.shown.status === 'draft' ? s('sf.templates.draft') : s('sf.templates.published')}
          </Tag>
          <span>{s('sf.templates.itemCount', { n: t.shown.itemCount })}</span>
        </Space>
      </PageHeader>
      {!t.canEdit ? (
        <Alert type="info" showIcon message={s('sf.templates.readOnly')} className="safety-gap" />
      ) : null}
      {editable && t.shown.status === 'published' ? (
        <Alert type="info" showIcon message={s('sf.templates.editHint')} className="safety-gap" />
      ) : null}
      <Card
        size="small"
        className="safety-gap"
        title={s('sf.templates.items')}
        extra={
          editable ? (
            <Space>
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => {
                  setRows((rs) => [
                    ...rs,
                    { key: rowKey(), area: 'fire', text: '', defaultSeverity: 'general' },
                  ]);
                  setDirty(true);
                }}
              >
                {s('sf.templates.addItem')}
              </Button>
              <Button
                size="small"
                type="primary"
                disabled={!dirty}
                loading={saving}
                onClick={() => void saveItems()}
                data-testid="template-save"
              >
                {s('sf.templates.saveItems')}
              </Button>
            </Space>
          ) : null
        }
      >
        <Table<Row>
          rowKey="key"
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={isMobile ? { x: 760 } : undefined}
        />
      </Card>
      <Card size="small" title={s('sf.templates.versions')}>
        <List
          size="small"
          dataSource={t.versions}
          renderItem={(v) => (
            <List.Item
              actions={[
                <Button
                  key="v"
                  size="small"
                  type="link"
                  onClick={() =>
                    setParams(
                      v.id === t.draft?.id || v.id === t.current?.id ? {} : { version: String(v.version) },
                    )
                  }
                >
                  {s('sf.view')}
                </Button>,
              ]}
            >
              <Space wrap>
                <strong>{s('sf.templates.version', { n: v.version })}</strong>
                <Tag color={v.status === 'draft' ? 'orange' : 'green'}>
                  {v.status === 'draft' ? s('sf.templates.draft') : s('sf.templates.published')}
                </Tag>
                <span>{v.publishedAt ? v.publishedAt.slice(0, 10) : ''}</span>
                <Typography.Text type="secondary">
                  {s('sf.templates.itemCount', { n: v.itemCount })}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {s('sf.templates.usedBy', { i: v.inspections, c: v.campaigns })}
                </Typography.Text>
                {v.note ? <span>{v.note}</span> : null}
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
