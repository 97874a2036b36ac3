/**
 * 校历与预警参数: a region's term dates (bureaus set them; schools see what applies), closures (停课) of a
 * school or an area, the month's school days of a school, and the detection thresholds and risk weights.
 * Every change is audited by the server.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  RISK_FACTORS,
  label,
  riskFactorLabels,
  type CalendarDay,
  type Closure,
  type DropoutSettings,
  type RegionTerms,
  type SettingsView,
  type Unit,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { chinaToday, useDropoutI18n } from './messages.ts';
import './dropout.css';

const schoolYearOf = (date: string) => {
  const y = Number(date.slice(0, 4));
  return String(date.slice(5) >= '09-01' ? y : y - 1);
};

const NUMBER_FIELDS = [
  ['consecutiveDays', 'set.consecutiveDays'],
  ['totalDays', 'set.totalDays'],
  ['windowDays', 'set.windowDays'],
  ['transferDays', 'set.transferDays'],
  ['noSheetDays', 'set.noSheetDays'],
  ['returnDays', 'set.returnDays'],
  ['riskHigh', 'set.riskHigh'],
  ['persuadeDays', 'set.persuadeDays'],
  ['orderDays', 'set.orderDays'],
  ['penaltyDays', 'set.penaltyDays'],
  ['lawsuitDays', 'set.lawsuitDays'],
  ['ageMin', 'set.ageMin'],
  ['ageMax', 'set.ageMax'],
] as const;

export default function CalendarPage() {
  const { d, lang } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [unitId, setUnitId] = useState<string>(me.unit.id);
  const [unit, setUnit] = useState<Pick<Unit, 'id' | 'kind' | 'name'>>(me.unit);
  const [year, setYear] = useState(schoolYearOf(chinaToday()));
  const [terms, setTerms] = useState<RegionTerms | null>(null);
  const [draft, setDraft] = useState<{ no: 1 | 2; start: string; end: string }[]>([]);
  const [closures, setClosures] = useState<Closure[]>([]);
  const [days, setDays] = useState<CalendarDay[]>([]);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [closureForm] = Form.useForm<{ start: string; end: string; reason: string }>();
  const [settingsForm] = Form.useForm<DropoutSettings>();

  const reload = useCallback(() => {
    api
      .get<Unit>(`/api/units/${unitId}`)
      .then(setUnit)
      .catch((e: unknown) => feedback.error(e));
    api
      .get<RegionTerms>('/api/calendar/terms', { unitId, schoolYear: year })
      .then((t) => {
        setTerms(t);
        setDraft(t.terms);
      })
      .catch((e: unknown) => feedback.error(e));
    api
      .get<Closure[]>('/api/calendar/closures', { unitId })
      .then(setClosures)
      .catch((e: unknown) => feedback.error(e));
    api
      .get<SettingsView>('/api/dropout/settings', { unitId })
      .then((s) => {
        setSettings(s);
        settingsForm.setFieldsValue(s.effective);
      })
      .catch((e: unknown) => feedback.error(e));
  }, [unitId, year, feedback, settingsForm]);
  useEffect(reload, [reload]);

  useEffect(() => {
    if (unit.kind !== 'school' || unit.id !== unitId) return setDays([]);
    const today = chinaToday();
    const from = `${today.slice(0, 7)}-01`;
    const end = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0))
      .toISOString()
      .slice(0, 10);
    api
      .get<CalendarDay[]>('/api/calendar/days', { schoolId: unitId, from, to: end })
      .then(setDays)
      .catch((e: unknown) => feedback.error(e));
  }, [unit, unitId, closures, feedback]);

  const canEdit = Boolean(settings?.canEdit);
  const canClose = me.access.manageDropout;

  const saveTerms = async (reset: boolean) => {
    try {
      await api.put('/api/calendar/terms', { unitId, schoolYear: year, terms: reset ? [] : draft });
      feedback.success(d('common.saved'));
      reload();
    } catch (e) {
      feedback.error(e);
    }
  };
  const addClosure = async (v: { start: string; end: string; reason: string }) => {
    try {
      await api.post('/api/calendar/closures', { unitId, ...v });
      closureForm.resetFields();
      feedback.success(d('common.saved'));
      reload();
    } catch (e) {
      feedback.error(e, closureForm);
    }
  };
  const saveSettings = async (values: DropoutSettings | null) => {
    try {
      await api.put('/api/dropout/settings', { unitId, settings: values });
      feedback.success(d('common.saved'));
      reload();
    } catch (e) {
      feedback.error(e, settingsForm);
    }
  };
  const y = Number(year);

  return (
    <div>
      <PageHeader title={d('cal.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small">
        <Space wrap>
          <UnitTreeSelect
            value={unitId}
            onChange={(v) => setUnitId(v ?? me.unit.id)}
            allowClear={false}
            knownNames={{ [me.unit.id]: me.unit.name }}
            className="dropout-filter"
            placeholder={d('cal.unit')}
          />
          <Select
            value={year}
            onChange={setYear}
            aria-label={d('cal.schoolYear')}
            options={[y - 1, y, y + 1].map((n) => ({ value: String(n), label: `${n}–${n + 1}` }))}
          />
        </Space>
      </Card>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={d('cal.terms')}
            extra={terms ? <Tag>{d(`cal.source.${terms.source}`)}</Tag> : null}
          >
            {draft.map((t, i) => (
              <Space key={t.no} wrap style={{ marginBottom: 8 }}>
                <Typography.Text strong>{d(t.no === 1 ? 'cal.term1' : 'cal.term2')}</Typography.Text>
                <Input
                  type="date"
                  value={t.start}
                  disabled={!canEdit}
                  onChange={(e) =>
                    setDraft(draft.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))
                  }
                  style={{ width: 150 }}
                />
                —
                <Input
                  type="date"
                  value={t.end}
                  disabled={!canEdit}
                  onChange={(e) =>
                    setDraft(draft.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))
                  }
                  style={{ width: 150 }}
                />
              </Space>
            ))}
            {canEdit ? (
              <Space>
                <Button type="primary" onClick={() => void saveTerms(false)}>
                  {d('cal.saveTerms')}
                </Button>
                <Button onClick={() => void saveTerms(true)}>{d('cal.resetTerms')}</Button>
              </Space>
            ) : null}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {d('cal.holidayNote')}
            </Typography.Paragraph>
          </Card>
          {days.length ? (
            <Card size="small" title={d('cal.days')} style={{ marginTop: 12 }}>
              <Space wrap size={4}>
                {days.map((x) => (
                  <Tag
                    key={x.date}
                    color={x.schoolDay ? (x.why === 'makeupWorkday' ? 'gold' : 'green') : 'default'}
                    title={x.note ?? x.why}
                  >
                    {x.date.slice(8)}
                    {x.note ? ` ${x.note}` : ''}
                  </Tag>
                ))}
              </Space>
            </Card>
          ) : null}
          <Card size="small" title={d('cal.closures')} style={{ marginTop: 12 }}>
            {canClose ? (
              <Form
                form={closureForm}
                layout="inline"
                onFinish={(v) => void addClosure(v)}
                style={{ marginBottom: 8, rowGap: 8 }}
              >
                <Form.Item name="start" rules={[{ required: true }]}>
                  <Input type="date" aria-label={d('cal.from')} />
                </Form.Item>
                <Form.Item name="end" rules={[{ required: true }]}>
                  <Input type="date" aria-label={d('cal.to')} />
                </Form.Item>
                <Form.Item name="reason" rules={[{ required: true }]}>
                  <Input placeholder={d('cal.reason')} maxLength={200} />
                </Form.Item>
                <Button htmlType="submit">{d('cal.addClosure')}</Button>
              </Form>
            ) : null}
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={closures}
              scroll={{ x: 420 }}
              columns={[
                { title: d('cal.from'), dataIndex: 'start' },
                { title: d('cal.to'), dataIndex: 'end' },
                { title: d('cal.reason'), dataIndex: 'reason' },
                { title: d('cal.unit'), dataIndex: 'unitName' },
                ...(canClose
                  ? [
                      {
                        title: '',
                        render: (_: unknown, c: Closure) => (
                          <Popconfirm
                            title={d('cal.delete')}
                            onConfirm={() =>
                              api
                                .delete(`/api/calendar/closures/${c.id}`)
                                .then(reload)
                                .catch((e: unknown) => feedback.error(e))
                            }
                          >
                            <Button size="small" danger type="link">
                              {d('cal.delete')}
                            </Button>
                          </Popconfirm>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={d('set.title')} extra={canEdit ? null : <Tag>{d('set.readOnly')}</Tag>}>
            <Form
              form={settingsForm}
              layout="vertical"
              disabled={!canEdit}
              onFinish={(v) => void saveSettings(v)}
            >
              <Row gutter={12}>
                {NUMBER_FIELDS.map(([name, key]) => (
                  <Col xs={12} key={name}>
                    <Form.Item name={name} label={d(key)} rules={[{ required: true }]}>
                      <InputNumber min={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Typography.Text strong>{d('set.weights')}</Typography.Text>
              <Row gutter={12}>
                {RISK_FACTORS.map((f) => (
                  <Col xs={12} key={f}>
                    <Form.Item
                      name={['riskWeights', f]}
                      label={label(riskFactorLabels, f, lang)}
                      rules={[{ required: true }]}
                    >
                      <InputNumber min={0} max={100} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              {canEdit ? (
                <Space>
                  <Button type="primary" htmlType="submit">
                    {d('set.save')}
                  </Button>
                  <Button onClick={() => void saveSettings(null)}>{d('set.reset')}</Button>
                </Space>
              ) : null}
            </Form>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
