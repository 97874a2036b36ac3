/** One plan: its tasks by chapter with computed status and reasons, a chart per chapter, adding tasks, and the 调度会 view. */
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
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
  Tabs,
} from 'antd';
import type { Dayjs } from 'dayjs';
import {
  REPORT_CYCLES,
  TARGET_OPS,
  TASK_STATUSES,
  label,
  reportCycleLabels,
  taskStatusLabels,
  type PlanDetail,
  type PlanTask,
  type UnitPage,
} from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useEChart, type ChartOption } from '../../app/charts.ts';
import { DispatchView } from './DispatchView.tsx';
import { STATUS_COLORS, StatusTag, useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

const COLORS: Record<string, string> = {
  blue: '#1677ff',
  green: '#52c41a',
  gold: '#faad14',
  red: '#f5222d',
  magenta: '#c41d7f',
};

function ChapterChart({ plan }: { plan: PlanDetail }) {
  const { lang } = usePlanI18n();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: plan.chapters.map((c) => `${c.seq}`), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: TASK_STATUSES.map((s) => ({
        name: label(taskStatusLabels, s, lang),
        type: 'bar' as const,
        stack: 'all',
        barMaxWidth: 36,
        itemStyle: { color: COLORS[STATUS_COLORS[s]] },
        data: plan.chapters.map(
          (c) => plan.taskList.filter((t) => t.chapterId === c.id && t.status === s).length,
        ),
      })),
    }),
    [plan, lang],
  );
  const ref = useEChart(option);
  return <div ref={ref} className="plan-chart" data-testid="chart-plan" />;
}

function AddTaskModal({
  plan,
  open,
  onClose,
}: {
  plan: PlanDetail;
  open: boolean;
  onClose: (p?: PlanDetail) => void;
}) {
  const { m, lang } = usePlanI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const units = useResource<UnitPage>(open ? '/api/units' : null, {
    under: plan.ownerUnit.id,
    status: 'active',
    pageSize: 500,
  });
  const submit = async () => {
    const v = (await form.validateFields()) as {
      chapterId: string;
      title: string;
      leadOffice: string;
      dueOn: Dayjs;
      reportCycle: PlanTask['reportCycle'];
      unitIds?: string[];
      indicator?: string;
      op?: (typeof TARGET_OPS)[number];
      value?: number;
      unit?: string;
    };
    try {
      const p = await api.post<PlanDetail>(`/api/plans/${plan.id}/tasks`, {
        chapterId: v.chapterId,
        title: v.title,
        leadOffice: v.leadOffice,
        dueOn: v.dueOn.format('YYYY-MM-DD'),
        reportCycle: v.reportCycle,
        unitIds: v.unitIds ?? [],
        ...(v.indicator && v.op && v.value !== undefined
          ? { target: { indicator: v.indicator, op: v.op, value: v.value, unit: v.unit ?? '' } }
          : {}),
      });
      form.resetFields();
      onClose(p);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <Modal
      open={open}
      title={m('pl.addTask')}
      onCancel={() => onClose()}
      onOk={() => void submit()}
      okText={m('pl.save')}
      cancelText={m('pl.cancel')}
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ reportCycle: 'monthly', op: '>=', chapterId: plan.chapters[0]?.id }}
      >
        <Form.Item name="chapterId" label={m('pl.chapter')} rules={[{ required: true }]}>
          <Select options={plan.chapters.map((c) => ({ value: c.id, label: `${c.seq}. ${c.title}` }))} />
        </Form.Item>
        <Form.Item name="title" label={m('pl.task')} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="leadOffice" label={m('pl.lead')} rules={[{ required: true }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="dueOn" label={m('pl.due')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="reportCycle" label={m('pl.cycle')}>
            <Select
              style={{ width: 120 }}
              options={REPORT_CYCLES.map((c) => ({ value: c, label: label(reportCycleLabels, c, lang) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="unitIds" label={m('pl.units')}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={(units.data?.items ?? [])
              .filter((u) => u.id !== plan.ownerUnit.id)
              .map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="indicator" label={m('pl.indicator')}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="op" label=" ">
            <Select
              style={{ width: 70 }}
              options={TARGET_OPS.map((o) => ({ value: o, label: o.replace('>=', '≥').replace('<=', '≤') }))}
            />
          </Form.Item>
          <Form.Item name="value" label={m('pl.value')}>
            <InputNumber />
          </Form.Item>
          <Form.Item name="unit" label={m('pl.unitWord')}>
            <Input style={{ width: 80 }} maxLength={12} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export default function PlanPage() {
  const { id } = useParams();
  const { m } = usePlanI18n();
  const r = useResource<PlanDetail>(`/api/plans/${id}`);
  const [adding, setAdding] = useState(false);
  const plan = r.data;
  const tasks = (
    <div className="plan-table-wrap" data-testid="task-table">
      <Table<PlanTask>
        rowKey="id"
        size="small"
        loading={r.loading}
        dataSource={plan?.taskList ?? []}
        pagination={false}
        expandable={{
          expandedRowRender: (t) => (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={t.assignments}
              columns={[
                {
                  title: m('pl.unit'),
                  render: (_, a) => <Link to={`/plans/assignments/${a.id}`}>{a.unit.name}</Link>,
                },
                { title: m('pl.person'), render: (_, a) => a.person?.name ?? '—', responsive: ['md'] },
                {
                  title: m('pl.latest'),
                  render: (_, a) =>
                    a.latestReport ? `${a.latestReport.reportedOn} ${a.latestReport.text}` : '—',
                  responsive: ['lg'],
                },
                {
                  title: m('pl.status'),
                  render: (_, a) => <StatusTag status={a.status} reason={a.reason} />,
                },
                { title: m('pl.reason'), dataIndex: 'reason', responsive: ['md'] },
              ]}
            />
          ),
        }}
        columns={[
          { title: m('pl.seq'), dataIndex: 'seq', width: 56 },
          {
            title: m('pl.task'),
            render: (_, t) => (
              <>
                <div>{t.title}</div>
                <div className="plan-reason">
                  {t.chapterSeq}. {t.chapterTitle}
                </div>
              </>
            ),
          },
          { title: m('pl.lead'), dataIndex: 'leadOffice', width: 110, responsive: ['md'] },
          { title: m('pl.target'), render: (_, t) => t.target?.text ?? '—', responsive: ['lg'] },
          { title: m('pl.due'), dataIndex: 'dueOn', width: 104, responsive: ['md'] },
          {
            title: m('pl.status'),
            width: 220,
            render: (_, t) => (
              <>
                <StatusTag status={t.status} />
                <div className="plan-reason">{t.reason}</div>
              </>
            ),
          },
        ]}
      />
    </div>
  );
  return (
    <>
      <PageHeader
        title={plan?.title ?? m('pl.plans')}
        crumbs={[{ title: m('pl.plans'), to: '/plans' }]}
        extra={plan?.canManage ? <Button onClick={() => setAdding(true)}>{m('pl.addTask')}</Button> : null}
      />
      {plan ? (
        <Tabs
          items={[
            {
              key: 'tasks',
              label: m('pl.taskList'),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Card size="small">
                    <ChapterChart plan={plan} />
                    <div className="plan-reason">
                      {plan.chapters.map((c) => `${c.seq}. ${c.title}`).join('\u3000')}
                    </div>
                  </Card>
                  <Card size="small">{tasks}</Card>
                </Space>
              ),
            },
            {
              key: 'dispatch',
              label: m('pl.dispatch'),
              children: <DispatchView planId={plan.id} canManage={plan.canManage} />,
            },
          ]}
        />
      ) : null}
      {plan ? (
        <AddTaskModal
          plan={plan}
          open={adding}
          onClose={(p) => {
            setAdding(false);
            if (p) r.setData(p);
          }}
        />
      ) : null}
    </>
  );
}
