/**
 * 考勤未报送: for a day and an area, per county → school → class, the classes with no sheet on a school day.
 * A missing sheet is shown as missing, never as present.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import type { MissingReport } from '@dudao/contracts';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { MissingChart } from './MissingChart.tsx';
import { chinaToday, useDropoutI18n } from './messages.ts';
import './dropout.css';

export default function MissingPage() {
  const { d } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  const [date, setDate] = useState(() => {
    const p = params.get('date');
    return p && /^\d{4}-\d{2}-\d{2}$/.test(p) && p <= chinaToday() ? p : chinaToday();
  });
  const [under, setUnder] = useState<string | undefined>();
  const [county, setCounty] = useState<string | undefined>();
  const [onlyMissing, setOnlyMissing] = useState(true);
  const [report, setReport] = useState<MissingReport | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    api
      .get<MissingReport>('/api/attendance/missing', { date, under }, ctrl.signal)
      .then(setReport)
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [date, under, feedback]);

  const schools = useMemo(
    () =>
      (report?.schools ?? []).filter(
        (s) => (!county || s.countyId === county) && (!onlyMissing || s.missing > 0),
      ),
    [report, county, onlyMissing],
  );
  const bars = useMemo(() => {
    if (!report) return [];
    if (report.counties.length > 1 && !county)
      return report.counties.map((c) => ({
        name: c.name,
        submitted: c.submitted,
        missing: c.missing,
        id: c.id,
      }));
    return report.schools
      .filter((s) => s.schoolDay && (!county || s.countyId === county))
      .slice(0, 30)
      .map((s) => ({ name: s.name, submitted: s.submitted, missing: s.missing, id: s.id }));
  }, [report, county]);
  const chartLabels = useMemo(() => ({ submitted: d('mis.submitted'), missing: d('mis.missing') }), [d]);

  return (
    <div>
      <PageHeader title={d('mis.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small">
        <Space wrap>
          <Input
            type="date"
            value={date}
            max={chinaToday()}
            onChange={(e) => e.target.value && setDate(e.target.value)}
            style={{ width: 160 }}
          />
          <UnitTreeSelect
            value={under}
            onChange={(v) => {
              setUnder(v);
              setCounty(undefined);
            }}
            placeholder={d('mis.area')}
            knownNames={{ [me.unit.id]: me.unit.name }}
            className="dropout-filter"
          />
          <Checkbox checked={onlyMissing} onChange={(e) => setOnlyMissing(e.target.checked)}>
            {d('mis.onlyMissing')}
          </Checkbox>
        </Space>
      </Card>
      {report ? (
        <>
          <Typography.Paragraph style={{ marginTop: 8 }} data-testid="missing-summary">
            {d('mis.summary', {
              date: report.date,
              classes: report.total.classes,
              submitted: report.total.submitted,
              missing: report.total.missing,
              schools: report.total.schoolsMissing,
            })}
          </Typography.Paragraph>
          <Alert type="info" showIcon title={d('mis.note')} />
          <Card size="small" style={{ marginTop: 8 }}>
            <MissingChart
              bars={bars}
              labels={chartLabels}
              onClick={(i) => {
                const b = bars[i];
                if (b && report.counties.some((c) => c.id === b.id)) setCounty(b.id);
              }}
            />
          </Card>
          {report.counties.length > 1 ? (
            <Table
              size="small"
              rowKey="id"
              style={{ marginTop: 8 }}
              pagination={false}
              scroll={{ x: 520 }}
              dataSource={report.counties}
              rowClassName={(c) => (c.id === county ? 'ant-table-row-selected' : '')}
              onRow={(c) => ({ onClick: () => setCounty(c.id === county ? undefined : c.id) })}
              columns={[
                { title: d('mis.county'), dataIndex: 'name' },
                { title: d('mis.classes'), dataIndex: 'classes', align: 'right' },
                { title: d('mis.submitted'), dataIndex: 'submitted', align: 'right' },
                {
                  title: d('mis.missing'),
                  dataIndex: 'missing',
                  align: 'right',
                  render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n),
                },
                { title: d('mis.schoolsMissing'), dataIndex: 'schoolsMissing', align: 'right' },
              ]}
            />
          ) : null}
          <Table
            size="small"
            rowKey="id"
            loading={loading}
            style={{ marginTop: 8 }}
            scroll={{ x: 560 }}
            dataSource={schools}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            expandable={{
              rowExpandable: (s) => s.missingClasses.length > 0,
              expandedRowRender: (s) => (
                <Space wrap>
                  {s.missingClasses.map((c) => (
                    <Tag key={c.id} color="red">
                      {c.name}
                    </Tag>
                  ))}
                </Space>
              ),
            }}
            columns={[
              { title: d('mis.school'), dataIndex: 'name' },
              {
                title: d('mis.classes'),
                dataIndex: 'classes',
                align: 'right',
                render: (n: number, s) => (s.schoolDay ? n : <Tag>{d('mis.noSchoolDay')}</Tag>),
              },
              { title: d('mis.submitted'), dataIndex: 'submitted', align: 'right' },
              {
                title: d('mis.missing'),
                dataIndex: 'missing',
                align: 'right',
                render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n),
              },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
