/** 考评评价: schemes and periods, the scores per unit with the breakdown down to the records, ranking, hand scoring, approval. */
import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import {
  ASSESS_ITEM_KINDS,
  COMPUTED_ITEM_KINDS,
  assessItemKindLabels,
  gradeLabels,
  label,
  type AssessResults,
  type AssessScheme,
  type AssessUnitResult,
  type Plan,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useEChart, type ChartOption } from '../../app/charts.ts';
import { shortUnit, useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

const GRADE_COLORS = { excellent: 'green', good: 'blue', pass: 'gold', fail: 'red' } as const;

function ScoreChart({ results }: { results: AssessUnitResult[] }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: results.map((r) => shortUnit(r.unit.name)),
        axisLabel: { interval: 0, rotate: results.length > 6 ? 35 : 0 },
      },
      yAxis: { type: 'value', max: 100 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 32,
          data: results.map((r) => ({
            value: r.score,
            itemStyle: { color: r.vetoed ? '#f5222d' : '#1558b0' },
          })),
        },
      ],
    }),
    [results],
  );
  const ref = useEChart(option);
  return <div ref={ref} className="plan-chart" data-testid="chart-scores" />;
}

function SchemeModal({ open, onClose }: { open: boolean; onClose: (s?: AssessScheme) => void }) {
  const { m, lang } = usePlanI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const y = dayjs().year();
  const submit = async () => {
    const v = (await form.validateFields()) as {
      name: string;
      year: number;
      unitKind: 'county_bureau' | 'school';
      items: { kind: string; name: string; weight: number }[];
    };
    try {
      onClose(
        await api.post<AssessScheme>('/api/assess/schemes', {
          ownerUnitId: me.unit.id,
          ...v,
          items: v.items.map((i) => ({ ...i, ...(i.kind === 'veto' ? { vetoMode: 'void' } : {}) })),
        }),
      );
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <Modal
      open={open}
      width={640}
      title={m('as.newScheme')}
      onCancel={() => onClose()}
      onOk={() => void submit()}
      okText={m('pl.save')}
      cancelText={m('pl.cancel')}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          year: y,
          unitKind: me.unit.kind === 'city_bureau' ? 'county_bureau' : 'school',
          name: `${y}年度目标责任考评`,
          items: [
            { kind: 'task_completion', name: '重点任务完成情况', weight: 40 },
            { kind: 'target_achievement', name: '量化目标达成情况', weight: 20 },
            { kind: 'report_timeliness', name: '进度报送及时性', weight: 10 },
            { kind: 'rectification_rate', name: '督导问题整改率', weight: 20 },
            { kind: 'manual', name: '工作实绩', weight: 10 },
            { kind: 'veto', name: '发生重大安全责任事故', weight: 0 },
          ],
        }}
      >
        <Space wrap>
          <Form.Item name="name" label={m('as.scheme')} rules={[{ required: true }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="year" label={m('pl.year')}>
            <InputNumber />
          </Form.Item>
          <Form.Item name="unitKind" label={m('as.unitKind')}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'county_bureau', label: m('as.county') },
                { value: 'school', label: m('as.school') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap>
                  <Form.Item name={[f.name, 'kind']}>
                    <Select
                      style={{ width: 140 }}
                      options={ASSESS_ITEM_KINDS.map((k) => ({
                        value: k,
                        label: label(assessItemKindLabels, k, lang),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                    <Input style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'weight']}>
                    <InputNumber min={0} max={100} style={{ width: 80 }} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>−</Button>
                </Space>
              ))}
              <Button onClick={() => add({ kind: 'manual', name: '', weight: 5 })}>+</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

export default function AssessmentPage() {
  const { m, lang } = usePlanI18n();
  const { message } = App.useApp();
  const schemes = useResource<{ items: AssessScheme[] }>('/api/assess/schemes');
  const plans = useResource<{ items: Plan[] }>('/api/plans');
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [entry, setEntry] = useState<{
    unit: AssessUnitResult['unit'];
    itemId?: string;
    points?: number;
    reason?: string;
  } | null>(null);
  const [newPeriod, setNewPeriod] = useState<{
    schemeId: string;
    label: string;
    planId?: string;
    range: [dayjs.Dayjs, dayjs.Dayjs];
  } | null>(null);
  const periods = (schemes.data?.items ?? []).flatMap((s) => s.periods.map((p) => ({ ...p, scheme: s })));
  useEffect(() => {
    if (!periodId && periods[0]) setPeriodId(periods[0].id);
  }, [periodId, periods]);
  const res = useResource<AssessResults>(periodId ? `/api/assess/periods/${periodId}/results` : null);
  const r = res.data;
  const fail = (err: unknown) => void message.error(isApiError(err) ? err.message : String(err));
  const handItems = (r?.items ?? []).filter((i) => !COMPUTED_ITEM_KINDS.includes(i.kind));
  const saveEntry = async () => {
    if (!entry?.itemId || !periodId) return;
    try {
      res.setData(
        await api.put<AssessResults>(`/api/assess/periods/${periodId}/entries`, {
          unitId: entry.unit.id,
          itemId: entry.itemId,
          points: entry.points ?? 0,
          reason: entry.reason ?? '',
        }),
      );
      setEntry(null);
    } catch (err) {
      fail(err);
    }
  };
  const canManage = r?.canManage ?? false;
  return (
    <>
      <PageHeader
        title={m('as.title')}
        extra={
          <>
            <Button onClick={() => setCreating(true)}>{m('as.newScheme')}</Button>
          </>
        }
      />
      <Card size="small">
        <Space wrap>
          <span>{m('as.period')}</span>
          <Select
            style={{ minWidth: 320 }}
            value={periodId ?? undefined}
            onChange={setPeriodId}
            data-testid="period-select"
            options={periods.map((p) => ({ value: p.id, label: `${p.scheme.name} · ${p.label}` }))}
          />
          {(schemes.data?.items ?? []).some((s) => s.canManage) ? (
            <Button
              onClick={() =>
                setNewPeriod({
                  schemeId: schemes.data!.items[0]!.id,
                  label: `${dayjs().year()}年度`,
                  range: [dayjs().startOf('year'), dayjs().endOf('year')],
                })
              }
            >
              {m('as.newPeriod')}
            </Button>
          ) : null}
          {r ? (
            r.period.status === 'approved' ? (
              <Tag color="green">
                {m('as.approved', {
                  by: r.period.approvedByName ?? '',
                  at: r.period.approvedAt?.slice(0, 10) ?? '',
                })}
              </Tag>
            ) : (
              <Tag color="gold">{m('as.open')}</Tag>
            )
          ) : null}
          {r && canManage && r.period.status === 'open' ? (
            <Button
              type="primary"
              data-testid="approve"
              onClick={() =>
                Modal.confirm({
                  title: m('as.approve'),
                  onOk: () =>
                    api
                      .post<AssessResults>(`/api/assess/periods/${r.period.id}/approve`, {})
                      .then(res.setData, fail),
                })
              }
            >
              {m('as.approve')}
            </Button>
          ) : null}
        </Space>
        {r?.period.status === 'approved' && canManage ? (
          <div className="plan-reason">{m('as.lockedHint')}</div>
        ) : null}
      </Card>
      {r ? (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Card size="small" title={m('as.chart')}>
            <ScoreChart results={r.results} />
          </Card>
          <Card size="small">
            <div className="plan-table-wrap" data-testid="ranking">
              <Table<AssessUnitResult>
                rowKey={(x) => x.unit.id}
                size="small"
                pagination={false}
                dataSource={r.results}
                expandable={{
                  expandedRowRender: (x) => (
                    <Table
                      rowKey="itemId"
                      size="small"
                      pagination={false}
                      dataSource={x.items}
                      columns={[
                        {
                          title: m('as.items'),
                          render: (_, i) => `${i.name}（${label(assessItemKindLabels, i.kind, lang)}）`,
                        },
                        { title: m('as.weight'), dataIndex: 'weight', width: 70 },
                        {
                          title: m('as.score'),
                          width: 80,
                          render: (_, i) =>
                            i.kind === 'veto' ? (
                              i.vetoed ? (
                                <Tag color="red">{m('as.hit')}</Tag>
                              ) : (
                                '—'
                              )
                            ) : (
                              i.points
                            ),
                        },
                        {
                          title: m('as.basis'),
                          render: (_, i) => (
                            <>
                              {i.basis}
                              {i.records.slice(0, 8).map((rec) => (
                                <div key={rec.id} className="plan-reason">
                                  {rec.ok ? '✓' : '✗'} {rec.label}
                                </div>
                              ))}
                              {i.records.length > 8 ? (
                                <div className="plan-reason">… {i.records.length}</div>
                              ) : null}
                            </>
                          ),
                        },
                      ]}
                    />
                  ),
                }}
                columns={[
                  { title: m('as.rank'), dataIndex: 'rank', width: 60 },
                  { title: m('pl.unit'), render: (_, x) => x.unit.name },
                  { title: m('as.score'), dataIndex: 'score', width: 80 },
                  {
                    title: m('as.grade'),
                    width: 90,
                    render: (_, x) => (
                      <Tag color={GRADE_COLORS[x.grade]}>{label(gradeLabels, x.grade, lang)}</Tag>
                    ),
                  },
                  {
                    title: m('as.vetoed'),
                    width: 90,
                    render: (_, x) => (x.vetoed ? <Tag color="red">{m('as.vetoed')}</Tag> : '—'),
                  },
                  ...(canManage
                    ? [
                        {
                          title: '',
                          width: 80,
                          render: (_: unknown, x: AssessUnitResult) => (
                            <Button size="small" onClick={() => setEntry({ unit: x.unit })}>
                              {m('as.enter')}
                            </Button>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </div>
          </Card>
        </Space>
      ) : (
        <Card style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{m('pl.empty')}</Typography.Text>
        </Card>
      )}
      <Modal
        open={!!entry}
        title={`${m('as.enter')} · ${entry?.unit.name ?? ''}`}
        onCancel={() => setEntry(null)}
        onOk={() => void saveEntry()}
        okText={m('pl.save')}
        cancelText={m('pl.cancel')}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: '100%' }}
            placeholder={m('as.items')}
            value={entry?.itemId}
            onChange={(v: string) => setEntry((e) => (e ? { ...e, itemId: v } : e))}
            options={handItems.map((i) => ({
              value: i.id,
              label: `${i.name}（${label(assessItemKindLabels, i.kind, lang)}${i.kind === 'veto' ? '' : `，≤${i.weight}`}）`,
            }))}
          />
          <InputNumber
            min={0}
            max={100}
            placeholder={m('as.points')}
            value={entry?.points}
            onChange={(v) => setEntry((e) => (e ? { ...e, points: v ?? 0 } : e))}
          />
          <Input.TextArea
            rows={2}
            placeholder={m('as.reasonText')}
            value={entry?.reason}
            onChange={(e) => setEntry((x) => (x ? { ...x, reason: e.target.value } : x))}
          />
        </Space>
      </Modal>
      <Modal
        open={!!newPeriod}
        title={m('as.newPeriod')}
        onCancel={() => setNewPeriod(null)}
        okText={m('pl.save')}
        cancelText={m('pl.cancel')}
        onOk={() =>
          newPeriod &&
          void api
            .post<AssessScheme>('/api/assess/periods', {
              schemeId: newPeriod.schemeId,
              label: newPeriod.label,
              ...(newPeriod.planId ? { planId: newPeriod.planId } : {}),
              startsOn: newPeriod.range[0].format('YYYY-MM-DD'),
              endsOn: newPeriod.range[1].format('YYYY-MM-DD'),
            })
            .then(() => (setNewPeriod(null), schemes.reload()), fail)
        }
      >
        {newPeriod ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select
              style={{ width: '100%' }}
              value={newPeriod.schemeId}
              onChange={(v) => setNewPeriod({ ...newPeriod, schemeId: v })}
              options={(schemes.data?.items ?? [])
                .filter((s) => s.canManage)
                .map((s) => ({ value: s.id, label: s.name }))}
            />
            <Input
              value={newPeriod.label}
              onChange={(e) => setNewPeriod({ ...newPeriod, label: e.target.value })}
              placeholder={m('as.label')}
            />
            <Select
              allowClear
              style={{ width: '100%' }}
              placeholder={m('as.plan')}
              value={newPeriod.planId}
              onChange={(v) => setNewPeriod({ ...newPeriod, planId: v })}
              options={(plans.data?.items ?? [])
                .filter((p) => p.canManage)
                .map((p) => ({ value: p.id, label: p.title }))}
            />
            <DatePicker.RangePicker
              value={newPeriod.range}
              onChange={(v) => v?.[0] && v[1] && setNewPeriod({ ...newPeriod, range: [v[0], v[1]] })}
            />
          </Space>
        ) : null}
      </Modal>
      <SchemeModal open={creating} onClose={(s) => (setCreating(false), s ? schemes.reload() : undefined)} />
    </>
  );
}
