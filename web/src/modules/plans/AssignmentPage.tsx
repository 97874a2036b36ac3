/** One assignment (a task at a unit): status and reason, milestones, progress reports with evidence, split to schools, the responsible person, 督办单. */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Tag,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { PlanAssignmentDetail, PlanNotice, UnitPage } from '@dudao/contracts';
import { api, csrfHeader, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { NoticeCard } from './NoticesPage.tsx';
import { StatusTag, useResource } from './common.tsx';
import { usePlanI18n } from './messages.ts';
import './plans.css';

async function upload(file: File, unitId: string): Promise<string> {
  const res = await fetch(`/api/files?unitId=${unitId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
      ...csrfHeader(),
    },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await res.json()) as { id: string; message?: string };
  if (!res.ok) throw new Error(body.message ?? String(res.status));
  return body.id;
}

export default function AssignmentPage() {
  const { id } = useParams();
  const { m } = usePlanI18n();
  const me = useMe();
  const { message } = App.useApp();
  const r = useResource<PlanAssignmentDetail>(`/api/plan-assignments/${id}`);
  const [form] = Form.useForm();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [splitTo, setSplitTo] = useState<string[]>([]);
  const [req, setReq] = useState('');
  const [deadline, setDeadline] = useState(dayjs().add(7, 'day'));
  const a = r.data;
  const schools = useResource<UnitPage>(a?.canSplit ? '/api/units' : null, {
    parentId: a?.unit.id,
    kind: 'school',
    status: 'active',
    pageSize: 500,
  });
  const fail = (err: unknown) =>
    void message.error(isApiError(err) || err instanceof Error ? err.message : String(err));
  if (!a) return <PageHeader title={m('pl.task')} crumbs={[{ title: m('pl.plans'), to: '/plans' }]} />;
  const report = async () => {
    const v = (await form.validateFields()) as {
      text: string;
      value?: number;
      milestoneId?: string;
      completed?: boolean;
    };
    setBusy(true);
    try {
      const fileIds = [];
      for (const f of files) fileIds.push(await upload(f, a.unit.id));
      r.setData(
        await api.post<PlanAssignmentDetail>(`/api/plan-assignments/${a.id}/reports`, {
          ...v,
          completed: !!v.completed,
          fileIds,
        }),
      );
      form.resetFields();
      setFiles([]);
      void message.success(m('pl.saved'));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  // Bureaus issue 督办单 on other units' assignments (the server checks it is the plan's owner or the splitting county).
  const canIssue = me.access.managePlans && a.unit.id !== me.unit.id;
  return (
    <>
      <PageHeader
        title={`${a.taskSeq}. ${a.taskTitle}`}
        crumbs={[
          { title: m('pl.plans'), to: '/plans' },
          { title: a.planTitle, to: `/plans/${a.planId}` },
        ]}
      />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={m('pl.unit')}>{a.unit.name}</Descriptions.Item>
            <Descriptions.Item label={m('pl.status')}>
              <StatusTag status={a.status} />{' '}
              <span className="plan-reason" data-testid="assignment-reason">
                {a.reason}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={m('pl.due')}>{a.dueOn}</Descriptions.Item>
            <Descriptions.Item label={m('pl.target')}>
              {a.target?.text ?? '—'}
              {a.latestValue !== null ? `（${a.latestValue}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={m('pl.nextDue')}>
              {a.nextReportDue ?? '—'}{' '}
              {a.missedReports ? <Tag color="red">{m('pl.missed', { n: a.missedReports })}</Tag> : null}
              {a.lateReports ? <Tag color="gold">{m('pl.late', { n: a.lateReports })}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={m('pl.person')}>
              {a.canReport ? (
                <Select
                  allowClear
                  style={{ minWidth: 160 }}
                  value={a.person?.id}
                  options={a.people.map((p) => ({ value: p.id, label: p.name }))}
                  onChange={(v: string | undefined) =>
                    void api
                      .put<PlanAssignmentDetail>(`/api/plan-assignments/${a.id}/person`, {
                        userId: v ?? null,
                      })
                      .then(r.setData, fail)
                  }
                />
              ) : (
                (a.person?.name ?? '—')
              )}
            </Descriptions.Item>
          </Descriptions>
          {a.milestones.length ? (
            <div>
              {a.milestones.map((ms) => (
                <Tag
                  key={ms.id}
                  color={ms.reached ? 'green' : ms.dueOn < dayjs().format('YYYY-MM-DD') ? 'red' : 'default'}
                >
                  {ms.title} {ms.dueOn}
                </Tag>
              ))}
            </div>
          ) : null}
        </Card>
        {a.canReport && a.status !== 'done' ? (
          <Card size="small" title={m('pl.report')}>
            <Form form={form} layout="vertical">
              <Form.Item name="text" label={m('pl.reportText')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} maxLength={2000} data-testid="report-text" />
              </Form.Item>
              <Space wrap>
                {a.target ? (
                  <Form.Item name="value" label={`${m('pl.reportValue')}（${a.target.unit}）`}>
                    <InputNumber data-testid="report-value" />
                  </Form.Item>
                ) : null}
                {a.milestones.some((x) => !x.reached) ? (
                  <Form.Item name="milestoneId" label={m('pl.milestone')}>
                    <Select
                      allowClear
                      style={{ minWidth: 180 }}
                      options={a.milestones
                        .filter((x) => !x.reached)
                        .map((x) => ({ value: x.id, label: x.title }))}
                    />
                  </Form.Item>
                ) : null}
                <Form.Item name="completed" valuePropName="checked" label=" ">
                  <Checkbox>{m('pl.completed')}</Checkbox>
                </Form.Item>
              </Space>
              <Form.Item label={m('pl.evidence')}>
                <Upload
                  multiple
                  beforeUpload={(f) => (setFiles((x) => [...x, f]), false)}
                  onRemove={(f) => setFiles((x) => x.filter((y) => y.name !== f.name))}
                  accept="image/*,.pdf"
                >
                  <Button icon={<UploadOutlined />}>{m('pl.evidence')}</Button>
                </Upload>
              </Form.Item>
              <Button type="primary" loading={busy} onClick={() => void report()} data-testid="report-submit">
                {m('pl.report')}
              </Button>
            </Form>
          </Card>
        ) : null}
        {a.canSplit ? (
          <Card size="small" title={m('pl.split')}>
            <Space wrap>
              <Select
                mode="multiple"
                style={{ minWidth: 260 }}
                value={splitTo}
                onChange={setSplitTo}
                optionFilterProp="label"
                options={(schools.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
              <Button
                disabled={!splitTo.length}
                onClick={() =>
                  void api
                    .post<PlanAssignmentDetail>(`/api/plan-assignments/${a.id}/split`, { unitIds: splitTo })
                    .then((d) => (r.setData(d), setSplitTo([])), fail)
                }
              >
                {m('pl.split')}
              </Button>
            </Space>
            {a.children.length ? (
              <List
                size="small"
                dataSource={a.children}
                renderItem={(c) => (
                  <List.Item>
                    <Link to={`/plans/assignments/${c.id}`}>{c.unit.name}</Link> {c.person?.name ?? ''}{' '}
                    <StatusTag status={c.status} reason={c.reason} />
                  </List.Item>
                )}
              />
            ) : null}
          </Card>
        ) : null}
        {canIssue && a.status !== 'done' ? (
          <Card size="small" title={m('pl.issue')}>
            <Space wrap>
              <Input.TextArea
                rows={2}
                style={{ minWidth: 280 }}
                placeholder={m('pl.requirement')}
                value={req}
                onChange={(e) => setReq(e.target.value)}
                data-testid="notice-requirement"
              />
              <DatePicker
                value={deadline}
                onChange={(v) => v && setDeadline(v)}
                disabledDate={(x) => x.isBefore(dayjs(), 'day')}
              />
              <Button
                danger
                disabled={!req.trim()}
                data-testid="notice-issue"
                onClick={() =>
                  void api
                    .post<PlanNotice>('/api/plan-notices', {
                      assignmentId: a.id,
                      requirement: req,
                      deadline: deadline.format('YYYY-MM-DD'),
                    })
                    .then(() => (setReq(''), r.reload()), fail)
                }
              >
                {m('pl.issue')}
              </Button>
            </Space>
          </Card>
        ) : null}
        {a.notices.map((n) => (
          <NoticeCard key={n.id} notice={n} onChange={() => r.reload()} />
        ))}
        <Card size="small" title={m('pl.reports')}>
          <List
            size="small"
            dataSource={a.reports}
            locale={{ emptyText: m('pl.empty') }}
            renderItem={(x) => (
              <List.Item>
                <div>
                  <strong>{x.reportedOn}</strong> {x.reportedByName ?? ''}{' '}
                  {x.value !== null ? <Tag>{x.value}</Tag> : null}{' '}
                  {x.completed ? <Tag color="blue">{m('pl.completed')}</Tag> : null}
                  <div>{x.text}</div>
                  {x.files.map((f) => (
                    <a
                      key={f.id}
                      href={`/api/files/${f.id}`}
                      target="_blank"
                      rel="noreferrer"
                      style={{ marginRight: 8 }}
                    >
                      {f.name}
                    </a>
                  ))}
                </div>
              </List.Item>
            )}
          />
        </Card>
      </Space>
    </>
  );
}
