/**
 * /balance/calculator: upload the county's school table, see per stage the evaluators' table (each school ×
 * each 2017 indicator with ✓/✗ and its value, the county value and coefficient rows), the coefficients
 * against their limits, what holds the county back, the 2012 composite, and a what-if drawer.
 * Printing gives the tables on A4 landscape (balance.css).
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  InputNumber,
  Segmented,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
} from 'antd';
import {
  DownloadOutlined,
  ExperimentOutlined,
  InboxOutlined,
  PrinterOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import {
  BALANCE_INDICATORS,
  balanceFigureLabels,
  balanceIndicatorLabels,
  balanceIndicatorUnits,
  balanceStageLabels,
  QUALITY_INDICATORS,
  type BalanceIndicator,
  type BalanceResult,
  type BalanceStage,
  type BalanceStageResult,
  type BalanceWhatIfResult,
  type Lang,
} from '@dudao/contracts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { isApiError } from '../../app/api.ts';
import { computeFromFile, whatIf } from './api.ts';
import { useBalanceI18n, type BTFunction } from './messages.ts';
import './balance.css';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);
type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined
    ? '—'
    : v.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const digitsOf = (k: BalanceIndicator) => (k === 'equipmentValue' ? 0 : k === 'teacherRatio' ? 3 : 2);
const L = (lang: Lang, l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);

function useChart(option: ChartOption) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [el, option]);
  return setEl;
}

function CvChart({ stage, lang, b }: { stage: BalanceStageResult; lang: Lang; b: BTFunction }) {
  const option = useMemo<ChartOption>(() => {
    const qs = stage.quality.indicators;
    const limit = qs[0]?.cvLimit ?? 0.5;
    return {
      grid: { left: 48, right: 24, top: 24, bottom: 96 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: qs.map((q) => L(lang, balanceIndicatorLabels[q.key])),
        axisLabel: { interval: 0, rotate: 30, fontSize: 11, width: 120, overflow: 'truncate' },
      },
      // The limit line stays in view even when every coefficient is far below it.
      yAxis: {
        type: 'value',
        name: b('bal.cv'),
        max: Math.ceil(Math.max(limit, ...qs.map((q) => q.cv ?? 0)) * 11) / 10,
      },
      series: [
        {
          type: 'bar',
          name: b('bal.cv'),
          barMaxWidth: 36,
          data: qs.map((q) => ({
            value: q.cv ?? 0,
            itemStyle: { color: q.passed === false ? '#cf1322' : q.cv === null ? '#bfbfbf' : '#1558b0' },
          })),
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#cf1322', type: 'dashed' },
            label: { formatter: `${b('bal.limitLine')} ${limit}` },
            data: [{ yAxis: limit }],
          },
        },
      ],
    };
  }, [stage, lang, b]);
  const ref = useChart(option);
  return <div ref={ref} className="bal-chart" role="img" aria-label={b('bal.chart')} />;
}

function Mark({ met }: { met: boolean | null | undefined }) {
  if (met === null || met === undefined) return <span className="bal-unknown">?</span>;
  return met ? <span className="bal-ok">✓</span> : <span className="bal-bad">✗</span>;
}

function StageTable({
  stage,
  result,
  lang,
  b,
}: {
  stage: BalanceStageResult;
  result: BalanceResult;
  lang: Lang;
  b: BTFunction;
}) {
  const stageLabel = L(lang, balanceStageLabels[stage.stage]);
  const qs = stage.quality.indicators;
  return (
    <table className="bal-table">
      <caption>{b('bal.tableTitle', { stage: stageLabel })}</caption>
      <thead>
        <tr>
          <th className="bal-no">#</th>
          <th className="bal-name">{b('bal.school')}</th>
          <th>{b('bal.students')}</th>
          {qs.map((q) => (
            <th key={q.key}>
              {L(lang, balanceIndicatorLabels[q.key])}
              <div className="bal-unit">{L(lang, balanceIndicatorUnits[q.key])}</div>
            </th>
          ))}
          <th>{b('bal.compliant')}</th>
        </tr>
      </thead>
      <tbody>
        {stage.schools.map((s, i) => (
          <tr key={s.id} className={s.compliant === false ? 'bal-row-bad' : undefined}>
            <td className="bal-no">{i + 1}</td>
            <td className="bal-name">
              {s.name}
              {s.share !== null ? (
                <span className="bal-split">
                  （{b('bal.split', { p: Math.round(s.share * 1000) / 10 })}）
                </span>
              ) : null}
            </td>
            <td className="bal-num">{s.students}</td>
            {QUALITY_INDICATORS.map((k) => (
              <td key={k} className={`bal-num${s.met[k] === false ? ' bal-cell-bad' : ''}`}>
                <Mark met={s.met[k]} /> {fmt(s.values[k], digitsOf(k))}
              </td>
            ))}
            <td className="bal-center">
              {s.compliant === null ? (
                b('bal.unknown')
              ) : s.compliant ? (
                b('bal.yes')
              ) : (
                <span className="bal-bad">{b('bal.no')}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={3}>{b('bal.standard')}</th>
          {qs.map((q) => (
            <td key={q.key} className="bal-num">
              ≥ {fmt(q.standard, q.key === 'equipmentValue' ? 0 : 1)}
            </td>
          ))}
          <td className="bal-center">
            {stage.quality.compliantSchools}/{stage.schools.length}
          </td>
        </tr>
        <tr>
          <th colSpan={3}>{b('bal.countyValue')}</th>
          {qs.map((q) => (
            <td key={q.key} className="bal-num">
              {fmt(q.countyValue, digitsOf(q.key))}
            </td>
          ))}
          <td />
        </tr>
        <tr>
          <th colSpan={3}>
            {b('bal.cv')}（{b('bal.cvLimit')} ≤ {result.options.cvLimit[stage.stage]}）
          </th>
          {qs.map((q) => (
            <td
              key={q.key}
              className={`bal-num${q.passed === false ? ' bal-cell-bad bal-bad' : ''}`}
              title={q.reason ?? undefined}
            >
              {q.cv === null ? '—' : fmt(q.cv, 3)}
            </td>
          ))}
          <td className="bal-center">
            {stage.quality.cvPassed === null ? (
              b('bal.unknown')
            ) : stage.quality.cvPassed ? (
              b('bal.pass')
            ) : (
              <span className="bal-bad">{b('bal.fail')}</span>
            )}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function HoldingBack({ stage, lang, b }: { stage: BalanceStageResult; lang: Lang; b: BTFunction }) {
  const h = stage.holdingBack;
  if (h.indicators.length === 0 && h.schools.length === 0)
    return <Typography.Paragraph type="success">{b('bal.nothingHolding')}</Typography.Paragraph>;
  return (
    <ul className="bal-holding">
      {h.indicators.map((x) => (
        <li key={x.indicator}>
          {b('bal.heldIndicator', {
            label: L(lang, balanceIndicatorLabels[x.indicator]),
            cv: fmt(x.cv, 3),
            limit: x.cvLimit,
          })}{' '}
          {x.schools.map((s) => (
            <Tag key={s.id} color={s.direction === 'below' ? 'red' : 'orange'}>
              {s.name} {fmt(s.value, digitsOf(x.indicator))}（
              {b(s.direction === 'below' ? 'bal.below' : 'bal.above')}，
              {b('bal.shareOf', { p: Math.round(s.share * 100) })}）
            </Tag>
          ))}
        </li>
      ))}
      {h.schools.map((s) => (
        <li key={s.id}>
          <strong>{b('bal.heldSchool', { name: s.name, n: s.metCount })}</strong>：
          {s.shortfalls
            .map((f) =>
              b('bal.shortfall', {
                label: L(lang, balanceIndicatorLabels[f.indicator]),
                value: fmt(f.value, digitsOf(f.indicator)),
                standard: f.standard,
                ratio: Math.round(f.ratio * 100),
                need: fmt(f.resourceNeeded, f.indicator === 'equipmentValue' ? 0 : 2),
                unit: L(lang, balanceIndicatorUnits[f.indicator]),
              }),
            )
            .join('；')}
        </li>
      ))}
    </ul>
  );
}

function BasicTable({ stage, lang, b }: { stage: BalanceStageResult; lang: Lang; b: BTFunction }) {
  const basic = stage.basic;
  const verdict = basic.passed === null ? b('bal.unknown') : basic.passed ? b('bal.pass') : b('bal.fail');
  return (
    <table className="bal-table bal-basic">
      <caption>
        {b('bal.basic')} —{' '}
        {b('bal.composite', { v: fmt(basic.composite, 3), limit: basic.compositeLimit, verdict })}
      </caption>
      <thead>
        <tr>
          <th>{b('bal.indicator')}</th>
          <th>{b('bal.countyValue')}</th>
          <th>{b('bal.cv')}</th>
        </tr>
      </thead>
      <tbody>
        {basic.indicators.map((i) => (
          <tr key={i.key}>
            <td>{L(lang, balanceIndicatorLabels[i.key])}</td>
            <td className="bal-num">{fmt(i.countyValue, digitsOf(i.key) + 1)}</td>
            <td className="bal-num">{i.cv === null ? (i.reason ?? '—') : fmt(i.cv, 3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StageSection({
  stage,
  result,
  lang,
  b,
}: {
  stage: BalanceStageResult;
  result: BalanceResult;
  lang: Lang;
  b: BTFunction;
}) {
  const label = L(lang, balanceStageLabels[stage.stage]);
  return (
    <Card
      className="bal-stage"
      title={`${label} · ${b('bal.stageSummary', { n: stage.schools.length, p: stage.students })}`}
      data-testid={`balance-stage-${stage.stage}`}
    >
      {stage.schools.length === 0 ? (
        <Empty description={b('bal.noSchools')} />
      ) : (
        <>
          <Typography.Title level={5}>{b('bal.quality')}</Typography.Title>
          <div className="bal-table-wrap">
            <StageTable stage={stage} result={result} lang={lang} b={b} />
          </div>
          <Typography.Paragraph className="bal-summary">
            {b('bal.cvVerdict', {
              v:
                stage.quality.cvPassed === null
                  ? b('bal.unknown')
                  : stage.quality.cvPassed
                    ? b('bal.pass')
                    : b('bal.fail'),
            })}
            ；
            {b('bal.schoolsCompliant', {
              n: stage.quality.compliantSchools,
              m: stage.schools.length,
              min: result.options.minMet,
              ratio: Math.round(result.options.remainingMinRatio * 100),
            })}
          </Typography.Paragraph>
          <div className="bal-two">
            <div className="bal-chart-box">
              <Typography.Title level={5}>{b('bal.chart')}</Typography.Title>
              <CvChart stage={stage} lang={lang} b={b} />
            </div>
            <div>
              <Typography.Title level={5}>{b('bal.holdingBack')}</Typography.Title>
              <HoldingBack stage={stage} lang={lang} b={b} />
            </div>
          </div>
          <BasicTable stage={stage} lang={lang} b={b} />
        </>
      )}
    </Card>
  );
}

function WhatIfDrawer({
  result,
  open,
  onClose,
}: {
  result: BalanceResult;
  open: boolean;
  onClose: () => void;
}) {
  const { b, lang } = useBalanceI18n();
  const stages = result.stages.filter((s) => s.schools.length > 0);
  const [stageKey, setStageKey] = useState<BalanceStage>(stages[0]?.stage ?? 'primary');
  const stage = result.stages.find((s) => s.stage === stageKey);
  const [schoolId, setSchoolId] = useState<string>();
  const [indicator, setIndicator] = useState<BalanceIndicator>('buildingArea');
  const [value, setValue] = useState<number | null>(null);
  const [answer, setAnswer] = useState<BalanceWhatIfResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const school = stage?.schools.find((s) => s.id === schoolId);

  const run = async () => {
    if (!stage || !schoolId || value === null) {
      setError(b('bal.wi.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setAnswer(
        await whatIf({
          stage: stage.stage,
          schools: stage.schools.map((s) => ({ id: s.id, students: s.students, values: s.values })),
          schoolId,
          indicator,
          value,
          options: {
            minMet: result.options.minMet,
            remainingMinRatio: result.options.remainingMinRatio,
            cvLimit: result.options.cvLimit,
          },
        }),
      );
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const side = (s: BalanceWhatIfResult['before']) => (
    <>
      <td className="bal-num">{fmt(s.schoolValue, digitsOf(indicator))}</td>
      <td className="bal-num">{fmt(s.countyValue, digitsOf(indicator))}</td>
      <td className={`bal-num${s.passed === false ? ' bal-bad' : ''}`}>{fmt(s.cv, 3)}</td>
      <td className="bal-num">{s.compliantSchools}</td>
      <td className="bal-center">
        {s.schoolCompliant === null ? b('bal.unknown') : s.schoolCompliant ? b('bal.yes') : b('bal.no')}
      </td>
    </>
  );

  return (
    <Drawer open={open} onClose={onClose} title={b('bal.whatIf')} size="large" data-testid="balance-what-if">
      <Typography.Paragraph type="secondary">{b('bal.wi.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void run()}>
        <Form.Item>
          <Segmented<BalanceStage>
            value={stageKey}
            options={stages.map((s) => ({ value: s.stage, label: L(lang, balanceStageLabels[s.stage]) }))}
            onChange={(v) => {
              setStageKey(v);
              setSchoolId(undefined);
              setAnswer(null);
            }}
          />
        </Form.Item>
        <Form.Item label={b('bal.wi.school')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            value={schoolId}
            onChange={(v: string) => {
              setSchoolId(v);
              setAnswer(null);
            }}
            options={(stage?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
            data-testid="balance-wi-school"
          />
        </Form.Item>
        <Form.Item label={b('bal.wi.indicator')}>
          <Select
            value={indicator}
            onChange={(v: BalanceIndicator) => {
              setIndicator(v);
              setAnswer(null);
            }}
            options={BALANCE_INDICATORS.map((k) => ({ value: k, label: L(lang, balanceIndicatorLabels[k]) }))}
          />
        </Form.Item>
        <Form.Item
          label={b('bal.wi.value')}
          extra={
            school
              ? b('bal.wi.current', { v: fmt(school.values[indicator], digitsOf(indicator)) })
              : undefined
          }
        >
          <InputNumber
            min={0}
            style={{ width: '100%' }}
            value={value}
            onChange={(v) => setValue(v)}
            data-testid="balance-wi-value"
          />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={error} className="bal-block" /> : null}
        <Button type="primary" htmlType="submit" loading={busy} icon={<ExperimentOutlined />}>
          {b('bal.wi.run')}
        </Button>
      </Form>
      {answer ? (
        <table className="bal-table bal-whatif" data-testid="balance-wi-answer">
          <thead>
            <tr>
              <th />
              <th>{L(lang, balanceIndicatorLabels[answer.indicator])}</th>
              <th>{b('bal.wi.countyValue')}</th>
              <th>
                {b('bal.wi.cv')}
                {answer.cvLimit !== null ? `（≤ ${answer.cvLimit}）` : ''}
              </th>
              <th>{b('bal.wi.compliantSchools')}</th>
              <th>{b('bal.wi.schoolCompliant')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>{b('bal.wi.before')}</th>
              {side(answer.before)}
            </tr>
            <tr>
              <th>{b('bal.wi.after')}</th>
              {side(answer.after)}
            </tr>
          </tbody>
        </table>
      ) : null}
    </Drawer>
  );
}

/** The table's columns as evaluators name them (the server also takes synonyms); 万元 is converted. */
const TEMPLATE_COLUMNS = [
  '学校名称',
  '学段',
  '在校生数',
  '小学在校生数',
  '初中在校生数',
  '高中在校生数',
  '高于规定学历教师数',
  '县级以上骨干教师数',
  '体育艺术专任教师数',
  '教学及辅助用房面积（平方米）',
  '体育运动场馆面积（平方米）',
  '教学仪器设备值（万元）',
  '网络多媒体教室数',
  '计算机台数',
  '图书册数',
  '专任教师数',
  '中级及以上职称教师数',
];

/** A CSV (UTF-8 with BOM, so Excel opens it in Chinese) with the header and one example row. */
function downloadTemplate() {
  const example = [
    '某某小学',
    '小学',
    '600',
    '',
    '',
    '',
    '30',
    '6',
    '6',
    '2800',
    '4600',
    '130',
    '14',
    '60',
    '18000',
    '36',
    '20',
  ];
  const csv = '\uFEFF' + [TEMPLATE_COLUMNS, example].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = '均衡发展测算模板.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function CalculatorPage() {
  const { b, lang } = useBalanceI18n();
  const [result, setResult] = useState<BalanceResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [whatIfOpen, setWhatIfOpen] = useState(false);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await computeFromFile(file, lang));
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bal-page" data-testid="balance-page">
      <PageHeader
        title={b('bal.title')}
        extra={
          result ? (
            <>
              <Button icon={<ExperimentOutlined />} onClick={() => setWhatIfOpen(true)} className="no-print">
                {b('bal.whatIf')}
              </Button>
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} className="no-print">
                {b('bal.print')}
              </Button>
              <Button icon={<ReloadOutlined />} onClick={() => setResult(null)} className="no-print">
                {b('bal.again')}
              </Button>
            </>
          ) : null
        }
      />
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          closable={{ onClose: () => setError(null) }}
          className="bal-block no-print"
          data-testid="balance-error"
        />
      ) : null}
      {!result ? (
        <Spin spinning={busy} description={b('bal.computing')}>
          <Typography.Paragraph type="secondary">
            {b('bal.intro')}{' '}
            <Button type="link" size="small" icon={<DownloadOutlined />} onClick={downloadTemplate}>
              {b('bal.template')}
            </Button>
          </Typography.Paragraph>
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return Upload.LIST_IGNORE;
            }}
            data-testid="balance-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{b('bal.drop')}</p>
            <p className="ant-upload-hint">{b('bal.dropHint')}</p>
          </Upload.Dragger>
        </Spin>
      ) : (
        <Space orientation="vertical" size={16} className="bal-result">
          <Typography.Text type="secondary">{b('bal.file', { name: result.file ?? '' })}</Typography.Text>
          {result.columns.missing.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={b('bal.missingColumns', {
                cols: result.columns.missing.map((f) => L(lang, balanceFigureLabels[f])).join('、'),
              })}
            />
          ) : null}
          {result.columns.scaled.length > 0 ? (
            <Alert
              type="info"
              showIcon
              title={b('bal.scaled', { cols: result.columns.scaled.map((s) => s.column).join('、') })}
              className="no-print"
            />
          ) : null}
          {result.errors.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={b('bal.errors')}
              description={
                <ul className="bal-list">
                  {result.errors.map((e, i) => (
                    <li key={i}>
                      {b('bal.row', { n: e.row })}
                      {e.column ? `【${e.column}】` : ''}：{e.message}
                    </li>
                  ))}
                </ul>
              }
              data-testid="balance-row-errors"
            />
          ) : null}
          {result.stages.map((s) => (
            <StageSection key={s.stage} stage={s} result={result} lang={lang} b={b} />
          ))}
          {result.excluded.length > 0 ? (
            <Card size="small" title={b('bal.excluded')} className="bal-stage">
              <ul className="bal-list">
                {result.excluded.map((e) => (
                  <li key={e.row}>
                    {b('bal.row', { n: e.row })} {e.name}：{e.reason}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {result.ignored.length > 0 ? (
            <Typography.Text type="secondary">
              {b('bal.ignored', { rows: result.ignored.map((r) => `${r.row}（${r.text}）`).join('、') })}
            </Typography.Text>
          ) : null}
          <WhatIfDrawer
            key={result.file ?? ''}
            result={result}
            open={whatIfOpen}
            onClose={() => setWhatIfOpen(false)}
          />
        </Space>
      )}
    </div>
  );
}
