/**
 * The form editor (报表设计, the city): code, name, period type, the kinds of unit that fill it in, and sections
 * with their elements in order (add, move up / down, remove). Checked while editing with the contracts'
 * formProblems (zh/en); a form that holds figures keeps its period type and the elements holding figures —
 * the server enforces it (COLLECTION_FORM_IN_USE, COLLECTION_ELEMENT_HAS_DATA) and the editor says so.
 */
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined } from '@ant-design/icons';
import {
  FORM_TARGETS,
  PERIOD_TYPES,
  formProblems,
  periodTypeLabels,
  type CollectionForm,
  type DataElementWithUsage,
  type FormInput,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useCollectionI18n } from './messages.ts';

export type FormDraft = Required<FormInput>;
export const NEW_FORM: FormDraft = {
  code: '',
  name: '',
  periodType: 'year',
  targets: ['primary', 'junior', 'nine_year', 'complete_secondary'],
  sections: [{ title: '', elements: [] }],
  description: '',
};

const move = <T,>(list: T[], i: number, d: -1 | 1): T[] => {
  const j = i + d;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
};

export function FormEditor(props: {
  form: CollectionForm | null;
  initial: FormDraft;
  elements: DataElementWithUsage[];
  onClose: () => void;
  onSaved: (f: CollectionForm) => void;
}) {
  const { c, lang } = useCollectionI18n();
  const feedback = useFeedback();
  const L = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
  const [draft, setDraft] = useState<FormDraft>(props.initial);
  const [saving, setSaving] = useState(false);
  const known = new Set(props.elements.map((e) => e.code));
  const names = new Map(props.elements.map((e) => [e.code, e.name]));
  const problems = formProblems(draft, known);
  const patch = (p: Partial<FormDraft>) => setDraft((d) => ({ ...d, ...p }));
  const setSection = (i: number, s: FormDraft['sections'][number]) =>
    patch({ sections: draft.sections.map((x, k) => (k === i ? s : x)) });
  const placed = new Set(draft.sections.flatMap((s) => s.elements));
  const inUse = (props.form?.submissions ?? 0) > 0;
  const help = (k: string) => (problems[k] ? L(problems[k]) : undefined);
  const status = (k: string) => (problems[k] ? ('error' as const) : undefined);

  const save = async () => {
    setSaving(true);
    try {
      const saved = props.form
        ? await api.put<CollectionForm>(`/api/collection/forms/${props.form.id}`, draft)
        : await api.post<CollectionForm>('/api/collection/forms', draft);
      feedback.success(c('frm.formSaved'));
      props.onSaved(saved);
    } catch (e) {
      feedback.error(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={props.form ? c('frm.editForm') : c('frm.newForm')}
      onCancel={props.onClose}
      onOk={() => void save()}
      okButtonProps={{
        disabled: Object.keys(problems).length > 0,
        loading: saving,
        'data-testid': 'form-save',
      }}
      width={760}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="form-editor">
        {inUse ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={c('frm.inUse', { n: props.form?.submissions ?? 0 })}
          />
        ) : null}
        <Space wrap align="start">
          <Form.Item label={c('frm.code')} required validateStatus={status('code')} help={help('code')}>
            <Input
              className="col-expr"
              style={{ width: 200 }}
              value={draft.code}
              maxLength={40}
              onChange={(e) => patch({ code: e.target.value.toUpperCase() })}
              data-testid="form-code"
            />
          </Form.Item>
          <Form.Item label={c('frm.name')} required validateStatus={status('name')} help={help('name')}>
            <Input
              style={{ width: 280 }}
              value={draft.name}
              maxLength={60}
              onChange={(e) => patch({ name: e.target.value })}
              data-testid="form-name"
            />
          </Form.Item>
          <Form.Item label={c('frm.periodType')}>
            <Select
              style={{ width: 130 }}
              value={draft.periodType}
              disabled={inUse}
              onChange={(v) => patch({ periodType: v })}
              options={PERIOD_TYPES.map((p) => ({ value: p, label: L(periodTypeLabels[p]) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          label={c('frm.targets')}
          required
          validateStatus={status('targets')}
          help={help('targets')}
        >
          <Select
            mode="multiple"
            value={draft.targets}
            onChange={(v) => patch({ targets: v })}
            options={FORM_TARGETS.map((t) => ({ value: t, label: c(`frm.target.${t}`) }))}
            data-testid="form-targets"
          />
        </Form.Item>
        <Form.Item label={c('frm.description')}>
          <Input
            value={draft.description}
            maxLength={300}
            onChange={(e) => patch({ description: e.target.value })}
          />
        </Form.Item>
        <Form.Item
          label={c('frm.sections')}
          required
          validateStatus={status('sections')}
          help={help('sections')}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            {draft.sections.map((s, i) => (
              <div key={i} className="col-section-edit" data-testid={`form-section-${i}`}>
                <Space wrap style={{ width: '100%' }}>
                  <Input
                    style={{ width: 240 }}
                    placeholder={c('frm.sectionTitle')}
                    value={s.title}
                    maxLength={60}
                    onChange={(e) => setSection(i, { ...s, title: e.target.value })}
                  />
                  <Button
                    size="small"
                    icon={<ArrowUpOutlined />}
                    title={c('frm.up')}
                    disabled={i === 0}
                    onClick={() => patch({ sections: move(draft.sections, i, -1) })}
                  />
                  <Button
                    size="small"
                    icon={<ArrowDownOutlined />}
                    title={c('frm.down')}
                    disabled={i === draft.sections.length - 1}
                    onClick={() => patch({ sections: move(draft.sections, i, 1) })}
                  />
                  <Button
                    size="small"
                    danger
                    icon={<CloseOutlined />}
                    title={c('frm.remove')}
                    disabled={draft.sections.length === 1}
                    onClick={() => patch({ sections: draft.sections.filter((_, k) => k !== i) })}
                  />
                </Space>
                <ol className="col-section-list">
                  {s.elements.map((code, k) => (
                    <li key={code}>
                      <span className="col-expr">{code}</span> {names.get(code) ?? <Tag color="red">?</Tag>}
                      <span className="col-section-actions">
                        <Button
                          size="small"
                          type="text"
                          icon={<ArrowUpOutlined />}
                          title={c('frm.up')}
                          disabled={k === 0}
                          onClick={() => setSection(i, { ...s, elements: move(s.elements, k, -1) })}
                        />
                        <Button
                          size="small"
                          type="text"
                          icon={<ArrowDownOutlined />}
                          title={c('frm.down')}
                          disabled={k === s.elements.length - 1}
                          onClick={() => setSection(i, { ...s, elements: move(s.elements, k, 1) })}
                        />
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<CloseOutlined />}
                          title={c('frm.remove')}
                          onClick={() =>
                            setSection(i, { ...s, elements: s.elements.filter((x) => x !== code) })
                          }
                        />
                      </span>
                    </li>
                  ))}
                </ol>
                <Select
                  showSearch
                  style={{ width: '100%' }}
                  placeholder={c('frm.addElements')}
                  value={null}
                  optionFilterProp="label"
                  onChange={(code: string) => setSection(i, { ...s, elements: [...s.elements, code] })}
                  options={props.elements
                    .filter((e) => !placed.has(e.code))
                    .map((e) => ({ value: e.code, label: `${e.code} ${e.name}` }))}
                  data-testid={`form-add-element-${i}`}
                />
              </div>
            ))}
            <Button
              size="small"
              onClick={() => patch({ sections: [...draft.sections, { title: '', elements: [] }] })}
            >
              {c('frm.addSection')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}
