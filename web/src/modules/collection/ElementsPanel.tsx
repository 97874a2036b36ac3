/**
 * 数据项: every data element with where it is used; the city creates and edits them (code, name, type,
 * options, unit, description, registry pre-fill) and deletes unused ones. Checked while typing with the
 * contracts' elementProblems (zh/en per field); the server refuses what is in use (code of a used element,
 * type of an element holding figures, deleting a used one) with its own message.
 */
import { useMemo, useState } from 'react';
import { Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import {
  ELEMENT_TYPES,
  REGISTRY_FIGURES,
  elementProblems,
  elementTypeLabels,
  type DataElementWithUsage,
  type ElementInput,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useCollectionI18n } from './messages.ts';

type Draft = Required<Omit<ElementInput, 'prefill'>> & { prefill: string | null };
const NEW: Draft = {
  code: '',
  name: '',
  type: 'number',
  unit: '',
  options: [],
  description: '',
  prefill: null,
};

export function ElementsPanel(props: {
  elements: DataElementWithUsage[];
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { c, lang } = useCollectionI18n();
  const feedback = useFeedback();
  const L = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
  const [editing, setEditing] = useState<{ el: DataElementWithUsage | null; draft: Draft } | null>(null);
  const [q, setQ] = useState('');
  const [saving, setSaving] = useState(false);
  const shown = useMemo(
    () => props.elements.filter((e) => !q || e.code.includes(q.toUpperCase()) || e.name.includes(q.trim())),
    [props.elements, q],
  );
  const problems = editing ? elementProblems(editing.draft) : {};
  const patch = (p: Partial<Draft>) => setEditing((e) => (e ? { ...e, draft: { ...e.draft, ...p } } : e));
  const used = (e: DataElementWithUsage | null) =>
    !!e && (e.usage.forms.length > 0 || e.usage.submissions > 0);

  const save = async () => {
    if (!editing) return;
    setSaving(true);
    try {
      const body = { ...editing.draft, prefill: editing.draft.prefill || null };
      if (editing.el) await api.put(`/api/collection/elements/${editing.el.id}`, body);
      else await api.post('/api/collection/elements', body);
      feedback.success(c('frm.elementSaved'));
      setEditing(null);
      props.onChanged();
    } catch (e) {
      feedback.error(e);
    } finally {
      setSaving(false);
    }
  };
  const remove = async (e: DataElementWithUsage) => {
    try {
      await api.delete(`/api/collection/elements/${e.id}`);
      feedback.success(c('frm.deleted'));
      props.onChanged();
    } catch (err) {
      feedback.error(err);
    }
  };
  const help = (k: string) => (problems[k] ? L(problems[k]) : undefined);
  const status = (k: string) => (problems[k] ? ('error' as const) : undefined);

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          allowClear
          placeholder={c('frm.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 220 }}
        />
        {props.canEdit ? (
          <Button
            type="primary"
            onClick={() => setEditing({ el: null, draft: NEW })}
            data-testid="element-add"
          >
            {c('frm.newElement')}
          </Button>
        ) : null}
      </Space>
      <Table
        size="small"
        rowKey="id"
        pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
        scroll={{ x: 760 }}
        dataSource={shown}
        data-testid="element-table"
        columns={[
          {
            title: c('frm.code'),
            dataIndex: 'code',
            render: (x: string) => <span className="col-expr">{x}</span>,
          },
          { title: c('frm.name'), dataIndex: 'name' },
          {
            title: c('frm.type'),
            dataIndex: 'type',
            render: (t: DataElementWithUsage['type']) => L(elementTypeLabels[t]),
          },
          { title: c('frm.unit'), dataIndex: 'unit' },
          {
            title: c('frm.prefill'),
            dataIndex: 'prefill',
            render: (p: string | null) => (p ? <Tag color="blue">{p}</Tag> : '—'),
          },
          {
            title: c('frm.usage'),
            key: 'usage',
            render: (_: unknown, e: DataElementWithUsage) =>
              used(e) ? (
                c('frm.usageText', { f: e.usage.forms.join('、') || '—', n: e.usage.submissions })
              ) : (
                <Typography.Text type="secondary">{c('frm.unused')}</Typography.Text>
              ),
          },
          ...(props.canEdit
            ? [
                {
                  title: '',
                  key: 'act',
                  render: (_: unknown, e: DataElementWithUsage) => (
                    <Space size={0}>
                      <Button
                        size="small"
                        type="link"
                        onClick={() =>
                          setEditing({
                            el: e,
                            draft: {
                              code: e.code,
                              name: e.name,
                              type: e.type,
                              unit: e.unit,
                              options: e.options,
                              description: e.description,
                              prefill: e.prefill,
                            },
                          })
                        }
                        data-testid={`element-edit-${e.code}`}
                      >
                        {c('frm.edit')}
                      </Button>
                      {!used(e) ? (
                        <Popconfirm
                          title={c('frm.deleteConfirm', { n: e.name })}
                          onConfirm={() => void remove(e)}
                        >
                          <Button size="small" type="link" danger>
                            {c('frm.delete')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.el ? c('frm.editElement') : c('frm.newElement')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{
          disabled: Object.keys(problems).length > 0,
          loading: saving,
          'data-testid': 'element-save',
        }}
        width={600}
        destroyOnHidden
      >
        {editing ? (
          <Form layout="vertical">
            <Form.Item
              label={c('frm.code')}
              required
              validateStatus={status('code')}
              help={help('code') ?? (used(editing.el) ? c('frm.codeLocked') : undefined)}
            >
              <Input
                className="col-expr"
                value={editing.draft.code}
                disabled={used(editing.el)}
                maxLength={40}
                onChange={(e) => patch({ code: e.target.value.toUpperCase() })}
                data-testid="element-code"
              />
            </Form.Item>
            <Form.Item label={c('frm.name')} required validateStatus={status('name')} help={help('name')}>
              <Input
                value={editing.draft.name}
                maxLength={60}
                onChange={(e) => patch({ name: e.target.value })}
                data-testid="element-name"
              />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item
                label={c('frm.type')}
                help={editing.el && editing.el.usage.submissions > 0 ? c('frm.typeLocked') : undefined}
              >
                <Select
                  style={{ width: 160 }}
                  value={editing.draft.type}
                  disabled={!!editing.el && editing.el.usage.submissions > 0}
                  onChange={(v) => patch({ type: v })}
                  options={ELEMENT_TYPES.map((t) => ({ value: t, label: L(elementTypeLabels[t]) }))}
                  data-testid="element-type"
                />
              </Form.Item>
              <Form.Item label={c('frm.unit')} validateStatus={status('unit')} help={help('unit')}>
                <Input
                  style={{ width: 120 }}
                  value={editing.draft.unit}
                  maxLength={20}
                  onChange={(e) => patch({ unit: e.target.value })}
                  data-testid="element-unit"
                />
              </Form.Item>
              <Form.Item label={c('frm.prefill')} validateStatus={status('prefill')} help={help('prefill')}>
                <Select
                  style={{ width: 220 }}
                  value={editing.draft.prefill ?? ''}
                  onChange={(v: string) => patch({ prefill: v || null })}
                  options={[
                    { value: '', label: c('frm.noPrefill') },
                    ...REGISTRY_FIGURES.map((r) => ({ value: r, label: r })),
                  ]}
                />
              </Form.Item>
            </Space>
            {editing.draft.type === 'option' ? (
              <Form.Item
                label={c('frm.options')}
                required
                validateStatus={status('options')}
                help={help('options')}
              >
                <Select
                  mode="tags"
                  value={editing.draft.options}
                  onChange={(v: string[]) => patch({ options: v.map((x) => x.trim()).filter(Boolean) })}
                  open={false}
                  tokenSeparators={['，', ',', '、']}
                />
              </Form.Item>
            ) : null}
            <Form.Item label={c('frm.description')}>
              <Input.TextArea
                rows={2}
                maxLength={300}
                value={editing.draft.description}
                onChange={(e) => patch({ description: e.target.value })}
              />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </>
  );
}
