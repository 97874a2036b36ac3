/**
 * 指标: one indicator for a unit and period — Σ numerator ÷ Σ denominator × factor over the units below
 * (never the mean of their ratios) — with each child's figures; a click drills down to that child.
 */
import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Checkbox, Descriptions, Select, Space, Statistic, Table, Typography } from 'antd';
import type { CollectionForm, Indicator, IndicatorValue } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { IndicatorEditor } from './IndicatorEditor.tsx';
import { defaultPeriod, useCollectionI18n } from './messages.ts';
import './collection.css';

const fmt = (v: number | null, digits = 2) =>
  v === null ? '—' : v.toLocaleString('zh-CN', { maximumFractionDigits: digits });

export default function IndicatorsPage() {
  const { c, lang } = useCollectionI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [indicators, setIndicators] = useState<Indicator[]>([]);
  const [indicatorId, setIndicatorId] = useState<string>();
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([
    { id: me.unit.id, name: me.unit.name },
  ]);
  const unitId = trail[trail.length - 1]!.id;
  const [period, setPeriod] = useState(defaultPeriod());
  const [approvedOnly, setApprovedOnly] = useState(false);
  const [value, setValue] = useState<IndicatorValue | null>(null);
  const [loading, setLoading] = useState(false);

  const canEdit = me.unit.kind === 'city_bureau' && me.access.manageCollection;
  const [forms, setForms] = useState<CollectionForm[]>([]);
  const [editing, setEditing] = useState<{ indicator: Indicator | null } | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api
      .get<Indicator[]>('/api/collection/indicators')
      .then((list) => {
        setIndicators(list);
        setIndicatorId((cur) => cur ?? list[0]?.id);
      })
      .catch((e: unknown) => feedback.error(e));
  }, [feedback, version]);
  useEffect(() => {
    if (canEdit)
      api
        .get<CollectionForm[]>('/api/collection/forms')
        .then(setForms)
        .catch((e: unknown) => feedback.error(e));
  }, [canEdit, feedback]);
  useEffect(() => {
    if (!indicatorId) return;
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<IndicatorValue>(
        '/api/collection/indicator-values',
        { indicatorId, unitId, period, approvedOnly: String(approvedOnly) },
        ctrl.signal,
      )
      .then(setValue)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [indicatorId, unitId, period, approvedOnly, feedback, version]);

  const y = Number(defaultPeriod());
  const years = useMemo(() => [y + 1, y, y - 1, y - 2].map(String), [y]);
  const ind = value?.indicator;
  return (
    <div className="col-page">
      <PageHeader title={c('ind.title')} crumbs={[{ title: c('col.module') }]} />
      <Card size="small">
        <Space wrap>
          <Select
            className="col-filter"
            style={{ minWidth: 260 }}
            showSearch
            optionFilterProp="label"
            value={indicatorId}
            onChange={setIndicatorId}
            options={indicators.map((i) => ({ value: i.id, label: i.name }))}
            data-testid="ind-select"
          />
          <UnitTreeSelect
            value={unitId}
            onChange={(v) => v && setTrail([{ id: v, name: '' }])}
            knownNames={{ [me.unit.id]: me.unit.name }}
            allowClear={false}
            className="col-filter"
          />
          <Select
            style={{ width: 110 }}
            value={period}
            onChange={setPeriod}
            options={years.map((p) => ({ value: p, label: lang === 'zh' ? `${p}年` : p }))}
          />
          <Checkbox checked={approvedOnly} onChange={(e) => setApprovedOnly(e.target.checked)}>
            {c('ind.approvedOnly')}
          </Checkbox>
          {canEdit && forms.length ? (
            <>
              <Button onClick={() => setEditing({ indicator: null })} data-testid="ind-new">
                {c('ind.new')}
              </Button>
              <Button
                disabled={!indicatorId}
                onClick={() =>
                  setEditing({ indicator: indicators.find((i) => i.id === indicatorId) ?? null })
                }
                data-testid="ind-edit"
              >
                {c('ind.edit')}
              </Button>
            </>
          ) : null}
        </Space>
        {editing ? (
          <IndicatorEditor
            indicator={editing.indicator}
            forms={forms}
            onClose={() => setEditing(null)}
            onSaved={(i) => {
              setEditing(null);
              setIndicatorId(i.id);
              setVersion((v) => v + 1);
            }}
          />
        ) : null}
      </Card>
      {value && ind ? (
        <>
          <Card size="small" loading={loading}>
            <Space wrap size="large" align="start">
              <Statistic
                title={`${value.unitName} · ${ind.name}`}
                value={fmt(value.value)}
                suffix={ind.unit}
                data-testid="ind-value"
              />
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={c('ind.numerator')}>
                  {fmt(value.numerator, 0)}（{ind.numerator}）
                </Descriptions.Item>
                <Descriptions.Item label={c('ind.denominator')}>
                  {fmt(value.denominator, 0)}（{ind.denominator}）
                </Descriptions.Item>
                <Descriptions.Item label={c('ind.definition')}>
                  {c('ind.formula', { f: ind.factor })}
                </Descriptions.Item>
              </Descriptions>
            </Space>
            <Typography.Paragraph type="secondary">{ind.description}</Typography.Paragraph>
            <Typography.Text type="secondary">
              {c('ind.reporting', { n: value.reporting, m: value.expected })}
            </Typography.Text>
            {trail.length > 1 ? (
              <Button size="small" type="link" onClick={() => setTrail((t) => t.slice(0, -1))}>
                {c('ind.up')}
              </Button>
            ) : null}
          </Card>
          <div data-testid="ind-children">
            <Table
              size="small"
              rowKey="unitId"
              style={{ marginTop: 8 }}
              scroll={{ x: 520 }}
              dataSource={value.children}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              onRow={(r) => ({
                onClick: () =>
                  r.unitId !== unitId && r.kind !== 'school'
                    ? setTrail((t) => [...t, { id: r.unitId, name: r.unitName }])
                    : undefined,
              })}
              columns={[
                { title: c('col.unit'), dataIndex: 'unitName' },
                {
                  title: c('ind.value'),
                  dataIndex: 'value',
                  align: 'right',
                  render: (v: number | null) => fmt(v),
                },
                {
                  title: c('ind.numerator'),
                  dataIndex: 'numerator',
                  align: 'right',
                  render: (v: number | null) => fmt(v, 0),
                },
                {
                  title: c('ind.denominator'),
                  dataIndex: 'denominator',
                  align: 'right',
                  render: (v: number | null) => fmt(v, 0),
                },
              ]}
            />
          </div>
        </>
      ) : (
        <Card loading />
      )}
    </div>
  );
}
