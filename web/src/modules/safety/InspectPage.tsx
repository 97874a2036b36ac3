/**
 * 安全检查 (mobile first): choose the kind (专项检查 / 日常检查 / 月度自查), the school, the campaign or
 * checklist and the grid; answer each item with a big 合格 / 不合格 / 不适用 toggle, grouped by area; a failed
 * item asks what is wrong, photos, severity and deadline. Everything typed is kept on the device (useDraft):
 * a dropped network loses nothing, and a submission waits for it (submitWhenOnline). The inspection's id is
 * made here, so a submission retried after a drop is the same inspection on the server.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { CheckOutlined, CloseOutlined, MinusOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITIES,
  SAFETY_AREAS,
  findingSeverityLabels,
  inspectionKindLabels,
  label,
  safetyAreaLabels,
  type ChecklistItem,
  type FindingSeverity,
  type InspectionKind,
  type InspectOptions,
  type ItemResult,
  type SafetyInspectionDetail,
  type SafetyInspectionSave,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../app/PhotoField.tsx';
import {
  draftSavedText,
  offlinePendingText,
  useDraft,
  useOnline,
  useSubmitWhenOnline,
} from '../../app/offline.ts';
import { useIsMobile } from '../../app/responsive.ts';
import { SchoolSelect, addDays, chinaToday } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

interface Answer {
  result?: ItemResult;
  note?: string;
  photos?: PhotoValue[];
  severity?: FindingSeverity;
  deadline?: string;
  gridId?: string;
  location?: string;
  onSite?: boolean;
}

interface Draft {
  id: string;
  kind: InspectionKind;
  schoolId?: string;
  schoolName?: string;
  /** The form's choices for the school, kept so the form opens offline. */
  options?: InspectOptions;
  campaignId?: string;
  groupId?: string;
  versionId?: string;
  gridId?: string;
  inspectedOn: string;
  month: string;
  people: string[];
  peopleCount?: number;
  summary?: string;
  answers: Record<string, Answer>;
}

const newId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
        const r = (Math.random() * 16) | 0;
        return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
      });

function emptyDraft(kind: InspectionKind): Draft {
  const today = chinaToday();
  return { id: newId(), kind, inspectedOn: today, month: today.slice(0, 7), people: [], answers: {} };
}

export default function InspectPage() {
  const { s, lang } = useSafetyI18n();
  const { message, modal } = App.useApp();
  const me = useMe();
  const isMobile = useIsMobile();
  const online = useOnline();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const atSchool = me.unit.kind === 'school';
  const [draft, setDraft, clearDraft, savedAt] = useDraft<Draft>(
    'safety.inspect',
    emptyDraft(atSchool ? 'self_check' : 'campaign'),
  );
  const { submit, pending, cancel } = useSubmitWhenOnline();
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [optionsError, setOptionsError] = useState<string | null>(null);
  const [loadingOptions, setLoadingOptions] = useState(false);

  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  const setAnswer = (itemId: string, a: Partial<Answer>) =>
    setDraft((d) => ({ ...d, answers: { ...d.answers, [itemId]: { ...d.answers[itemId], ...a } } }));

  // A school's own staff inspect their school.
  useEffect(() => {
    if (atSchool && !draft.schoolId) patch({ schoolId: me.unit.id, schoolName: me.unit.name });
  }, [atSchool]);

  // Continue a draft kept on the server (from the record page).
  const serverDraft = params.get('draft');
  useEffect(() => {
    if (!serverDraft || serverDraft === draft.id) return;
    api.get<SafetyInspectionDetail>(`/api/safety/inspections/${serverDraft}`).then(
      (d) => {
        const answers: Record<string, Answer> = {};
        for (const it of d.items)
          if (it.result)
            answers[it.id] = {
              result: it.result,
              note: it.note ?? undefined,
              photos: it.fileIds.map((id, n) => ({ id, name: `photo-${n + 1}.jpg` })),
              severity: it.severity ?? undefined,
              deadline: it.deadline ?? undefined,
              gridId: it.gridId ?? undefined,
              location: it.location ?? undefined,
              onSite: it.rectifiedOnSite,
            };
        setDraft({
          id: d.id,
          kind: d.kind,
          schoolId: d.schoolId,
          schoolName: d.schoolName,
          campaignId: d.campaignId ?? undefined,
          groupId: d.groupId ?? undefined,
          versionId: d.templateVersionId,
          gridId: d.gridId ?? undefined,
          inspectedOn: d.inspectedOn,
          month: d.month ?? d.inspectedOn.slice(0, 7),
          people: d.people,
          peopleCount: d.peopleCount,
          summary: d.summary ?? undefined,
          answers,
        });
      },
      (err: unknown) => void message.error(isApiError(err) ? err.message : String(err)),
    );
  }, [serverDraft]);

  // The school's choices (campaigns, checklists, grids), refreshed when online, kept in the draft.
  useEffect(() => {
    if (!draft.schoolId || !online) return;
    const controller = new AbortController();
    setLoadingOptions(true);
    setOptionsError(null);
    api
      .get<InspectOptions>('/api/safety/inspect/options', { schoolId: draft.schoolId }, controller.signal)
      .then(
        (o) => {
          setLoadingOptions(false);
          setDraft((d) => {
            const next = { ...d, options: o };
            if (d.kind === 'campaign' && !d.campaignId && o.campaigns.length === 1) {
              next.campaignId = o.campaigns[0]!.id;
              next.versionId = o.campaigns[0]!.templateVersionId;
            }
            if (d.kind !== 'campaign' && !d.versionId && o.checklists[0])
              next.versionId = o.checklists[0].versionId;
            return next;
          });
        },
        (err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          setLoadingOptions(false);
          setOptionsError(isApiError(err) ? err.message : String(err));
        },
      );
    return () => controller.abort();
  }, [draft.schoolId, online]);

  const options = draft.options?.school.id === draft.schoolId ? draft.options : undefined;
  const campaign = options?.campaigns.find((c) => c.id === draft.campaignId);
  const versionId = draft.kind === 'campaign' ? campaign?.templateVersionId : draft.versionId;
  const checklist = options?.checklists.find((c) => c.versionId === versionId);
  const items = useMemo(() => checklist?.items ?? [], [checklist]);
  const byArea = useMemo(
    () =>
      SAFETY_AREAS.map((area) => ({ area, items: items.filter((i) => i.area === area) })).filter(
        (g) => g.items.length > 0,
      ),
    [items],
  );
  const answered = items.filter((i) => draft.answers[i.id]?.result).length;
  const failed = items.filter((i) => draft.answers[i.id]?.result === 'fail').length;
  const gridOptions = (options?.grids ?? []).map((g) => ({
    value: g.id,
    label: g.personName ? `${g.name}（${g.personName}）` : g.name,
  }));

  const kindOptions = (['campaign', 'visit', 'self_check'] as const)
    .filter((k) => k !== 'self_check' || !options || options.canSelfCheck)
    .map((k) => ({ value: k, label: label(inspectionKindLabels, k, lang) }));

  function body(submitIt: boolean, fileIds: Record<string, string[]>): SafetyInspectionSave {
    return {
      id: draft.id,
      kind: draft.kind,
      schoolId: draft.schoolId!,
      ...(draft.kind === 'campaign'
        ? { campaignId: draft.campaignId, ...(draft.groupId ? { groupId: draft.groupId } : {}) }
        : { templateVersionId: draft.versionId }),
      inspectedOn: draft.inspectedOn,
      ...(draft.kind === 'self_check' ? { month: draft.month } : {}),
      ...(draft.gridId ? { gridId: draft.gridId } : {}),
      people: draft.people,
      ...(draft.peopleCount ? { peopleCount: draft.peopleCount } : {}),
      ...(draft.summary ? { summary: draft.summary } : {}),
      items: items
        .filter((i) => draft.answers[i.id]?.result)
        .map((i) => {
          const a = draft.answers[i.id]!;
          const fail = a.result === 'fail';
          return {
            itemId: i.id,
            result: a.result!,
            ...(a.note ? { note: a.note } : {}),
            ...(fail
              ? {
                  fileIds: fileIds[i.id] ?? [],
                  ...(a.severity ? { severity: a.severity } : {}),
                  ...(a.deadline ? { deadline: a.deadline } : {}),
                  ...(a.gridId ? { gridId: a.gridId } : {}),
                  ...(a.location ? { location: a.location } : {}),
                  rectifiedOnSite: !!a.onSite,
                }
              : {}),
          };
        }),
      submit: submitIt,
    };
  }

  /** Uploads the photos not yet on the server and remembers their ids in the draft (a retry does not resend). */
  async function uploadAll(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const i of items) {
      const a = draft.answers[i.id];
      if (a?.result !== 'fail' || !a.photos?.length) continue;
      const ids = await uploadPhotos(a.photos, draft.schoolId!);
      out[i.id] = ids;
      setAnswer(i.id, { photos: a.photos.map((p, n) => ({ id: ids[n], name: p.name })) });
    }
    return out;
  }

  async function send(submitIt: boolean) {
    if (!draft.schoolId || !versionId) return;
    setBusy(submitIt ? 'submit' : 'draft');
    try {
      const saved = await submit(async () => {
        const fileIds = await uploadAll();
        return api.post<SafetyInspectionDetail>('/api/safety/inspections', body(submitIt, fileIds));
      });
      if (submitIt) {
        void message.success(s('sf.inspect.submitted', { n: saved.failed }));
        clearDraft();
        void navigate(`/safety/inspections/${saved.id}`);
      } else {
        void message.success(s('sf.inspect.draftSaved'));
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  function confirmSubmit() {
    if (answered < items.length) {
      void message.warning(s('sf.inspect.incomplete', { n: items.length - answered }));
      const first = items.find((i) => !draft.answers[i.id]?.result);
      if (first)
        document.getElementById(`item-${first.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    modal.confirm({
      title: s('sf.inspect.submitConfirm'),
      onOk: () => {
        void send(true);
      },
    });
  }

  const restPass = () =>
    setDraft((d) => {
      const answers = { ...d.answers };
      for (const i of items) if (!answers[i.id]?.result) answers[i.id] = { ...answers[i.id], result: 'pass' };
      return { ...d, answers };
    });

  const discard = () =>
    modal.confirm({
      title: s('sf.inspect.discardConfirm'),
      onOk: () => {
        cancel();
        clearDraft();
        if (atSchool)
          setDraft({ ...emptyDraft('self_check'), schoolId: me.unit.id, schoolName: me.unit.name });
      },
    });

  const selfDone =
    draft.kind === 'self_check' && options?.selfCheck && options.selfCheck.inspectionId !== draft.id;

  return (
    <div className="safety-inspect" data-testid="safety-inspect">
      <PageHeader
        title={s('sf.inspect.title')}
        crumbs={[{ title: s('sf.safety') }]}
        extra={
          <>
            <Link to="/safety/inspections">{s('sf.inspect.history')}</Link>
            <Button size="small" onClick={discard} data-testid="inspect-discard">
              {s('sf.inspect.discard')}
            </Button>
          </>
        }
      />
      {!online ? (
        <Alert type="warning" showIcon message={s('sf.inspect.offline')} className="safety-gap" />
      ) : null}
      {pending ? (
        <Alert
          type="warning"
          showIcon
          message={offlinePendingText(lang)}
          className="safety-gap"
          data-testid="inspect-pending"
        />
      ) : null}

      <Card className="safety-gap" size="small">
        <Form layout="vertical" size="large">
          <Form.Item label={s('sf.inspect.kind')}>
            <Segmented
              block
              value={draft.kind}
              options={kindOptions}
              onChange={(v) => patch({ kind: v, campaignId: undefined, groupId: undefined })}
              data-testid="inspect-kind"
            />
          </Form.Item>
          <Form.Item label={s('sf.school')}>
            <SchoolSelect
              value={draft.schoolId}
              initialName={draft.schoolName}
              disabled={atSchool}
              onChange={(id, name) =>
                patch({
                  schoolId: id,
                  schoolName: name,
                  options: undefined,
                  gridId: undefined,
                  answers: {},
                  versionId: undefined,
                  campaignId: undefined,
                })
              }
              testId="inspect-school"
            />
          </Form.Item>
          {loadingOptions && !options ? <Spin /> : null}
          {optionsError ? <Alert type="error" message={optionsError} /> : null}
          {options ? (
            <Row gutter={12}>
              {draft.kind === 'campaign' ? (
                <>
                  <Col xs={24} md={12}>
                    <Form.Item label={s('sf.inspect.campaign')}>
                      {options.campaigns.length === 0 ? (
                        <Typography.Text type="secondary">{s('sf.inspect.noCampaign')}</Typography.Text>
                      ) : (
                        <Select
                          value={draft.campaignId}
                          options={options.campaigns.map((c) => ({ value: c.id, label: c.name }))}
                          onChange={(id: string) => patch({ campaignId: id, groupId: undefined })}
                          data-testid="inspect-campaign"
                        />
                      )}
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item label={s('sf.inspect.group')}>
                      <Select
                        allowClear
                        value={draft.groupId}
                        options={(campaign?.groups ?? []).map((g) => ({
                          value: g.id,
                          label: `${g.name}（${g.leader}，${g.people}人）`,
                        }))}
                        onChange={(id: string | undefined) => {
                          const g = campaign?.groups.find((x) => x.id === id);
                          patch({
                            groupId: id,
                            ...(g && draft.people.length === 0
                              ? { people: [g.leader, ...g.members], peopleCount: g.people }
                              : {}),
                          });
                        }}
                        data-testid="inspect-group"
                      />
                    </Form.Item>
                  </Col>
                </>
              ) : (
                <Col xs={24} md={12}>
                  <Form.Item label={s('sf.inspect.checklist')}>
                    {options.checklists.length === 0 ? (
                      <Typography.Text type="secondary">{s('sf.inspect.noChecklist')}</Typography.Text>
                    ) : (
                      <Select
                        value={draft.versionId}
                        options={options.checklists.map((c) => ({
                          value: c.versionId,
                          label: `${c.name}（${s('sf.templates.version', { n: c.version })}）`,
                        }))}
                        onChange={(v: string) => patch({ versionId: v, answers: {} })}
                        data-testid="inspect-checklist"
                      />
                    )}
                  </Form.Item>
                </Col>
              )}
              <Col xs={24} md={12}>
                <Form.Item label={s('sf.inspect.grid')}>
                  <Select
                    allowClear
                    value={draft.gridId}
                    options={gridOptions}
                    onChange={(v: string | undefined) => patch({ gridId: v })}
                    data-testid="inspect-grid"
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item label={s('sf.inspect.date')}>
                  <Input
                    type="date"
                    value={draft.inspectedOn}
                    max={chinaToday()}
                    onChange={(e) => patch({ inspectedOn: e.target.value })}
                    data-testid="inspect-date"
                  />
                </Form.Item>
              </Col>
              {draft.kind === 'self_check' ? (
                <Col xs={12} md={6}>
                  <Form.Item label={s('sf.inspect.month')}>
                    <Input
                      type="month"
                      value={draft.month}
                      onChange={(e) => patch({ month: e.target.value })}
                    />
                  </Form.Item>
                </Col>
              ) : null}
              <Col xs={24} md={draft.kind === 'self_check' ? 8 : 14}>
                <Form.Item label={s('sf.inspect.people')}>
                  <Select
                    mode="tags"
                    value={draft.people}
                    placeholder={s('sf.inspect.peoplePh')}
                    onChange={(v: string[]) => patch({ people: v })}
                    tokenSeparators={[',', '，', ' ', '、']}
                    open={false}
                    data-testid="inspect-people"
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item label={s('sf.inspect.peopleCount')}>
                  <InputNumber
                    min={Math.max(1, draft.people.length)}
                    max={500}
                    value={draft.peopleCount ?? Math.max(1, draft.people.length)}
                    onChange={(v) => patch({ peopleCount: v ?? undefined })}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
            </Row>
          ) : null}
        </Form>
        {selfDone ? (
          <Alert
            type="info"
            showIcon
            message={
              options.selfCheck!.status === 'submitted' ? s('sf.inspect.selfDone') : s('sf.inspect.selfDraft')
            }
            action={<Link to={`/safety/inspections/${options.selfCheck!.inspectionId}`}>{s('sf.view')}</Link>}
          />
        ) : null}
      </Card>

      {items.length === 0 && options ? <Empty /> : null}
      {byArea.map(({ area, items: list }) => (
        <Card
          key={area}
          size="small"
          className="safety-gap safety-area-card"
          title={
            <Space>
              {label(safetyAreaLabels, area, lang)}
              <Tag>
                {list.filter((i) => draft.answers[i.id]?.result).length}/{list.length}
              </Tag>
              {list.some((i) => draft.answers[i.id]?.result === 'fail') ? (
                <Tag color="red">{list.filter((i) => draft.answers[i.id]?.result === 'fail').length}</Tag>
              ) : null}
            </Space>
          }
        >
          {list.map((item) => (
            <ItemRow
              key={item.id}
              item={item}
              answer={draft.answers[item.id] ?? {}}
              onChange={(a) => setAnswer(item.id, a)}
              schoolId={draft.schoolId!}
              grids={gridOptions}
              start={draft.inspectedOn > chinaToday() ? draft.inspectedOn : chinaToday()}
            />
          ))}
        </Card>
      ))}

      {items.length > 0 ? (
        <Card size="small" className="safety-gap">
          <Form layout="vertical">
            <Form.Item label={s('sf.inspect.summary')}>
              <Input.TextArea
                rows={3}
                maxLength={4000}
                value={draft.summary}
                onChange={(e) => patch({ summary: e.target.value })}
              />
            </Form.Item>
          </Form>
        </Card>
      ) : null}

      {items.length > 0 ? (
        <div className={isMobile ? 'safety-bar safety-bar-mobile' : 'safety-bar'} data-testid="inspect-bar">
          <div className="safety-bar-status">
            <span data-testid="inspect-progress">
              {s('sf.inspect.progress', { done: answered, total: items.length, failed })}
            </span>
            {pending ? (
              <Typography.Text type="warning" className="safety-saved">
                {offlinePendingText(lang)}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary" className="safety-saved">
                {draftSavedText(lang, savedAt)}
              </Typography.Text>
            )}
          </div>
          <Space wrap>
            <Button onClick={restPass} disabled={answered === items.length} data-testid="inspect-rest-pass">
              {s('sf.inspect.restPass')}
            </Button>
            <Button
              onClick={() => void send(false)}
              loading={busy === 'draft'}
              disabled={!!selfDone}
              data-testid="inspect-save"
            >
              {s('sf.inspect.saveDraft')}
            </Button>
            <Button
              type="primary"
              onClick={confirmSubmit}
              loading={busy === 'submit'}
              disabled={!!selfDone}
              data-testid="inspect-submit"
            >
              {s('sf.inspect.submit')}
            </Button>
          </Space>
        </div>
      ) : null}
    </div>
  );
}

function ItemRow({
  item,
  answer,
  onChange,
  schoolId,
  grids,
  start,
}: {
  item: ChecklistItem;
  answer: Answer;
  onChange: (a: Partial<Answer>) => void;
  schoolId: string;
  grids: { value: string; label: string }[];
  start: string;
}) {
  const { s, lang } = useSafetyI18n();
  const severity = answer.severity ?? item.defaultSeverity;
  const defaultDeadline = addDays(start, severity === 'serious' ? 7 : 15);
  return (
    <div
      id={`item-${item.id}`}
      className={`safety-item safety-item-${answer.result ?? 'open'}`}
      data-testid={`item-${item.seq}`}
    >
      <div className="safety-item-text">
        <span className="safety-item-seq">{item.seq}.</span> {item.text}
        {item.basis ? (
          <div className="safety-item-basis">
            {s('sf.inspect.basis')}：{item.basis}
          </div>
        ) : null}
      </div>
      <Radio.Group
        className="safety-toggle"
        buttonStyle="solid"
        size="large"
        value={answer.result}
        onChange={(e) => onChange({ result: e.target.value as ItemResult })}
      >
        <Radio.Button value="pass" className="safety-pass" data-testid={`item-${item.seq}-pass`}>
          <CheckOutlined /> {s('sf.record.passed')}
        </Radio.Button>
        <Radio.Button value="fail" className="safety-fail" data-testid={`item-${item.seq}-fail`}>
          <CloseOutlined /> {s('sf.record.failed')}
        </Radio.Button>
        <Radio.Button value="na" className="safety-na" data-testid={`item-${item.seq}-na`}>
          <MinusOutlined /> {lang === 'zh' ? '不适用' : 'N/A'}
        </Radio.Button>
      </Radio.Group>
      {answer.result === 'fail' ? (
        <div className="safety-fail-box">
          <Form layout="vertical">
            <Form.Item label={s('sf.inspect.note')}>
              <Input.TextArea
                rows={2}
                maxLength={1000}
                placeholder={s('sf.inspect.notePh')}
                value={answer.note}
                onChange={(e) => onChange({ note: e.target.value })}
                data-testid={`item-${item.seq}-note`}
              />
            </Form.Item>
            <Form.Item label={s('sf.inspect.photos')}>
              <PhotoField
                unitId={schoolId}
                max={9}
                value={answer.photos ?? []}
                onChange={(photos) => onChange({ photos })}
              />
            </Form.Item>
            <Row gutter={8}>
              <Col xs={12} md={6}>
                <Form.Item label={s('sf.inspect.severity')}>
                  <Select
                    value={severity}
                    options={FINDING_SEVERITIES.map((v) => ({
                      value: v,
                      label: label(findingSeverityLabels, v, lang),
                    }))}
                    onChange={(v: FindingSeverity) => onChange({ severity: v })}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item label={s('sf.inspect.deadline')} tooltip={s('sf.inspect.deadlineHint')}>
                  <Input
                    type="date"
                    min={start}
                    value={answer.deadline ?? defaultDeadline}
                    onChange={(e) => onChange({ deadline: e.target.value || undefined })}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item label={s('sf.inspect.itemGrid')}>
                  <Select
                    allowClear
                    value={answer.gridId}
                    options={grids}
                    onChange={(v: string | undefined) => onChange({ gridId: v })}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item label={s('sf.inspect.location')}>
                  <Input
                    maxLength={200}
                    value={answer.location}
                    onChange={(e) => onChange({ location: e.target.value })}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Checkbox checked={!!answer.onSite} onChange={(e) => onChange({ onSite: e.target.checked })}>
              {s('sf.inspect.onSite')}
            </Checkbox>
          </Form>
        </div>
      ) : null}
    </div>
  );
}
