/**
 * 报表设计: the forms with their sections and data elements, and the validation rules — which the city bureau
 * edits here: forms (FormEditor: period type, who fills it in, sections with ordered elements; activate /
 * retire), data elements (ElementsPanel), and rules (left expression, operator, right expression,
 * missing-value strategy, importance), each side checked while typing by the same parser the server uses.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import {
  MISSING_STRATEGIES,
  REGISTRY_FIGURES,
  RULE_IMPORTANCES,
  RULE_OPERATORS,
  elementTypeLabels,
  missingStrategyLabels,
  parseExpression,
  periodTypeLabels,
  ruleImportanceLabels,
  type CollectionForm,
  type DataElement,
  type DataElementWithUsage,
  type FormDetail,
  type ValidationRule,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { ElementsPanel } from './ElementsPanel.tsx';
import { FormEditor, NEW_FORM, type FormDraft } from './FormEditor.tsx';
import { useCollectionI18n } from './messages.ts';
import './collection.css';

type RuleDraft = Omit<ValidationRule, 'id' | 'updatedAt' | 'formId'>;
const NEW_RULE: RuleDraft = {
  name: '',
  left: '',
  operator: '<=',
  right: '',
  missing: 'skip_if_any_missing',
  importance: 'warning',
  message: '',
  active: true,
};

export default function FormsPage() {
  const { c, lang } = useCollectionI18n();
  const me = useMe();
  const feedback = useFeedback();
  const L = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
  const [forms, setForms] = useState<CollectionForm[]>([]);
  const [formId, setFormId] = useState<string>();
  const [detail, setDetail] = useState<FormDetail | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; rule: RuleDraft } | null>(null);
  const canEdit = me.unit.kind === 'city_bureau' && me.access.manageCollection;
  const [elements, setElements] = useState<DataElementWithUsage[]>([]);
  const [formEdit, setFormEdit] = useState<{ form: CollectionForm | null; draft: FormDraft } | null>(null);

  const loadForms = useCallback(() => {
    api
      .get<CollectionForm[]>('/api/collection/forms')
      .then((f) => {
        setForms(f);
        setFormId((cur) => cur ?? f.find((x) => x.code === 'SCHOOL_ANNUAL')?.id ?? f[0]?.id);
      })
      .catch((e: unknown) => feedback.error(e));
  }, [feedback]);
  useEffect(loadForms, [loadForms]);
  const loadElements = useCallback(() => {
    api
      .get<DataElementWithUsage[]>('/api/collection/elements')
      .then(setElements)
      .catch((e: unknown) => feedback.error(e));
  }, [feedback]);
  useEffect(loadElements, [loadElements]);
  const load = useCallback(() => {
    if (!formId) return;
    api
      .get<FormDetail>(`/api/collection/forms/${formId}`)
      .then(setDetail)
      .catch((e: unknown) => feedback.error(e));
  }, [formId, feedback]);
  useEffect(load, [load]);

  const known = useMemo(
    () => new Set<string>([...(detail?.elements.map((e) => e.code) ?? []), ...REGISTRY_FIGURES]),
    [detail],
  );
  const check = (text: string) => {
    if (!text.trim()) return null;
    const p = parseExpression(text, known);
    return p.ok ? null : L(p.error);
  };
  const names = new Map(detail?.elements.map((e) => [e.code, e.name]));

  const save = async () => {
    if (!editing || !formId) return;
    try {
      const body = { ...editing.rule, formId };
      if (editing.id) await api.put(`/api/collection/rules/${editing.id}`, body);
      else await api.post('/api/collection/rules', body);
      feedback.success(c('frm.saved'));
      setEditing(null);
      load();
    } catch (e) {
      feedback.error(e);
    }
  };

  const setActive = async (active: boolean) => {
    if (!formId) return;
    try {
      await api.put(`/api/collection/forms/${formId}/active`, { active });
      loadForms();
      load();
    } catch (e) {
      feedback.error(e);
    }
  };
  const formSaved = (f: CollectionForm) => {
    setFormEdit(null);
    setFormId(f.id);
    loadForms();
    loadElements();
    load();
  };

  const leftErr = editing ? check(editing.rule.left) : null;
  const rightErr = editing ? check(editing.rule.right) : null;
  const patch = (p: Partial<RuleDraft>) => setEditing((e) => (e ? { ...e, rule: { ...e.rule, ...p } } : e));

  return (
    <div className="col-page">
      <PageHeader title={c('frm.title')} crumbs={[{ title: c('col.module') }]} />
      <Card size="small">
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            className="col-filter"
            value={formId}
            onChange={setFormId}
            options={forms.map((f) => ({
              value: f.id,
              label: f.active ? f.name : `${f.name}（${c('frm.retired')}）`,
            }))}
            data-testid="forms-select"
          />
          {detail ? (
            <Typography.Text type="secondary">
              {L(periodTypeLabels[detail.form.periodType])} · {c('frm.targets')}：
              {detail.form.targets.map((t) => c(`frm.target.${t}`)).join('、')}
              {detail.form.active ? null : <Tag style={{ marginLeft: 8 }}>{c('frm.retired')}</Tag>}
            </Typography.Text>
          ) : null}
          {canEdit ? (
            <>
              <Button onClick={() => setFormEdit({ form: null, draft: NEW_FORM })} data-testid="form-new">
                {c('frm.newForm')}
              </Button>
              {detail ? (
                <Button
                  type="primary"
                  onClick={() =>
                    setFormEdit({
                      form: detail.form,
                      draft: {
                        code: detail.form.code,
                        name: detail.form.name,
                        periodType: detail.form.periodType,
                        targets: detail.form.targets,
                        sections: detail.form.sections,
                        description: detail.form.description,
                      },
                    })
                  }
                  data-testid="form-edit"
                >
                  {c('frm.editForm')}
                </Button>
              ) : null}
              {detail ? (
                detail.form.active ? (
                  <Popconfirm title={c('frm.retireConfirm')} onConfirm={() => void setActive(false)}>
                    <Button danger>{c('frm.retire')}</Button>
                  </Popconfirm>
                ) : (
                  <Button onClick={() => void setActive(true)}>{c('frm.activate')}</Button>
                )
              ) : null}
            </>
          ) : null}
        </Space>
        {!canEdit ? <Alert style={{ marginTop: 8 }} type="info" showIcon title={c('frm.readOnly')} /> : null}
      </Card>
      <Tabs
        items={[
          {
            key: 'forms',
            label: c('frm.tabForms'),
            children: formsTab(),
          },
          {
            key: 'elements',
            label: c('frm.tabElements'),
            children: (
              <Card size="small">
                <ElementsPanel
                  elements={elements}
                  canEdit={canEdit}
                  onChanged={() => {
                    loadElements();
                    load();
                  }}
                />
              </Card>
            ),
          },
        ]}
      />
      {formEdit ? (
        <FormEditor
          form={formEdit.form}
          initial={formEdit.draft}
          elements={elements}
          onClose={() => setFormEdit(null)}
          onSaved={formSaved}
        />
      ) : null}
      {ruleModal()}
    </div>
  );

  function formsTab() {
    return detail ? (
      <>
        <Card
          size="small"
          title={c('frm.rules')}
          extra={
            canEdit ? (
              <Button
                type="primary"
                size="small"
                onClick={() => setEditing({ id: null, rule: NEW_RULE })}
                data-testid="rule-add"
              >
                {c('frm.addRule')}
              </Button>
            ) : null
          }
        >
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: 720 }}
            dataSource={detail.rules}
            columns={[
              { title: c('frm.name'), dataIndex: 'name' },
              {
                title: `${c('frm.left')} ${c('frm.operator')} ${c('frm.right')}`,
                key: 'expr',
                render: (_: unknown, r: ValidationRule) => (
                  <span className="col-expr">
                    {r.left} {r.operator} {r.right}
                  </span>
                ),
              },
              {
                title: c('frm.missing'),
                dataIndex: 'missing',
                render: (m: ValidationRule['missing']) => L(missingStrategyLabels[m]),
              },
              {
                title: c('frm.importance'),
                dataIndex: 'importance',
                render: (i: ValidationRule['importance']) => (
                  <Tag color={i === 'error' ? 'red' : 'orange'}>{L(ruleImportanceLabels[i])}</Tag>
                ),
              },
              { title: c('frm.active'), dataIndex: 'active', render: (a: boolean) => (a ? '✓' : '—') },
              ...(canEdit
                ? [
                    {
                      title: '',
                      key: 'edit',
                      render: (_: unknown, r: ValidationRule) => (
                        <Button
                          size="small"
                          type="link"
                          onClick={() => setEditing({ id: r.id, rule: { ...r } })}
                        >
                          {c('frm.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        {detail.form.sections.map((s) => (
          <Card key={s.title} size="small" title={s.title}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              scroll={{ x: 560 }}
              dataSource={s.elements
                .map((code) => detail.elements.find((e) => e.code === code))
                .filter((e): e is DataElement => !!e)}
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
                  render: (t: DataElement['type']) => L(elementTypeLabels[t]),
                },
                { title: c('frm.unit'), dataIndex: 'unit' },
                {
                  title: c('frm.prefill'),
                  dataIndex: 'prefill',
                  render: (p: string | null) => (p ? <Tag color="blue">{p}</Tag> : '—'),
                },
              ]}
            />
          </Card>
        ))}
      </>
    ) : (
      <Card loading />
    );
  }

  function ruleModal() {
    return (
      <Modal
        open={editing !== null}
        title={editing?.id ? c('frm.edit') : c('frm.addRule')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{
          disabled:
            !editing ||
            !editing.rule.name.trim() ||
            !!leftErr ||
            !!rightErr ||
            !editing.rule.left ||
            !editing.rule.right,
        }}
        width={640}
      >
        {editing ? (
          <Form layout="vertical">
            <Typography.Paragraph type="secondary">{c('frm.exprHint')}</Typography.Paragraph>
            <Form.Item label={c('frm.name')} required>
              <Input
                value={editing.rule.name}
                maxLength={100}
                onChange={(e) => patch({ name: e.target.value })}
              />
            </Form.Item>
            <Form.Item
              label={c('frm.left')}
              required
              validateStatus={leftErr ? 'error' : undefined}
              help={leftErr}
            >
              <Input
                className="col-expr"
                value={editing.rule.left}
                onChange={(e) => patch({ left: e.target.value })}
                data-testid="rule-left"
              />
            </Form.Item>
            <Form.Item label={c('frm.operator')}>
              <Select
                value={editing.rule.operator}
                onChange={(v) => patch({ operator: v })}
                options={RULE_OPERATORS.map((o) => ({ value: o, label: o }))}
              />
            </Form.Item>
            <Form.Item
              label={c('frm.right')}
              required
              validateStatus={rightErr ? 'error' : undefined}
              help={rightErr}
            >
              <Input
                className="col-expr"
                value={editing.rule.right}
                onChange={(e) => patch({ right: e.target.value })}
                data-testid="rule-right"
              />
            </Form.Item>
            <Form.Item label={c('frm.missing')}>
              <Select
                value={editing.rule.missing}
                onChange={(v) => patch({ missing: v })}
                options={MISSING_STRATEGIES.map((m) => ({ value: m, label: L(missingStrategyLabels[m]) }))}
              />
            </Form.Item>
            <Form.Item label={c('frm.importance')}>
              <Select
                value={editing.rule.importance}
                onChange={(v) => patch({ importance: v })}
                options={RULE_IMPORTANCES.map((m) => ({ value: m, label: L(ruleImportanceLabels[m]) }))}
              />
            </Form.Item>
            <Form.Item label={c('frm.message')}>
              <Input
                value={editing.rule.message}
                maxLength={200}
                onChange={(e) => patch({ message: e.target.value })}
              />
            </Form.Item>
            <Form.Item label={c('frm.active')}>
              <Switch checked={editing.rule.active} onChange={(v) => patch({ active: v })} />
            </Form.Item>
            <Typography.Text type="secondary">
              {[
                ...new Set(
                  [editing.rule.left, editing.rule.right].flatMap((x) => {
                    const p = parseExpression(x);
                    return p.ok ? p.refs.map((r) => r.code) : [];
                  }),
                ),
              ]
                .map((code) => `${code} = ${names.get(code) ?? code}`)
                .join('；')}
            </Typography.Text>
          </Form>
        ) : null}
      </Modal>
    );
  }
}
