/**
 * 填报与审核: a school sees its own entry for the chosen form and period; a bureau sees the progress board
 * of its area (who has not submitted, who waits for whom — counts, a chart and the list), the failing rules,
 * the import of its summary sheet, and (the city) accepts each county once every school is approved.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Card, Checkbox, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import {
  SUBMISSION_STATUSES,
  submissionStatusLabels,
  type CollectionForm,
  type EntryView,
  type ProgressBoard,
  type ProgressRow,
  type Violation,
} from '@dudao/contracts';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { BoardChart } from './BoardChart.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { defaultPeriod, useCollectionI18n } from './messages.ts';
import { STATUS_COLORS, StatusTag } from './StatusTag.tsx';
import './collection.css';

const years = () => {
  const y = Number(defaultPeriod());
  return [y + 1, y, y - 1, y - 2, y - 3].map(String);
};

export default function CollectionPage() {
  const { c, lang } = useCollectionI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params, setParams] = useSearchParams();
  const [forms, setForms] = useState<CollectionForm[]>([]);
  const formId = params.get('formId') ?? forms.find((f) => f.code === 'SCHOOL_ANNUAL')?.id ?? forms[0]?.id;
  const period = params.get('period') ?? defaultPeriod();
  const [unitId, setUnitId] = useState<string>(me.unit.id);
  const [board, setBoard] = useState<ProgressBoard | null>(null);
  const [mine, setMine] = useState<EntryView | null>(null);
  const [violations, setViolations] = useState<Violation[]>([]);
  const [onlyPending, setOnlyPending] = useState(false);
  const [county, setCounty] = useState<string | undefined>();
  const school = me.unit.kind === 'school';
  const isCity = me.unit.kind === 'city_bureau';

  useEffect(() => {
    api
      .get<CollectionForm[]>('/api/collection/forms')
      .then(setForms)
      .catch((e: unknown) => feedback.error(e));
  }, [feedback]);

  const setQuery = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    if (formId && !next.get('formId')) next.set('formId', formId);
    setParams(next, { replace: true });
  };

  const reload = useCallback(async () => {
    if (!formId) return;
    try {
      if (school) {
        // a form the school does not fill in answers 400: nothing to show
        setMine(
          await api
            .get<EntryView>('/api/collection/entry', { formId, unitId: me.unit.id, period })
            .catch(() => null),
        );
      } else {
        const [b, v] = await Promise.all([
          api.get<ProgressBoard>('/api/collection/progress', { formId, period, unitId }),
          api.get<Violation[]>('/api/collection/violations', { formId, period, unitId }),
        ]);
        setBoard(b);
        setViolations(v);
      }
    } catch (e) {
      feedback.error(e);
    }
  }, [formId, school, me.unit.id, period, unitId, feedback]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const entryLink = (u: string) => `/collection/entry?formId=${formId}&unitId=${u}&period=${period}`;
  const rows = useMemo(
    () =>
      (board?.units ?? []).filter(
        (u) => (!onlyPending || u.waitingFor !== 'none') && (!county || u.countyId === county),
      ),
    [board, onlyPending, county],
  );
  const waitLabel = (w: ProgressRow['waitingFor']) => c(`col.wait.${w}`);

  const accept = async (countyId: string) => {
    try {
      const r = await api.post<{ accepted: number }>('/api/collection/accept', { formId, countyId, period });
      feedback.success(c('col.acceptDone', { n: r.accepted }));
      await reload();
    } catch (e) {
      feedback.error(e);
    }
  };
  const runValidation = async () => {
    try {
      const r = await api.post<{ checked: number; errors: number; warnings: number }>(
        '/api/collection/validation-runs',
        {
          formId,
          period,
          unitId,
        },
      );
      feedback.success(c('col.validated', { n: r.checked, e: r.errors, w: r.warnings }));
      await reload();
    } catch (e) {
      feedback.error(e);
    }
  };

  return (
    <div className="col-page">
      <PageHeader title={c('col.tasks')} crumbs={[{ title: c('col.module') }]} />
      <Card size="small">
        <Space wrap>
          <Select
            className="col-filter"
            style={{ minWidth: 220 }}
            placeholder={c('col.form')}
            value={formId}
            onChange={(v: string) => setQuery('formId', v)}
            options={forms.map((f) => ({
              value: f.id,
              label: f.active ? f.name : `${f.name}（${c('col.retired')}）`,
            }))}
            data-testid="col-form"
          />
          <Select
            style={{ width: 110 }}
            value={period}
            onChange={(v: string) => setQuery('period', v)}
            options={years().map((y) => ({ value: y, label: lang === 'zh' ? `${y}年` : y }))}
            data-testid="col-period"
          />
          {!school ? (
            <UnitTreeSelect
              value={unitId}
              onChange={(v) => setUnitId(v ?? me.unit.id)}
              placeholder={c('col.area')}
              knownNames={{ [me.unit.id]: me.unit.name }}
              allowClear={false}
              className="col-filter"
            />
          ) : null}
          {!school ? <Link to={`/balance/county?period=${period}`}>{c('col.balance')}</Link> : null}
        </Space>
      </Card>

      {school ? (
        <Card size="small" title={c('col.mine')} data-testid="col-mine">
          {mine ? (
            <Space wrap>
              <StatusTag status={mine.status} lang={lang} />
              {mine.returnReason ? (
                <Typography.Text type="warning">{mine.returnReason}</Typography.Text>
              ) : null}
              <Link to={entryLink(me.unit.id)}>
                <Button type="primary" data-testid="col-open">
                  {mine.can.edit ? c('col.open') : c('col.view')}
                </Button>
              </Link>
            </Space>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          )}
        </Card>
      ) : board ? (
        <Tabs
          items={[
            {
              key: 'board',
              label: c('col.board'),
              children: (
                <>
                  <Card size="small" data-testid="col-board">
                    <Space wrap>
                      <b>{c('col.total', { n: board.total })}</b>
                      {SUBMISSION_STATUSES.map((s) => (
                        <Tag key={s} color={STATUS_COLORS[s]} data-testid={`count-${s}`}>
                          {submissionStatusLabels[s][lang === 'zh' ? 'zh' : 'en']} {board.counts[s]}
                        </Tag>
                      ))}
                    </Space>
                    <div className="col-levels" data-testid="col-levels">
                      <Typography.Text type="secondary">
                        {c('col.levels', {
                          l: board.levels.map((l) => c(`col.level.${l}`)).join(' → '),
                        })}
                      </Typography.Text>
                      <Typography.Text>
                        {c('col.waitingNow', {
                          s: board.waiting.school,
                          c: board.waiting.county,
                          y: board.waiting.city,
                        })}
                      </Typography.Text>
                    </div>
                    <BoardChart board={board} lang={lang} onCounty={setCounty} />
                  </Card>
                  {board.counties.length > 0 ? (
                    <Table
                      size="small"
                      rowKey="countyId"
                      pagination={false}
                      scroll={{ x: 600 }}
                      dataSource={board.counties}
                      style={{ marginTop: 8 }}
                      onRow={(r) => ({
                        onClick: () => setCounty(r.countyId === county ? undefined : r.countyId),
                      })}
                      rowClassName={(r) => (r.countyId === county ? 'ant-table-row-selected' : '')}
                      columns={[
                        { title: c('col.county'), dataIndex: 'countyName' },
                        {
                          title: c('col.countyWaits'),
                          key: 'waits',
                          render: (_: unknown, r: ProgressBoard['counties'][number]) =>
                            c(`col.wait.${r.waitingFor}`),
                        },
                        ...(['not_started', 'draft', 'returned', 'submitted', 'approved'] as const).map(
                          (s) => ({
                            title: submissionStatusLabels[s][lang === 'zh' ? 'zh' : 'en'],
                            key: s,
                            align: 'right' as const,
                            render: (_: unknown, r: ProgressBoard['counties'][number]) => r.counts[s],
                          }),
                        ),
                        {
                          title: c('col.accepted'),
                          key: 'accept',
                          render: (_: unknown, r: ProgressBoard['counties'][number]) =>
                            r.accepted ? (
                              <Tag color="cyan">{c('col.accepted')}</Tag>
                            ) : isCity && me.access.approveData ? (
                              <Button
                                size="small"
                                disabled={!r.readyForCity}
                                title={r.readyForCity ? undefined : c('col.notReady')}
                                onClick={(e) => {
                                  e.stopPropagation();
                                  void accept(r.countyId);
                                }}
                                data-testid={`accept-${r.countyId}`}
                              >
                                {c('col.accept')}
                              </Button>
                            ) : (
                              '—'
                            ),
                        },
                      ]}
                    />
                  ) : null}
                  <Space style={{ marginTop: 8 }} wrap>
                    <Checkbox checked={onlyPending} onChange={(e) => setOnlyPending(e.target.checked)}>
                      {c('col.onlyPending')}
                    </Checkbox>
                  </Space>
                  <Table
                    size="small"
                    rowKey="unitId"
                    style={{ marginTop: 8 }}
                    scroll={{ x: 640 }}
                    dataSource={rows}
                    pagination={{ pageSize: 50, hideOnSinglePage: true }}
                    data-testid="col-units"
                    columns={[
                      {
                        title: c('col.unit'),
                        dataIndex: 'unitName',
                        render: (n: string, r: ProgressRow) => <Link to={entryLink(r.unitId)}>{n}</Link>,
                      },
                      { title: c('col.county'), dataIndex: 'countyName', responsive: ['md'] },
                      {
                        title: c('col.status'),
                        dataIndex: 'status',
                        render: (s: ProgressRow['status']) => <StatusTag status={s} lang={lang} />,
                      },
                      {
                        title: c('col.errors'),
                        dataIndex: 'errors',
                        align: 'right',
                        render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0),
                      },
                      {
                        title: c('col.warnings'),
                        dataIndex: 'warnings',
                        align: 'right',
                        render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
                      },
                      { title: c('col.waiting'), dataIndex: 'waitingFor', render: waitLabel },
                    ]}
                  />
                </>
              ),
            },
            {
              key: 'violations',
              label: `${c('col.violations')} (${violations.length})`,
              children: (
                <>
                  <Button onClick={() => void runValidation()} data-testid="col-run-validation">
                    {c('col.runValidation')}
                  </Button>
                  <Table
                    size="small"
                    style={{ marginTop: 8 }}
                    rowKey={(v) => `${v.submissionId}-${v.result.ruleId}`}
                    scroll={{ x: 640 }}
                    dataSource={violations}
                    pagination={{ pageSize: 50, hideOnSinglePage: true }}
                    columns={[
                      {
                        title: c('col.unit'),
                        dataIndex: 'unitName',
                        render: (n: string, r: Violation) => <Link to={entryLink(r.unitId)}>{n}</Link>,
                      },
                      {
                        title: c('col.rule'),
                        key: 'rule',
                        render: (_: unknown, r: Violation) => (
                          <span>
                            <Tag color={r.result.importance === 'error' ? 'red' : 'orange'}>
                              {r.result.importance === 'error' ? c('col.errors') : c('col.warnings')}
                            </Tag>
                            {r.result.name}
                          </span>
                        ),
                      },
                      {
                        title: c('col.explanation'),
                        dataIndex: 'explanation',
                        render: (e: string | null) => e ?? '—',
                      },
                      {
                        title: c('col.status'),
                        dataIndex: 'status',
                        render: (s: Violation['status']) => <StatusTag status={s} lang={lang} />,
                      },
                    ]}
                  />
                </>
              ),
            },
            ...(me.access.enterData
              ? [
                  {
                    key: 'import',
                    label: c('col.import'),
                    children: formId ? (
                      <ImportPanel
                        formId={formId}
                        unitId={unitId}
                        period={period}
                        sections={forms.find((f) => f.id === formId)?.sections.length ?? 1}
                        onImported={reload}
                      />
                    ) : null,
                  },
                ]
              : []),
          ]}
        />
      ) : (
        <Card loading />
      )}
    </div>
  );
}
