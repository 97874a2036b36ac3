/** The detail page's dialogs: one small form per action, posted as is; the page reloads the institution. */
import { useState } from 'react';
import { Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { addDays, chinaToday } from '../../app/dates.ts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { useTrainingI18n, type TrainingMessageKey } from './messages.ts';

export type Field =
  | { name: string; label: TrainingMessageKey; kind: 'text' | 'textarea'; required?: boolean; max?: number }
  | {
      name: string;
      label: TrainingMessageKey;
      kind: 'number';
      required?: boolean;
      min?: number;
      step?: number;
    }
  | { name: string; label: TrainingMessageKey; kind: 'date'; required?: boolean }
  | { name: string; label: TrainingMessageKey; kind: 'bool' }
  | {
      name: string;
      label: TrainingMessageKey;
      kind: 'select';
      required?: boolean;
      options: { value: string; label: string }[];
    }
  | { name: string; label: TrainingMessageKey; kind: 'tags' };

export interface DialogSpec {
  title: string;
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  fields: Field[];
  initial?: Record<string, unknown>;
  /** Extra body fields sent as they are. */
  extra?: Record<string, unknown>;
  testId?: string;
}

/** A dialog with the fields of `spec`; dates go out as YYYY-MM-DD, blank optional text as null. */
export function FormDialog({
  spec,
  onClose,
  onDone,
}: {
  spec: DialogSpec;
  onClose: () => void;
  onDone: (r: unknown) => void;
}) {
  const { m } = useTrainingI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const initial = spec.initial ?? {};
  const submit = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const body: Record<string, unknown> = { ...(spec.extra ?? {}) };
    for (const f of spec.fields) {
      const x = v[f.name];
      if (f.kind === 'date') body[f.name] = x ? x : null;
      else if (f.kind === 'bool') body[f.name] = !!x;
      else if (f.kind === 'tags') body[f.name] = x ?? [];
      else if ((x === undefined || x === '') && !('required' in f && f.required))
        body[f.name] = f.kind === 'number' ? null : null;
      else body[f.name] = x;
    }
    // Optional blanks of a new record are simply left out.
    if (spec.method === 'POST') for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
    setBusy(true);
    try {
      const r =
        spec.method === 'POST'
          ? await api.post(spec.url, body)
          : spec.method === 'PUT'
            ? await api.put(spec.url, body)
            : await api.patch(spec.url, body);
      onDone(r);
    } catch (e) {
      feedback.error(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={spec.title}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={m('act.save')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid={spec.testId}>
        {spec.fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.kind === 'bool' ? undefined : m(f.label)}
            valuePropName={f.kind === 'bool' ? 'checked' : 'value'}
            rules={'required' in f && f.required ? [{ required: true }] : []}
          >
            {f.kind === 'text' ? (
              <Input maxLength={f.max ?? 200} />
            ) : f.kind === 'textarea' ? (
              <Input.TextArea rows={3} maxLength={f.max ?? 500} />
            ) : f.kind === 'number' ? (
              <InputNumber min={f.min ?? 0} step={f.step ?? 1} style={{ width: '100%' }} />
            ) : f.kind === 'date' ? (
              <Input type="date" />
            ) : f.kind === 'bool' ? (
              <Checkbox>{m(f.label)}</Checkbox>
            ) : f.kind === 'select' ? (
              <Select options={f.options} />
            ) : (
              <Select mode="tags" />
            )}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

/** The inspection dialog: the visit and any number of problems, each becoming a finding. */
export function InspectionDialog({
  institutionId,
  kinds,
  onClose,
  onDone,
}: {
  institutionId: string;
  kinds: { value: string; label: string }[];
  onClose: () => void;
  onDone: (r: unknown) => void;
}) {
  const { m } = useTrainingI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as {
      kind: string;
      inspectedOn: string;
      agencies?: string[];
      people?: string[];
      summary?: string;
      findings?: { title: string; deadline: string }[];
    };
    try {
      onDone(
        await api.post(`/api/training/institutions/${institutionId}/inspections`, {
          kind: v.kind,
          inspectedOn: v.inspectedOn,
          agencies: v.agencies ?? [],
          people: v.people ?? [],
          ...(v.summary ? { summary: v.summary } : {}),
          findings: (v.findings ?? []).map((f) => ({ title: f.title, deadline: f.deadline })),
        }),
      );
    } catch (e) {
      feedback.error(e, form);
    }
  };
  return (
    <Modal
      open
      title={m('act.inspect')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={m('act.save')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'unannounced', inspectedOn: chinaToday() }}>
        <Form.Item name="kind" label={m('insp.kind')} rules={[{ required: true }]}>
          <Select options={kinds} />
        </Form.Item>
        <Form.Item name="inspectedOn" label={m('f.on')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="agencies" label={m('insp.agencies')}>
          <Select
            mode="tags"
            options={['市场监管局', '公安局', '消防救援大队', '民政局'].map((v) => ({ value: v, label: v }))}
          />
        </Form.Item>
        <Form.Item name="people" label={m('insp.people')}>
          <Select mode="tags" />
        </Form.Item>
        <Form.Item name="summary" label={m('insp.summary')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.List name="findings">
          {(items, { add, remove }) => (
            <>
              <div>{m('insp.findings')}</div>
              {items.map((it) => (
                <Space key={it.key} align="baseline" wrap>
                  <Form.Item name={[it.name, 'title']} rules={[{ required: true }]}>
                    <Input placeholder={m('insp.problem')} maxLength={120} />
                  </Form.Item>
                  <Form.Item
                    name={[it.name, 'deadline']}
                    rules={[{ required: true }]}
                    initialValue={addDays(chinaToday(), 15)}
                  >
                    <Input type="date" aria-label={m('insp.deadline')} />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(it.name)}>
                    {m('act.delete')}
                  </Button>
                </Space>
              ))}
              <Button type="dashed" onClick={() => add()} block>
                {m('insp.addProblem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
