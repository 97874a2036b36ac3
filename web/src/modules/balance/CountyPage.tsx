/**
 * 县域均衡差异系数（填报数据）: a county's evaluation table computed from the figures collected with the
 * annual school form (approved ones by default) by the calculator's own engine, on the server.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Select, Space, Typography } from 'antd';
import { ExperimentOutlined, PrinterOutlined } from '@ant-design/icons';
import type { BalanceStoredResult } from '@dudao/contracts';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { StageSection } from './StageSection.tsx';
import { WhatIfDrawer } from './WhatIfDrawer.tsx';
import { useBalanceI18n } from './messages.ts';
import './balance.css';

const thisYear = () => {
  const d = new Date();
  return String(d.getMonth() >= 8 ? d.getFullYear() : d.getFullYear() - 1);
};

export default function CountyPage() {
  const { b, lang } = useBalanceI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  const [countyId, setCountyId] = useState<string | undefined>(
    me.unit.kind === 'county_bureau' ? me.unit.id : (params.get('countyId') ?? undefined),
  );
  const [period, setPeriod] = useState(params.get('period') ?? thisYear());
  const [whatIfOpen, setWhatIfOpen] = useState(false);
  const [approvedOnly, setApprovedOnly] = useState(true);
  const [result, setResult] = useState<BalanceStoredResult | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!countyId) return;
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<BalanceStoredResult>(
        '/api/balance/stored',
        { countyId, period, approvedOnly: String(approvedOnly) },
        ctrl.signal,
      )
      .then(setResult)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [countyId, period, approvedOnly, feedback]);

  const y = Number(thisYear());
  return (
    <div className="bal-page">
      <PageHeader
        title={b('cty.title')}
        crumbs={[{ title: b('bal.menu') }]}
        extra={
          <Space>
            {result && result.schoolsCounted > 0 ? (
              <Button
                icon={<ExperimentOutlined />}
                onClick={() => setWhatIfOpen(true)}
                className="no-print"
                data-testid="cty-whatif"
              >
                {b('bal.whatIf')}
              </Button>
            ) : null}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} className="no-print">
              {b('bal.print')}
            </Button>
          </Space>
        }
      />
      <Card size="small" className="no-print">
        <Typography.Paragraph type="secondary">{b('cty.intro')}</Typography.Paragraph>
        <Space wrap>
          {me.unit.kind !== 'county_bureau' ? (
            <UnitTreeSelect
              value={countyId}
              onChange={setCountyId}
              selectable={['county_bureau']}
              placeholder={b('cty.pick')}
              knownNames={{ [me.unit.id]: me.unit.name }}
              style={{ minWidth: 220 }}
              data-testid="cty-county"
            />
          ) : null}
          <Select
            style={{ width: 110 }}
            value={period}
            onChange={setPeriod}
            options={[y + 1, y, y - 1, y - 2]
              .map(String)
              .map((p) => ({ value: p, label: lang === 'zh' ? `${p}年` : p }))}
          />
          <Checkbox checked={approvedOnly} onChange={(e) => setApprovedOnly(e.target.checked)}>
            {b('cty.approvedOnly')}
          </Checkbox>
        </Space>
      </Card>
      {!countyId ? (
        <Alert type="info" showIcon title={b('cty.pick')} />
      ) : result ? (
        <div data-testid="cty-result">
          <Card size="small" loading={loading}>
            <Typography.Title level={5}>
              {result.countyName} · {result.period}
            </Typography.Title>
            <Typography.Text data-testid="cty-counted">
              {b('cty.counted', { n: result.schoolsCounted, m: result.schoolsExpected })}
            </Typography.Text>
            {result.notCounted.length ? (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }}>
                {b('cty.notCounted', { list: result.notCounted.map((s) => s.name).join('、') })}
              </Typography.Paragraph>
            ) : null}
            {result.unapproved.length ? (
              <Alert
                type="warning"
                showIcon
                title={b('cty.unapproved', { list: result.unapproved.map((s) => s.name).join('、') })}
              />
            ) : null}
          </Card>
          {result.stages.map((s) => (
            <StageSection key={s.stage} stage={s} result={result} lang={lang} b={b} />
          ))}
          {whatIfOpen ? (
            <WhatIfDrawer result={result} open={whatIfOpen} onClose={() => setWhatIfOpen(false)} />
          ) : null}
        </div>
      ) : (
        <Card loading />
      )}
    </div>
  );
}
