/**
 * 整改统计: for a scope (a unit's subtree), a period and a source — the sentence "发现隐患X处，已整改Y处，
 * 整改率Z%" as the server makes it from the counts, the five counts, charts by unit (found vs rectified,
 * with the rate) and by category, and tables whose numbers open the matching items in the ledger.
 * The choices live in the address, so a link to a county's figures can be passed on.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Col,
  Input,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import {
  FINDING_SOURCES,
  findingCategoryLabels,
  findingSeverityLabels,
  findingSourceLabels,
  label,
  type FindingCounts,
  type FindingSource,
  type FindingStats,
  type FindingStatsQuery,
} from '@dudao/contracts';
import { api, isApiError, toQuery } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { CopyButton } from '../../app/CopyButton.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { CategoryChart, UnitChart } from './components/charts.tsx';
import { chinaToday, percent } from './components/labels.tsx';
import { useFindingI18n } from './messages.ts';
import './findings.css';

type Period = 'year' | 'term' | 'month' | 'all' | 'custom';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dates of a preset, in China's calendar. Terms: spring from 1 February, autumn from 1 August. */
function presetRange(period: Period, today: string): { from?: string; to?: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  switch (period) {
    case 'year':
      return { from: `${y}-01-01`, to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'term':
      if (m >= 2 && m <= 7) return { from: `${y}-02-01`, to: today };
      return { from: m >= 8 ? `${y}-08-01` : `${y - 1}-08-01`, to: today };
    default:
      return {};
  }
}

interface Choice {
  under?: string;
  source?: FindingSource;
  period: Period;
  from?: string;
  to?: string;
}

function readChoice(params: URLSearchParams): Choice {
  const under = params.get('under');
  const source = params.get('source');
  const rawPeriod = params.get('period');
  const from = params.get('from');
  const to = params.get('to');
  const base = {
    under: under && UUID.test(under) ? under : undefined,
    source: FINDING_SOURCES.includes(source as FindingSource) ? (source as FindingSource) : undefined,
  };
  if (rawPeriod === 'custom' || (!rawPeriod && (from || to)))
    return {
      ...base,
      period: 'custom',
      from: from && DATE.test(from) ? from : undefined,
      to: to && DATE.test(to) ? to : undefined,
    };
  const period: Period = (['year', 'term', 'month', 'all'] as const).includes(rawPeriod as 'year')
    ? (rawPeriod as Period)
    : 'year';
  return { ...base, period, ...presetRange(period, chinaToday()) };
}

export default function FindingStatsPage() {
  const { t, f, lang } = useFindingI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const choice = useMemo(() => readChoice(params), [params]);
  const [stats, setStats] = useState<FindingStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  const query = useMemo<FindingStatsQuery>(
    () => ({ under: choice.under, source: choice.source, from: choice.from, to: choice.to }),
    [choice],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<FindingStats>('/api/findings/stats', { ...query }, controller.signal)
      .then(setStats, (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(isApiError(err) ? err.message : t('result.error'));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, tick, t]);

  const setChoice = (patch: Partial<Choice>) => {
    const next = { ...choice, ...patch };
    const q: Record<string, string> = {};
    if (next.under) q.under = next.under;
    if (next.source) q.source = next.source;
    if (next.period !== 'year') q.period = next.period;
    if (next.period === 'custom') {
      if (next.from) q.from = next.from;
      if (next.to) q.to = next.to;
    }
    setParams(q);
  };

  /** The ledger, filtered to what a number counts. */
  const ledger = (extra: Record<string, string | undefined>) =>
    `/findings${toQuery({ under: query.under, source: query.source, from: query.from, to: query.to, ...extra })}`;

  const countLink = (n: number, extra: Record<string, string | undefined>, danger = false): ReactNode =>
    n > 0 ? (
      <Link to={ledger(extra)} className={danger ? 'text-danger' : undefined}>
        {n}
      </Link>
    ) : (
      <span className="finding-zero">0</span>
    );

  // On a phone: 发现, 已整改, 逾期, 整改率 (未整改 is the difference), narrower.
  const numWidth = isMobile ? (lang === 'en' ? 60 : 50) : lang === 'en' ? 84 : 72;
  const nameWidth = isMobile ? (lang === 'en' ? 88 : 96) : undefined;
  function countColumns<T extends FindingCounts>(extra: (row: T) => Record<string, string | undefined>) {
    const cols: TableColumnsType<T> = [
      {
        title: f('fd.found'),
        dataIndex: 'found',
        width: numWidth,
        align: 'right',
        render: (n: number, r) => countLink(n, extra(r)),
      },
      {
        title: f('fd.rectified'),
        dataIndex: 'rectified',
        width: numWidth,
        align: 'right',
        render: (n: number, r) => countLink(n, { ...extra(r), state: 'closed' }),
      },
      ...(isMobile
        ? []
        : [
            {
              title: f('fd.open'),
              dataIndex: 'open',
              width: numWidth,
              align: 'right' as const,
              render: (n: number, r: T) => countLink(n, { ...extra(r), state: 'open' }),
            },
          ]),
      {
        title: f('fd.overdueCount'),
        dataIndex: 'overdue',
        width: numWidth,
        align: 'right',
        render: (n: number, r) => countLink(n, { ...extra(r), state: 'overdue' }, true),
      },
      {
        title: f('fd.rate'),
        dataIndex: 'rate',
        width: isMobile ? 62 : 76,
        align: 'right',
        render: (v: number | null) => <span className="mono">{percent(v)}</span>,
      },
    ];
    return cols;
  }

  const unitColumns: TableColumnsType<FindingStats['byUnit'][number]> = [
    {
      title: f('fd.unit'),
      dataIndex: 'unitName',
      width: nameWidth,
      ellipsis: { showTitle: true },
      render: (name: string, r) => (
        <a onClick={() => setChoice({ under: r.unitId })} title={name}>
          {name}
        </a>
      ),
    },
    ...countColumns<FindingStats['byUnit'][number]>((r) => ({ under: r.unitId })),
  ];
  const categoryColumns: TableColumnsType<FindingStats['byCategory'][number]> = [
    {
      title: f('fd.category'),
      dataIndex: 'category',
      width: nameWidth,
      ellipsis: { showTitle: true },
      render: (c: FindingStats['byCategory'][number]['category']) => label(findingCategoryLabels, c, lang),
    },
    ...countColumns<FindingStats['byCategory'][number]>((r) => ({ category: r.category })),
  ];
  const sourceColumns: TableColumnsType<FindingStats['bySource'][number]> = [
    {
      title: f('fd.source'),
      dataIndex: 'source',
      width: nameWidth,
      render: (s: FindingSource) => label(findingSourceLabels, s, lang),
    },
    ...countColumns<FindingStats['bySource'][number]>((r) => ({ source: r.source })),
  ];
  const severityColumns: TableColumnsType<FindingStats['bySeverity'][number]> = [
    {
      title: f('fd.severity'),
      dataIndex: 'severity',
      width: nameWidth,
      render: (s: FindingStats['bySeverity'][number]['severity']) => label(findingSeverityLabels, s, lang),
    },
    ...countColumns<FindingStats['bySeverity'][number]>((r) => ({ severity: r.severity })),
  ];

  const cards = stats
    ? [
        { key: 'found', title: f('fd.found'), value: stats.found, to: ledger({}) },
        {
          key: 'rectified',
          title: f('fd.rectified'),
          value: stats.rectified,
          to: ledger({ state: 'closed' }),
        },
        { key: 'open', title: f('fd.open'), value: stats.open, to: ledger({ state: 'open' }) },
        {
          key: 'overdue',
          title: f('fd.overdueCount'),
          value: stats.overdue,
          to: ledger({ state: 'overdue' }),
          danger: stats.overdue > 0,
        },
        { key: 'rate', title: f('fd.rate'), value: percent(stats.rate) },
      ]
    : [];

  const table = <T extends object>(
    rows: T[],
    columns: TableColumnsType<T>,
    rowKey: keyof T & string,
    testId: string,
  ) => (
    <div className="finding-table-wrap">
      <Table<T>
        rowKey={rowKey}
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        data-testid={testId}
      />
    </div>
  );

  return (
    <>
      <PageHeader
        title={f('fd.stats')}
        crumbs={[{ title: t('nav.findingsGroup') }]}
        extra={
          <Link to={ledger({})}>
            <Button icon={<UnorderedListOutlined />}>{f('fd.viewItems')}</Button>
          </Link>
        }
      />
      <Card size="small" className="block-gap">
        <div className="filter-bar finding-stats-filters">
          {me.unit.kind === 'school' ? null : (
            <UnitTreeSelect
              value={choice.under}
              onChange={(v) => setChoice({ under: v })}
              placeholder={`${f('fd.scope')}：${me.unit.name}`}
              className="filter-unit"
              data-testid="finding-stats-scope"
            />
          )}
          <Segmented<Period>
            value={choice.period}
            onChange={(p) =>
              setChoice({ period: p, ...(p === 'custom' ? presetRange('year', chinaToday()) : {}) })
            }
            options={[
              { value: 'year', label: f('fd.thisYear') },
              { value: 'term', label: f('fd.thisTerm') },
              { value: 'month', label: f('fd.thisMonth') },
              { value: 'all', label: f('fd.allTime') },
            ]}
            block={isMobile}
            className="finding-period"
            data-testid="finding-stats-period"
          />
          <Space.Compact className="filter-range finding-filter-dates">
            <Input
              type="date"
              aria-label={f('fd.from')}
              value={choice.from ?? ''}
              max={choice.to ?? chinaToday()}
              onChange={(e) => setChoice({ period: 'custom', from: e.target.value || undefined })}
              data-testid="finding-stats-from"
            />
            <Input
              type="date"
              aria-label={f('fd.to')}
              value={choice.to ?? ''}
              min={choice.from}
              onChange={(e) => setChoice({ period: 'custom', to: e.target.value || undefined })}
              data-testid="finding-stats-to"
            />
          </Space.Compact>
          <Select
            allowClear
            placeholder={f('fd.allSources')}
            value={choice.source}
            onChange={(v?: FindingSource) => setChoice({ source: v })}
            options={FINDING_SOURCES.map((s) => ({ value: s, label: label(findingSourceLabels, s, lang) }))}
            className="filter-select"
            popupMatchSelectWidth={false}
            data-testid="finding-stats-source"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setTick((n) => n + 1)}
            aria-label={t('common.refresh')}
          />
        </div>
      </Card>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          className="block-gap"
          action={<Button onClick={() => setTick((n) => n + 1)}>{t('result.retry')}</Button>}
        />
      ) : null}
      {!stats ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <div className={loading ? 'finding-stats finding-stats-loading' : 'finding-stats'}>
          <Card size="small" className="block-gap finding-sentence-card">
            <div className="finding-sentence-row">
              <div className="finding-sentence" data-testid="finding-stats-sentence">
                {stats.sentence[lang]}
              </div>
              <CopyButton text={stats.sentence[lang]} testId="finding-stats-copy" />
            </div>
          </Card>
          <Row gutter={[12, 12]} className="block-gap">
            {cards.map((c) => (
              <Col
                key={c.key}
                xs={c.key === 'rate' ? 24 : 12}
                sm={8}
                md={c.key === 'rate' ? 8 : 4}
                xl={c.key === 'rate' ? 8 : 4}
              >
                <Card size="small" className="finding-stat-card" data-testid={`finding-stat-${c.key}`}>
                  <Statistic
                    title={c.to ? <Link to={c.to}>{c.title}</Link> : c.title}
                    value={c.value}
                    styles={{
                      content: c.danger
                        ? { color: '#cf1322' }
                        : c.key === 'rate'
                          ? { color: '#1558b0' }
                          : undefined,
                    }}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[16, 16]}>
            {/* One unit (a school's own figures) needs no comparison by unit. */}
            {stats.byUnit.length > 1 ? (
              <Col span={24}>
                <Card size="small" title={f('fd.byUnit')}>
                  <Row gutter={[16, 8]} align="middle">
                    <Col xs={24} lg={13}>
                      <UnitChart
                        byUnit={stats.byUnit}
                        compact={isMobile}
                        onPick={(unitId) => setChoice({ under: unitId })}
                      />
                    </Col>
                    {stats.byUnit.length > 0 ? (
                      <Col xs={24} lg={11}>
                        {table(stats.byUnit, unitColumns, 'unitId', 'finding-stats-units')}
                      </Col>
                    ) : null}
                  </Row>
                </Card>
              </Col>
            ) : null}
            <Col span={24}>
              <Card size="small" title={f('fd.byCategory')}>
                <Row gutter={[16, 8]} align="middle">
                  <Col xs={24} lg={13}>
                    <CategoryChart byCategory={stats.byCategory} compact={isMobile} />
                  </Col>
                  {stats.byCategory.some((c) => c.found > 0) ? (
                    <Col xs={24} lg={11}>
                      {table(
                        stats.byCategory.filter((c) => c.found > 0),
                        categoryColumns,
                        'category',
                        'finding-stats-categories',
                      )}
                    </Col>
                  ) : null}
                </Row>
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={f('fd.bySource')}>
                {table(
                  stats.bySource.filter((s) => s.found > 0),
                  sourceColumns,
                  'source',
                  'finding-stats-sources',
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={f('fd.bySeverity')}>
                {table(stats.bySeverity, severityColumns, 'severity', 'finding-stats-severities')}
              </Card>
            </Col>
          </Row>
        </div>
      )}
    </>
  );
}
