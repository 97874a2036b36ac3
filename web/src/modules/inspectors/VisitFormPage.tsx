/**
 * 登记督导 — the visit form, made for a phone at the school: the school, the date and the methods, then the
 * eight routine items one under the other (tick the ones looked at, 正常 / 有问题, notes, photos from the
 * camera), the summary. Everything is kept as a draft on the device on every change; the submission
 * uploads the photos and posts the visit, and when the network is down it waits and submits when it is
 * back. The visit's id is made here, so a submission repeated after a lost answer records it once.
 */
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Checkbox, Input, Modal, Segmented, Select, Space, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITIES,
  ROUTINE_ITEMS,
  VISIT_METHODS,
  findingSeverityLabels,
  label,
  routineItemLabels,
  visitMethodLabels,
  type FindingSeverity,
  type RoutineItem,
  type VisitCreate,
  type VisitDetail,
  type VisitMethod,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { draftSavedText, offlinePendingText, useDraft, useSubmitWhenOnline } from '../../app/offline.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../app/PhotoField.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { chinaToday } from '../findings/components/labels.tsx';
import { newId, useSchoolOptions } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

interface ItemDraft {
  checked: boolean;
  result: 'ok' | 'problem';
  notes: string;
  photos: PhotoValue[];
  severity: FindingSeverity;
  onSite: boolean;
}
interface VisitDraft {
  id: string;
  schoolId?: string;
  visitDate: string;
  methods: VisitMethod[];
  otherMethod: string;
  summary: string;
  deadline: string;
  items: Record<RoutineItem, ItemDraft>;
}

const emptyItem = (): ItemDraft => ({
  checked: false,
  result: 'ok',
  notes: '',
  photos: [],
  severity: 'general',
  onSite: false,
});
function emptyDraft(): VisitDraft {
  return {
    id: newId(),
    visitDate: chinaToday(),
    methods: [],
    otherMethod: '',
    summary: '',
    deadline: '',
    items: Object.fromEntries(ROUTINE_ITEMS.map((i) => [i, emptyItem()])) as Record<RoutineItem, ItemDraft>,
  };
}

export default function VisitFormPage() {
  const { t, m, lang } = useInspectorI18n();
  const me = useMe();
  const navigate = useNavigate();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const schools = useSchoolOptions();
  const initial = useMemo(emptyDraft, []);
  const [draft, setDraft, clearDraft, savedAt] = useDraft<VisitDraft>(`inspector-visit.${me.id}`, initial);
  const { submit, pending } = useSubmitWhenOnline();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const set = (patch: Partial<VisitDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setItem = (item: RoutineItem, patch: Partial<ItemDraft>) =>
    setDraft((d) => ({ ...d, items: { ...d.items, [item]: { ...d.items[item], ...patch } } }));

  function check(): string | null {
    if (!draft.schoolId) return m('in.schoolRequired');
    const checked = ROUTINE_ITEMS.filter((i) => draft.items[i].checked);
    if (checked.length === 0) return m('in.itemsRequired');
    const empty = checked.find((i) => draft.items[i].result === 'problem' && !draft.items[i].notes.trim());
    if (empty) return `${label(routineItemLabels, empty, lang)}：${m('in.problemRequired')}`;
    if (draft.methods.length === 0) return m('in.methodsRequired');
    if (!draft.summary.trim()) return m('in.summaryRequired');
    return null;
  }

  // A retry (after the network came back) must see the photos already uploaded: read the latest draft.
  const latest = useRef(draft);
  latest.current = draft;

  async function send(): Promise<VisitDetail> {
    const d = latest.current;
    const schoolId = d.schoolId!;
    // Photos first, item by item; their ids go back into the draft at once, so a retry does not send them again.
    const items: VisitCreate['items'] = [];
    for (const item of ROUTINE_ITEMS) {
      const it = latest.current.items[item];
      if (!it.checked) continue;
      const ids = await uploadPhotos(it.photos, schoolId);
      if (it.photos.some((p) => !p.id)) {
        const photos = it.photos.map((p, i) => ({ id: ids[i], name: p.name }));
        latest.current = { ...latest.current, items: { ...latest.current.items, [item]: { ...it, photos } } };
        setItem(item, { photos });
      }
      items.push({
        item,
        result: it.result,
        ...(it.notes.trim() ? { notes: it.notes.trim() } : {}),
        ...(ids.length ? { fileIds: ids } : {}),
        ...(it.result === 'problem' ? { severity: it.severity, rectifiedOnSite: it.onSite } : {}),
      });
    }
    const body: VisitCreate = {
      id: d.id,
      schoolId,
      visitDate: d.visitDate,
      items,
      methods: d.methods,
      ...(d.methods.includes('other') && d.otherMethod.trim() ? { otherMethod: d.otherMethod.trim() } : {}),
      summary: d.summary.trim(),
      ...(d.deadline ? { deadline: d.deadline } : {}),
    };
    return api.post<VisitDetail>('/api/inspectors/visits', body);
  }

  async function onSubmit() {
    const p = check();
    setProblem(p);
    if (p) return;
    setBusy(true);
    try {
      const visit = await submit(send);
      clearDraft();
      feedback.success(m('in.submitted'));
      void navigate(`/inspectors/visits/${visit.id}`, { replace: true });
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  }

  function onDiscard() {
    Modal.confirm({
      title: m('in.discardConfirm'),
      okButtonProps: { danger: true },
      onOk: () => clearDraft(),
    });
  }

  const noSchools = schools.length === 0;
  return (
    <div className="insp-form-page">
      <PageHeader
        title={m('in.newVisit')}
        crumbs={[{ title: m('in.visits'), to: '/inspectors/visits' }]}
        extra={
          savedAt ? <Typography.Text type="secondary">{draftSavedText(lang, savedAt)}</Typography.Text> : null
        }
      />
      {pending ? (
        <Alert type="warning" showIcon message={offlinePendingText(lang)} className="insp-gap" />
      ) : null}
      {problem ? (
        <Alert type="error" showIcon message={problem} className="insp-gap" data-testid="visit-form-error" />
      ) : null}

      <Card size="small" className="insp-gap">
        <div className="insp-field">
          <label>{m('in.school')}</label>
          <Select
            data-testid="visit-school"
            value={draft.schoolId}
            onChange={(v: string) => set({ schoolId: v })}
            options={schools}
            placeholder={noSchools ? m('in.noSchools') : m('in.school')}
            showSearch
            optionFilterProp="label"
            style={{ width: '100%' }}
          />
        </div>
        <div className="insp-field">
          <label>{m('in.visitDate')}</label>
          <Input
            type="date"
            data-testid="visit-date"
            value={draft.visitDate}
            max={chinaToday()}
            onChange={(e) => set({ visitDate: e.target.value })}
          />
        </div>
        <div className="insp-field">
          <label>{m('in.methods')}</label>
          <Checkbox.Group
            data-testid="visit-methods"
            value={draft.methods}
            onChange={(v) => set({ methods: v })}
            options={VISIT_METHODS.map((x) => ({ value: x, label: label(visitMethodLabels, x, lang) }))}
          />
          {draft.methods.includes('other') ? (
            <Input
              value={draft.otherMethod}
              maxLength={60}
              placeholder={m('in.otherMethod')}
              onChange={(e) => set({ otherMethod: e.target.value })}
              style={{ marginTop: 8 }}
            />
          ) : null}
        </div>
      </Card>

      <Typography.Title level={5} className="insp-section-title">
        {m('in.items')}
      </Typography.Title>
      {ROUTINE_ITEMS.map((item) => {
        const d = draft.items[item];
        return (
          <Card
            key={item}
            size="small"
            className={`insp-gap insp-item${d.checked && d.result === 'problem' ? ' insp-item-problem' : ''}`}
            data-testid={`visit-item-${item}`}
          >
            <Checkbox checked={d.checked} onChange={(e) => setItem(item, { checked: e.target.checked })}>
              <strong>{label(routineItemLabels, item, lang)}</strong>
            </Checkbox>
            {d.checked ? (
              <div className="insp-item-body">
                <Segmented
                  block={isMobile}
                  value={d.result}
                  onChange={(v) => setItem(item, { result: v as 'ok' | 'problem' })}
                  options={[
                    { value: 'ok', label: m('in.ok') },
                    { value: 'problem', label: m('in.problem') },
                  ]}
                />
                <Input.TextArea
                  value={d.notes}
                  maxLength={1000}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  placeholder={d.result === 'problem' ? m('in.problemNotes') : m('in.notes')}
                  onChange={(e) => setItem(item, { notes: e.target.value })}
                />
                {d.result === 'problem' ? (
                  <Space wrap>
                    <Select
                      value={d.severity}
                      onChange={(v: FindingSeverity) => setItem(item, { severity: v })}
                      options={FINDING_SEVERITIES.map((s) => ({
                        value: s,
                        label: `${m('in.severity')}：${label(findingSeverityLabels, s, lang)}`,
                      }))}
                      style={{ minWidth: 150 }}
                    />
                    <Checkbox
                      checked={d.onSite}
                      onChange={(e) => setItem(item, { onSite: e.target.checked })}
                    >
                      {m('in.onSite')}
                    </Checkbox>
                  </Space>
                ) : null}
                <PhotoField
                  value={d.photos}
                  onChange={(photos) => setItem(item, { photos })}
                  unitId={draft.schoolId}
                  max={9}
                />
              </div>
            ) : null}
          </Card>
        );
      })}

      <Card size="small" className="insp-gap">
        <div className="insp-field">
          <label>{m('in.summary')}</label>
          <Input.TextArea
            data-testid="visit-summary"
            value={draft.summary}
            maxLength={4000}
            autoSize={{ minRows: 3, maxRows: 10 }}
            onChange={(e) => set({ summary: e.target.value })}
          />
        </div>
        <div className="insp-field">
          <label>{m('in.deadline')}</label>
          <Input
            type="date"
            value={draft.deadline}
            min={chinaToday()}
            onChange={(e) => set({ deadline: e.target.value })}
          />
          <Typography.Text type="secondary" className="insp-hint">
            {m('in.deadlineHint')}
          </Typography.Text>
        </div>
      </Card>

      <div className="insp-form-actions no-print">
        <Button
          type="primary"
          size="large"
          icon={<SendOutlined />}
          loading={busy}
          block={isMobile}
          onClick={() => void onSubmit()}
          data-testid="visit-submit"
        >
          {m('in.submit')}
        </Button>
        <Button size="large" block={isMobile} onClick={onDiscard} disabled={busy}>
          {m('in.discard')}
        </Button>
        <Button size="large" block={isMobile} onClick={() => navigate('/inspectors/visits')}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
