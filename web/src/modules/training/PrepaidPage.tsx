/** 预收费监管: the region's rules (editable by its bureau, audited), current violations and the check. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Descriptions, Select, Table } from 'antd';
import {
  label,
  prepaidRuleLabels,
  type PrepaidCheckResult,
  type PrepaidRules,
  type PrepaidViolation,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { FormDialog, type DialogSpec } from './forms.tsx';
import { useTrainingI18n } from './messages.ts';
import { useCounties, yuan } from './shared.tsx';
import './training.css';

export default function PrepaidPage() {
  const { m, lang } = useTrainingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const counties = useCounties();
  const [unitId, setUnitId] = useState<string | undefined>();
  const region = unitId ?? (me.unit.kind === 'school' ? undefined : me.unit.id);
  const [rules, setRules] = useState<PrepaidRules | null>(null);
  const [violations, setViolations] = useState<PrepaidViolation[]>([]);
  const [loading, setLoading] = useState(false);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  const load = useCallback(() => {
    setLoading(true);
    api
      .get<PrepaidViolation[]>('/api/training/prepaid/violations', { unitId })
      .then(setViolations)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    if (region)
      api
        .get<PrepaidRules>('/api/training/rules', { unitId: region })
        .then(setRules)
        .catch(() => setRules(null));
  }, [unitId, region, feedback]);
  useEffect(load, [load]);
  const check = async () => {
    if (!region) return;
    try {
      const r = await api.post<PrepaidCheckResult>('/api/training/prepaid/check', { unitId: region });
      feedback.success(m('prepaid.checked', { n: r.violations.length, raised: r.raised }));
      load();
    } catch (e) {
      feedback.error(e);
    }
  };
  const fromName = rules?.fromUnitId
    ? (counties.find((c) => c.value === rules.fromUnitId)?.label ??
      (rules.fromUnitId === me.unit.id ? me.unit.name : '上级教育局'))
    : m('prepaid.national');
  return (
    <div className="training-page">
      <PageHeader
        title={m('prepaid.title')}
        extra={
          <>
            {counties.length > 1 ? (
              <Select
                allowClear
                placeholder={m('inst.county')}
                value={unitId}
                onChange={setUnitId}
                options={counties}
                className="training-select-wide"
              />
            ) : null}
            {me.access.manageTraining && region ? (
              <Button type="primary" onClick={() => void check()} data-testid="training-check">
                {m('prepaid.check')}
              </Button>
            ) : null}
          </>
        }
      />
      {rules ? (
        <Card
          size="small"
          title={`${m('prepaid.rules')} · ${m('prepaid.rulesFrom', { from: fromName })}`}
          extra={
            me.access.manageTraining ? (
              <a
                onClick={() =>
                  setDialog({
                    title: m('prepaid.rules'),
                    method: 'PUT',
                    url: '/api/training/rules',
                    extra: { unitId: region },
                    fields: [
                      {
                        name: 'maxMonths',
                        label: 'prepaid.maxMonths',
                        kind: 'number',
                        required: true,
                        min: 1,
                      },
                      { name: 'maxHours', label: 'prepaid.maxHours', kind: 'number', required: true, min: 1 },
                      {
                        name: 'maxNonSubject',
                        label: 'prepaid.maxAmount',
                        kind: 'number',
                        required: true,
                        min: 1,
                        step: 100,
                      },
                      { name: 'warnDays', label: 'prepaid.warnDays', kind: 'number', required: true, min: 1 },
                    ],
                    initial: rules,
                  })
                }
              >
                {m('act.edit')}
              </a>
            ) : null
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 4 }}>
            <Descriptions.Item label={m('prepaid.maxMonths')}>{rules.maxMonths}</Descriptions.Item>
            <Descriptions.Item label={m('prepaid.maxHours')}>{rules.maxHours}</Descriptions.Item>
            <Descriptions.Item label={m('prepaid.maxAmount')}>{yuan(rules.maxNonSubject)}</Descriptions.Item>
            <Descriptions.Item label={m('prepaid.warnDays')}>{rules.warnDays}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
      <Card size="small" className="training-block" title={`${m('prepaid.rule')} (${violations.length})`}>
        <Table<PrepaidViolation>
          rowKey={(v) => `${v.institutionId}-${v.rule}-${v.subject}`}
          size="small"
          loading={loading}
          dataSource={violations}
          locale={{ emptyText: m('prepaid.none') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 760 }}
          data-testid="training-violations"
          columns={[
            {
              title: m('inst.name'),
              dataIndex: 'institutionName',
              width: 220,
              render: (v: string, r) => <Link to={`/training/institutions/${r.institutionId}`}>{v}</Link>,
            },
            { title: m('inst.county'), dataIndex: 'unitName', width: 120 },
            {
              title: m('prepaid.rule'),
              dataIndex: 'rule',
              width: 200,
              render: (r: string) => label(prepaidRuleLabels, r, lang),
            },
            {
              title: m('prepaid.detail'),
              render: (_: unknown, v) => (lang === 'zh' ? v.detail.zh : v.detail.en),
            },
            {
              title: m('prepaid.finding'),
              width: 150,
              render: (_: unknown, v) =>
                v.findingId ? <Link to={`/findings/${v.findingId}`}>{v.findingNo}</Link> : '—',
            },
          ]}
        />
      </Card>
      {dialog ? (
        <FormDialog
          spec={dialog}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            feedback.success(m('common.saved'));
            load();
          }}
        />
      ) : null}
    </div>
  );
}
