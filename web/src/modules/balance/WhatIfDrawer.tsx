/** The what-if drawer: school S's indicator I becomes V — the coefficient and compliance before and after. */
import { useState } from 'react';
import { Alert, Button, Drawer, Form, InputNumber, Segmented, Select, Typography } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import {
  BALANCE_INDICATORS,
  balanceIndicatorLabels,
  balanceStageLabels,
  type BalanceIndicator,
  type BalanceResult,
  type BalanceStage,
  type BalanceWhatIfResult,
} from '@dudao/contracts';
import { isApiError } from '../../app/api.ts';
import { whatIf } from './api.ts';
import { useBalanceI18n } from './messages.ts';
import { L, digitsOf, fmt } from './format.ts';

export function WhatIfDrawer({
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
