/**
 * 填报: one unit's figures for a form and period. Every change is kept in the browser (useDraft) so a slow
 * PC or a dropped connection loses nothing; the rules run while typing with the same evaluator as the server
 * (evaluateRule from @dudao/contracts); 上报 waits for the network (submitWhenOnline). Figures the registry
 * knows are pre-filled and marked. The bureau above approves, returns or reopens here.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  InputNumber,
  List,
  Modal,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import {
  evaluateRule,
  numericValue,
  periodLabel,
  submissionStatusLabels,
  type DataElement,
  type EntryValue,
  type EntryView,
  type FormDetail,
  type RuleResult,
} from '@dudao/contracts';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { draftSavedText, offlinePendingText, useDraft, useSubmitWhenOnline } from '../../app/offline.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useCollectionI18n } from './messages.ts';
import { StatusTag } from './StatusTag.tsx';
import './collection.css';

interface Draft {
  values: Record<string, EntryValue>;
  explanations: Record<string, string>;
}
const EMPTY: Draft = { values: {}, explanations: {} };

function ValueInput({
  el,
  value,
  disabled,
  onChange,
  yes,
  no,
}: {
  el: DataElement;
  value: EntryValue | undefined;
  disabled: boolean;
  onChange: (v: EntryValue) => void;
  yes: string;
  no: string;
}) {
  const testId = `entry-input-${el.code}`;
  if (el.type === 'boolean')
    return (
      <Select
        data-testid={testId}
        allowClear
        disabled={disabled}
        value={typeof value === 'boolean' ? (value ? 'y' : 'n') : undefined}
        onChange={(v?: string) => onChange(v === undefined ? null : v === 'y')}
        options={[
          { value: 'y', label: yes },
          { value: 'n', label: no },
        ]}
        style={{ width: '100%' }}
      />
    );
  if (el.type === 'option')
    return (
      <Select
        data-testid={testId}
        allowClear
        disabled={disabled}
        value={typeof value === 'string' ? value : undefined}
        onChange={(v?: string) => onChange(v ?? null)}
        options={el.options.map((o) => ({ value: o, label: o }))}
        style={{ width: '100%' }}
      />
    );
  if (el.type === 'text')
    return (
      <Input.TextArea
        data-testid={testId}
        disabled={disabled}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={500}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || null)}
      />
    );
  return (
    <InputNumber<number>
      data-testid={testId}
      disabled={disabled}
      controls={false}
      inputMode="decimal"
      min={0}
      max={el.type === 'percentage' ? 100 : undefined}
      precision={el.type === 'integer' ? 0 : undefined}
      value={typeof value === 'number' ? value : null}
      onChange={(v) => onChange(typeof v === 'number' ? v : null)}
      addonAfter={el.unit || undefined}
      style={{ width: '100%' }}
    />
  );
}

export default function EntryPage() {
  const { c, lang } = useCollectionI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const formId = params.get('formId') ?? '';
  const unitId = params.get('unitId') ?? '';
  const period = params.get('period') ?? '';
  const [detail, setDetail] = useState<FormDetail | null>(null);
  const [entry, setEntry] = useState<EntryView | null>(null);
  const [draft, setDraft, clearDraft, savedAt] = useDraft<Draft>(
    `collection:${formId}:${unitId}:${period}`,
    EMPTY,
  );
  const { submit, pending } = useSubmitWhenOnline();
  const [busy, setBusy] = useState(false);
  const [reasonFor, setReasonFor] = useState<'return' | 'reopen' | null>(null);
  const [reason, setReason] = useState('');

  const load = useCallback(async () => {
    const [d, e] = await Promise.all([
      api.get<FormDetail>(`/api/collection/forms/${formId}`),
      api.get<EntryView>('/api/collection/entry', { formId, unitId, period }),
    ]);
    setDetail(d);
    setEntry(e);
    return e;
  }, [formId, unitId, period]);

  useEffect(() => {
    load()
      .then((e) => {
        // no draft kept in this browser: start from the server's figures, or from the registry's
        if (e.can.edit && savedAt === null) {
          const start = Object.keys(e.values).length > 0 ? e.values : { ...e.prefill };
          setDraft({ values: start, explanations: e.explanations });
        }
      })
      .catch((err: unknown) => feedback.error(err));
  }, [load]);

  const editable = entry?.can.edit ?? false;
  const values = editable ? draft.values : (entry?.values ?? {});
  const explanations = editable ? draft.explanations : (entry?.explanations ?? {});

  // the rules, while typing: the same evaluator the server runs
  const results: RuleResult[] = useMemo(() => {
    if (!detail || !entry) return [];
    const lookup = (code: string, prev: boolean) =>
      prev
        ? numericValue(entry.previous[code])
        : code.startsWith('reg.')
          ? (entry.registry[code] ?? null)
          : numericValue(values[code]);
    return detail.rules.filter((r) => r.active).map((r) => evaluateRule(r, lookup, lang));
  }, [detail, entry, values, lang]);
  const failing = results.filter((r) => r.outcome === 'fail');
  const errors = failing.filter((r) => r.importance === 'error');
  const unexplained = failing.filter((r) => r.importance === 'warning' && !explanations[r.ruleId]?.trim());

  const set = (code: string, v: EntryValue) =>
    setDraft((d) => ({ ...d, values: { ...d.values, [code]: v } }));

  const body = () => ({ formId, unitId, period, values: draft.values, explanations: draft.explanations });
  const save = async () => {
    setBusy(true);
    try {
      setEntry(await api.put<EntryView>('/api/collection/entry', body()));
      feedback.success(c('ent.saved'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };
  const doSubmit = async () => {
    setBusy(true);
    try {
      const e = await submit(() => api.post<EntryView>('/api/collection/entry/submit', body()));
      clearDraft();
      setEntry(e);
      // A school's figures go to its county; a county bureau's own go to the city.
      feedback.success(c(e.countyName ? 'ent.submitted' : 'ent.submittedCity'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };
  const decide = async (action: 'approve' | 'return' | 'reopen', withReason?: string) => {
    if (!entry?.id) return;
    setBusy(true);
    try {
      const e = await api.post<EntryView>(
        `/api/collection/submissions/${entry.id}/${action}`,
        withReason === undefined ? undefined : { reason: withReason },
      );
      setEntry(e);
      setReasonFor(null);
      setReason('');
      if (action === 'reopen') clearDraft();
      feedback.success(
        c(action === 'approve' ? 'ent.approved' : action === 'return' ? 'ent.returned' : 'ent.reopened'),
      );
      if (action === 'reopen') await load();
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  if (!detail || !entry) return <Card loading />;
  const byCode = new Map(detail.elements.map((e) => [e.code, e]));
  const fmtNum = (v: EntryValue | undefined) =>
    typeof v === 'number'
      ? v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')
      : typeof v === 'boolean'
        ? v
          ? c('ent.yes')
          : c('ent.no')
        : (v ?? '—');

  return (
    <div className="col-entry">
      <PageHeader
        title={c('ent.title', { form: detail.form.name })}
        crumbs={[{ title: c('col.module') }, { title: c('col.tasks'), to: '/collection' }]}
        extra={
          <Button onClick={() => navigate(-1)} className="no-print">
            {c('ent.back')}
          </Button>
        }
      />
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
          <Descriptions.Item label={c('col.unit')}>{entry.unitName}</Descriptions.Item>
          <Descriptions.Item label={c('col.county')}>{entry.countyName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={c('col.period')}>
            {periodLabel(detail.form.periodType, period, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={c('col.status')}>
            <StatusTag status={entry.status} lang={lang} />
          </Descriptions.Item>
        </Descriptions>
        {entry.returnReason && (entry.status === 'returned' || entry.status === 'draft') ? (
          <Alert type="warning" showIcon title={c('ent.returnReason', { r: entry.returnReason })} />
        ) : null}
        {entry.locked ? (
          <Alert type="info" showIcon title={c('ent.locked')} data-testid="entry-locked" />
        ) : null}
        {pending ? <Alert type="warning" showIcon title={offlinePendingText(lang)} /> : null}
      </Card>

      <Card size="small" title={c('ent.checks')} className="col-checks" data-testid="entry-checks">
        {failing.length === 0 ? (
          <Typography.Text type="success">{c('ent.checksOk')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={failing}
            renderItem={(r) => (
              <List.Item data-testid={`rule-${r.importance}`}>
                <Space direction="vertical" style={{ width: '100%' }} size={4}>
                  <span>
                    <Tag color={r.importance === 'error' ? 'red' : 'orange'}>
                      {r.importance === 'error' ? c('col.errors') : c('col.warnings')}
                    </Tag>
                    <b>{r.name}</b>：{r.message}
                  </span>
                  {r.importance === 'warning' ? (
                    <Input
                      data-testid={`explain-${r.ruleId}`}
                      placeholder={c('ent.explain')}
                      maxLength={300}
                      disabled={!editable}
                      value={explanations[r.ruleId] ?? ''}
                      onChange={(e) =>
                        setDraft((d) => ({
                          ...d,
                          explanations: { ...d.explanations, [r.ruleId]: e.target.value },
                        }))
                      }
                    />
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>

      {detail.form.sections.map((s) => (
        <Card key={s.title} size="small" title={s.title} className="col-section">
          <Row gutter={[16, 8]}>
            {s.elements.map((code) => {
              const el = byCode.get(code);
              if (!el) return null;
              const v = values[code];
              const pre = entry.prefill[code];
              const prev = entry.previous[code];
              return (
                <Col key={code} xs={24} sm={12} lg={8}>
                  <div className="col-field">
                    <label className="col-label">
                      {el.name}
                      {el.unit && el.type !== 'number' && el.type !== 'integer' ? `（${el.unit}）` : ''}
                    </label>
                    <ValueInput
                      el={el}
                      value={v}
                      disabled={!editable}
                      onChange={(x) => set(code, x)}
                      yes={c('ent.yes')}
                      no={c('ent.no')}
                    />
                    <div className="col-hints">
                      {pre !== undefined ? (
                        v === pre ? (
                          <Tag color="blue" data-testid={`prefilled-${code}`}>
                            {c('ent.prefilled')}
                          </Tag>
                        ) : (
                          <span>
                            {c('ent.registry', { v: pre })}
                            {editable ? (
                              <Button type="link" size="small" onClick={() => set(code, pre)}>
                                {c('ent.usePrefill')}
                              </Button>
                            ) : null}
                          </span>
                        )
                      ) : null}
                      {prev !== undefined && prev !== null ? (
                        <span>{c('ent.previous', { v: fmtNum(prev) })}</span>
                      ) : null}
                    </div>
                  </div>
                </Col>
              );
            })}
          </Row>
        </Card>
      ))}

      <div className="col-actions no-print">
        <Space wrap>
          {editable ? (
            <>
              <Typography.Text type="secondary">{draftSavedText(lang, savedAt)}</Typography.Text>
              <Button onClick={() => void save()} loading={busy} data-testid="entry-save">
                {c('ent.save')}
              </Button>
              <Button
                type="primary"
                onClick={() => void doSubmit()}
                loading={busy}
                disabled={errors.length > 0 || unexplained.length > 0}
                data-testid="entry-submit"
              >
                {c('ent.submit')}
              </Button>
              {errors.length > 0 ? <Typography.Text type="danger">{c('ent.blocked')}</Typography.Text> : null}
              {errors.length === 0 && unexplained.length > 0 ? (
                <Typography.Text type="warning">{c('ent.needExplain')}</Typography.Text>
              ) : null}
            </>
          ) : null}
          {entry.can.approve ? (
            <Button
              type="primary"
              onClick={() => void decide('approve')}
              loading={busy}
              data-testid="entry-approve"
            >
              {c('ent.approve')}
            </Button>
          ) : null}
          {entry.can.return ? (
            <Button danger onClick={() => setReasonFor('return')} data-testid="entry-return">
              {c('ent.return')}
            </Button>
          ) : null}
          {entry.can.reopen ? (
            <Button onClick={() => setReasonFor('reopen')} data-testid="entry-reopen">
              {c('ent.reopen')}
            </Button>
          ) : null}
          <Typography.Text type="secondary">
            {submissionStatusLabels[entry.status][lang === 'zh' ? 'zh' : 'en']}
          </Typography.Text>
        </Space>
      </div>
      <Modal
        open={reasonFor !== null}
        title={reasonFor === 'return' ? c('ent.return') : c('ent.reopen')}
        onCancel={() => setReasonFor(null)}
        onOk={() => reasonFor && void decide(reasonFor, reason)}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: busy, id: 'reason-ok' }}
      >
        <Input.TextArea
          data-testid="reason-input"
          placeholder={c('ent.reason')}
          maxLength={300}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </div>
  );
}
