/**
 * One stage of a balance result: the evaluators' table (each school × each 2017 indicator with ✓/✗ and its
 * value; standard, county value and coefficient rows), the coefficient chart, what holds the county back and
 * the 2012 coefficients. Used by the calculator and by the county page (stored figures).
 */
import { Card, Empty, Tag, Typography } from 'antd';
import {
  balanceIndicatorLabels,
  balanceIndicatorUnits,
  balanceStageLabels,
  QUALITY_INDICATORS,
  type BalanceResult,
  type BalanceStageResult,
  type Lang,
} from '@dudao/contracts';
import { type BTFunction } from './messages.ts';
import { CvChart } from './CvChart.tsx';
import { L, digitsOf, fmt } from './format.ts';

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
