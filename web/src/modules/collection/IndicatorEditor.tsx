/**
 * The indicator editor (the city): numerator and denominator expressions over one form's elements and the
 * registry figures, checked while typing with the ONE expression parser of contracts (parseExpression), and
 * the factor. The server checks the same way on save (COLLECTION_BAD_EXPRESSION).
 */
import { useEffect, useMemo, useState } from 'react';
import { Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import {
  ELEMENT_CODE,
  REGISTRY_FIGURES,
  parseExpression,
  type CollectionForm,
  type FormDetail,
  type Indicator,
  type IndicatorInput,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useCollectionI18n } from './messages.ts';

type Draft = Required<IndicatorInput>;

export function IndicatorEditor(props: {
  indicator: Indicator | null;
  forms: CollectionForm[];
  onClose: () => void;
  onSaved: (i: Indicator) => void;
}) {
  const { c, lang } = useCollectionI18n();
  const feedback = useFeedback();
  const L = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);
  const [draft, setDraft] = useState<Draft>(
    props.indicator ?? {
      code: '',
      name: '',
      numerator: '',
      denominator: '',
      factor: 100,
      unit: '%',
      formId: props.forms.find((f) => f.code === 'SCHOOL_ANNUAL')?.id ?? props.forms[0]?.id ?? '',
      description: '',
    },
  );
  const [detail, setDetail] = useState<FormDetail | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!draft.formId) return;
    api
      .get<FormDetail>(`/api/collection/forms/${draft.formId}`)
      .then(setDetail)
      .catch((e: unknown) => feedback.error(e));
  }, [draft.formId, feedback]);
  const known = useMemo(
    () => new Set<string>([...(detail?.elements.map((e) => e.code) ?? []), ...REGISTRY_FIGURES]),
    [detail],
  );
  const exprErr = (text: string) => {
    if (!text.trim()) return null;
    const p = parseExpression(text, known);
    return p.ok ? null : L(p.error);
  };
  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  const codeErr = ELEMENT_CODE.test(draft.code) ? null : c('frm.codeRule');
  const numErr = exprErr(draft.numerator);
  const denErr = exprErr(draft.denominator);
  const factorErr = draft.factor > 0 ? null : c('ind.factorBad');
  const ok =
    !codeErr &&
    !numErr &&
    !denErr &&
    !factorErr &&
    draft.name.trim() !== '' &&
    draft.numerator.trim() !== '' &&
    draft.denominator.trim() !== '' &&
    !!detail;

  const save = async () => {
    setSaving(true);
    try {
      const body: IndicatorInput = {
        code: draft.code,
        name: draft.name,
        numerator: draft.numerator,
        denominator: draft.denominator,
        factor: draft.factor,
        unit: draft.unit,
        formId: draft.formId,
        description: draft.description,
      };
      const saved = props.indicator
        ? await api.put<Indicator>(`/api/collection/indicators/${props.indicator.id}`, body)
        : await api.post<Indicator>('/api/collection/indicators', body);
      feedback.success(c('ind.saved'));
      props.onSaved(saved);
    } catch (e) {
      feedback.error(e);
    } finally {
      setSaving(false);
    }
  };
  const names = new Map(detail?.elements.map((e) => [e.code, e.name]));
  const refs = [draft.numerator, draft.denominator].flatMap((x) => {
    const p = parseExpression(x);
    return p.ok ? p.refs.map((r) => r.code) : [];
  });

  return (
    <Modal
      open
      title={props.indicator ? c('ind.edit') : c('ind.new')}
      onCancel={props.onClose}
      onOk={() => void save()}
      okButtonProps={{ disabled: !ok, loading: saving, 'data-testid': 'ind-save' }}
      width={640}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="ind-editor">
        <Space wrap align="start">
          <Form.Item
            label={c('frm.code')}
            required
            validateStatus={codeErr ? 'error' : undefined}
            help={codeErr}
          >
            <Input
              className="col-expr"
              style={{ width: 200 }}
              value={draft.code}
              onChange={(e) => patch({ code: e.target.value.toUpperCase() })}
            />
          </Form.Item>
          <Form.Item label={c('frm.name')} required>
            <Input
              style={{ width: 300 }}
              value={draft.name}
              maxLength={60}
              onChange={(e) => patch({ name: e.target.value })}
            />
          </Form.Item>
        </Space>
        <Form.Item label={c('ind.form')}>
          <Select
            value={draft.formId}
            onChange={(v: string) => patch({ formId: v })}
            options={props.forms.map((f) => ({ value: f.id, label: f.name }))}
          />
        </Form.Item>
        <Typography.Paragraph type="secondary">{c('frm.exprHint')}</Typography.Paragraph>
        <Form.Item
          label={c('ind.numerator')}
          required
          validateStatus={numErr ? 'error' : undefined}
          help={numErr}
        >
          <Input
            className="col-expr"
            value={draft.numerator}
            onChange={(e) => patch({ numerator: e.target.value })}
            data-testid="ind-numerator"
          />
        </Form.Item>
        <Form.Item
          label={c('ind.denominator')}
          required
          validateStatus={denErr ? 'error' : undefined}
          help={denErr}
        >
          <Input
            className="col-expr"
            value={draft.denominator}
            onChange={(e) => patch({ denominator: e.target.value })}
            data-testid="ind-denominator"
          />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            label={c('ind.factor')}
            validateStatus={factorErr ? 'error' : undefined}
            help={factorErr}
          >
            <InputNumber value={draft.factor} onChange={(v) => patch({ factor: v ?? 0 })} />
          </Form.Item>
          <Form.Item label={c('frm.unit')}>
            <Input
              style={{ width: 100 }}
              value={draft.unit}
              maxLength={20}
              onChange={(e) => patch({ unit: e.target.value })}
            />
          </Form.Item>
        </Space>
        <Form.Item label={c('frm.description')}>
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={draft.description}
            onChange={(e) => patch({ description: e.target.value })}
          />
        </Form.Item>
        <Typography.Text type="secondary">
          {c('ind.formula', { f: draft.factor })}
          {refs.length ? ' · ' : ''}
          {[...new Set(refs)].map((code) => `${code} = ${names.get(code) ?? code}`).join('；')}
        </Typography.Text>
      </Form>
    </Modal>
  );
}
