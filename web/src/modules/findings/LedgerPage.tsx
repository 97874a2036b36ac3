/**
 * 问题台账: every finding in the user's area, from every module. Filters (unit subtree, status, state,
 * source, category, severity, dates, text, and the source record or notice when coming from one) live in
 * the address; a table on desktop (overdue rows red), cards on a phone; export; 登记问题; and 下发整改通知
 * for ticked 待下发 findings of one unit, which opens the notice to print.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Dropdown, Form, Input, Modal, Select, Space, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  DownloadOutlined,
  DownOutlined,
  FileTextOutlined,
  FilterOutlined,
  PlusOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  FINDING_CATEGORIES,
  FINDING_SEVERITIES,
  FINDING_SOURCES,
  FINDING_STATUSES,
  findingCategoryLabels,
  findingSeverityLabels,
  findingSourceLabels,
  findingStatusLabels,
  label,
  type Finding,
  type FindingCategory,
  type FindingListQuery,
  type FindingPage,
  type FindingSeverity,
  type FindingSource,
  type FindingStatus,
  type Notice,
} from '@dudao/contracts';
import { api, toQuery } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { optionalText } from '../../app/validation.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { FindingList } from './components/FindingList.tsx';
import { RaiseDrawer } from './components/RaiseDrawer.tsx';
import { chinaToday, sourceHref, sourceTypeLabel } from './components/labels.tsx';
import { useFindingI18n } from './messages.ts';
import './findings.css';

const STATES = ['open', 'closed', 'overdue', 'escalated'] as const;
type State = (typeof STATES)[number];

type Filters = Pick<
  FindingListQuery,
  | 'q'
  | 'under'
  | 'status'
  | 'state'
  | 'source'
  | 'category'
  | 'severity'
  | 'sourceType'
  | 'sourceId'
  | 'noticeId'
  | 'from'
  | 'to'
>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The filters the address holds, checked (a hand-edited address must not make the API answer 400). */
function readFilters(params: URLSearchParams): Filters {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const uuid = (k: string) => {
    const v = get(k);
    return v && UUID.test(v) ? v : undefined;
  };
  const date = (k: string) => {
    const v = get(k);
    return v && DATE.test(v) ? v : undefined;
  };
  return {
    q: get('q')?.slice(0, 64),
    under: uuid('under'),
    status: oneOf<FindingStatus>(FINDING_STATUSES, params.get('status')),
    state: oneOf<State>(STATES, params.get('state')),
    source: oneOf<FindingSource>(FINDING_SOURCES, params.get('source')),
    category: oneOf<FindingCategory>(FINDING_CATEGORIES, params.get('category')),
    severity: oneOf<FindingSeverity>(FINDING_SEVERITIES, params.get('severity')),
    sourceType: get('sourceType')?.slice(0, 40),
    sourceId: get('sourceId')?.slice(0, 64),
    noticeId: uuid('noticeId'),
    from: date('from'),
    to: date('to'),
  };
}

export default function LedgerPage() {
  const { t, f, lang } = useFindingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const [search, setSearch] = useState(filters.q ?? '');
  const [data, setData] = useState<FindingPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [raising, setRaising] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const rows = useRef(new Map<string, Finding>());
  const [noticeOpen, setNoticeOpen] = useState(false);
  const atSchool = me.unit.kind === 'school';
  const isMobile = useIsMobile();
  // On a phone the filters other than the search box fold away behind 筛选.
  const [moreOpen, setMoreOpen] = useState(false);
  const showMore = !isMobile || moreOpen;

  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<FindingPage>('/api/findings', { ...filters, page, pageSize }, controller.signal)
      .then(
        (res) => {
          for (const it of res.items) rows.current.set(it.id, it);
          setData(res);
        },
        (err: unknown) => feedback.error(err),
      )
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [filters, page, pageSize, tick, feedback]);

  const setFilters = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== '') query[k] = String(v);
    if (pageSize !== 20) query.size = String(pageSize);
    setParams(query);
  };

  const setPaging = (p: number, ps: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(ps !== pageSize ? 1 : p));
    if (ps !== 20) next.set('size', String(ps));
    else next.delete('size');
    setParams(next);
  };

  const selectedRows = selected.flatMap((id) => {
    const row = rows.current.get(id);
    return row ? [row] : [];
  });
  const selectedUnits = new Set(selectedRows.map((r) => r.unitId));
  const canIssue = selectedRows.length > 0 && selectedUnits.size === 1;

  const exportHref = (format: 'xlsx' | 'csv') => `/api/findings/export${toQuery({ format, ...filters })}`;
  const exportMenu: MenuProps = {
    items: [
      {
        key: 'xlsx',
        label: (
          <a href={exportHref('xlsx')} download data-testid="finding-export-xlsx">
            {f('fd.exportXlsx')}
          </a>
        ),
      },
      {
        key: 'csv',
        label: (
          <a href={exportHref('csv')} download data-testid="finding-export-csv">
            {f('fd.exportCsv')}
          </a>
        ),
      },
      { type: 'divider' },
      {
        key: 'hint',
        disabled: true,
        label: <span className="finding-export-hint">{f('fd.exportHint')}</span>,
      },
    ],
  };

  const toolbar = (
    <>
      {me.access.raiseFindings ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setRaising(true)}
          data-testid="finding-raise-button"
        >
          {f('fd.raise')}
        </Button>
      ) : null}
      {me.access.raiseFindings ? (
        <Tooltip title={canIssue ? undefined : f('fd.issueNoticeHint')}>
          <Button
            icon={<FileTextOutlined />}
            disabled={!canIssue}
            onClick={() => setNoticeOpen(true)}
            data-testid="finding-notice-button"
          >
            {f('fd.issueNotice')}
            {selected.length > 0 ? ` (${selected.length})` : ''}
          </Button>
        </Tooltip>
      ) : null}
      <Dropdown menu={exportMenu} trigger={['click']} placement="bottomRight">
        <Button icon={<DownloadOutlined />} data-testid="finding-export-button">
          {f('fd.export')} <DownOutlined />
        </Button>
      </Dropdown>
    </>
  );

  const sourceLink = sourceHref(filters.sourceType ?? null, filters.sourceId ?? null);
  const anyFilter = Object.values(filters).some((v) => v !== undefined);
  const activeCount = (
    ['under', 'status', 'state', 'source', 'category', 'severity', 'from', 'to'] as const
  ).filter((k) => filters[k] !== undefined).length;

  return (
    <>
      <PageHeader title={f('fd.title')} crumbs={[{ title: t('nav.findingsGroup') }]} extra={toolbar} />
      {filters.sourceType && filters.sourceId ? (
        <Alert
          type="info"
          showIcon
          className="block-gap"
          title={f('fd.fromSourceHint', { kind: sourceTypeLabel(filters.sourceType, lang) })}
          action={
            <Space wrap>
              {sourceLink ? (
                <Link to={sourceLink} data-testid="finding-source-link">
                  {f('fd.openSource')}
                </Link>
              ) : null}
              <Button size="small" onClick={() => setFilters({ sourceType: undefined, sourceId: undefined })}>
                {f('fd.showAll')}
              </Button>
            </Space>
          }
          data-testid="finding-source-filter"
        />
      ) : null}
      {filters.noticeId ? (
        <Alert
          type="info"
          showIcon
          className="block-gap"
          title={f('fd.noticeItems')}
          action={
            <Space wrap>
              <Link to={`/findings/notices/${filters.noticeId}`}>{f('fd.printNotice')}</Link>
              <Button size="small" onClick={() => setFilters({ noticeId: undefined })}>
                {f('fd.showAll')}
              </Button>
            </Space>
          }
        />
      ) : null}
      <Card size="small">
        <div className="filter-bar">
          <Input.Search
            allowClear
            placeholder={f('fd.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setFilters({ q: v.trim() || undefined })}
            className="filter-search"
            maxLength={64}
            enterButton
            data-testid="finding-search"
          />
          {showMore ? (
            <>
              {atSchool ? null : (
                <UnitTreeSelect
                  value={filters.under}
                  onChange={(v) => setFilters({ under: v })}
                  placeholder={f('fd.unitFilter')}
                  className="filter-unit"
                  data-testid="finding-filter-unit"
                />
              )}
              <Select
                allowClear
                placeholder={f('fd.state')}
                value={filters.state}
                onChange={(v?: State) => setFilters({ state: v })}
                options={STATES.map((s) => ({ value: s, label: f(`fd.state.${s}`) }))}
                className="filter-select"
                data-testid="finding-filter-state"
              />
              <Select
                allowClear
                placeholder={f('fd.status')}
                value={filters.status}
                onChange={(v?: FindingStatus) => setFilters({ status: v })}
                options={FINDING_STATUSES.map((s) => ({
                  value: s,
                  label: label(findingStatusLabels, s, lang),
                }))}
                className="filter-select"
                data-testid="finding-filter-status"
              />
              <Select
                allowClear
                placeholder={f('fd.severity')}
                value={filters.severity}
                onChange={(v?: FindingSeverity) => setFilters({ severity: v })}
                options={FINDING_SEVERITIES.map((s) => ({
                  value: s,
                  label: label(findingSeverityLabels, s, lang),
                }))}
                className="finding-filter-narrow"
                data-testid="finding-filter-severity"
              />
              <Select
                allowClear
                placeholder={f('fd.source')}
                value={filters.source}
                onChange={(v?: FindingSource) => setFilters({ source: v })}
                options={FINDING_SOURCES.map((s) => ({
                  value: s,
                  label: label(findingSourceLabels, s, lang),
                }))}
                className="filter-select"
                popupMatchSelectWidth={false}
                data-testid="finding-filter-source"
              />
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={f('fd.category')}
                value={filters.category}
                onChange={(v?: FindingCategory) => setFilters({ category: v })}
                options={FINDING_CATEGORIES.map((c) => ({
                  value: c,
                  label: label(findingCategoryLabels, c, lang),
                }))}
                className="filter-select"
                popupMatchSelectWidth={false}
                data-testid="finding-filter-category"
              />
              <Space.Compact className="filter-range finding-filter-dates" data-testid="finding-filter-dates">
                <Input
                  type="date"
                  aria-label={f('fd.from')}
                  title={f('fd.from')}
                  value={filters.from ?? ''}
                  max={filters.to ?? chinaToday()}
                  onChange={(e) => setFilters({ from: e.target.value || undefined })}
                />
                <Input
                  type="date"
                  aria-label={f('fd.to')}
                  title={f('fd.to')}
                  value={filters.to ?? ''}
                  min={filters.from}
                  onChange={(e) => setFilters({ to: e.target.value || undefined })}
                />
              </Space.Compact>
            </>
          ) : null}
          {isMobile ? (
            <Button
              icon={<FilterOutlined />}
              type={moreOpen ? 'primary' : 'default'}
              ghost={moreOpen}
              onClick={() => setMoreOpen((v) => !v)}
              data-testid="finding-filter-toggle"
            >
              {f('fd.filters')}
              {activeCount > 0 ? ` (${activeCount})` : ''}
            </Button>
          ) : null}
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setTick((n) => n + 1)}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
          {anyFilter ? (
            <Button onClick={() => setParams({})} data-testid="finding-filter-reset">
              {t('common.reset')}
            </Button>
          ) : null}
        </div>
        {selected.length > 0 ? (
          <div className="finding-selection-bar">
            <Typography.Text>{f('fd.selectedN', { n: selected.length })}</Typography.Text>
            {selectedUnits.size > 1 ? (
              <Typography.Text type="danger">{f('fd.selectOneUnit')}</Typography.Text>
            ) : null}
            <Button size="small" type="link" onClick={() => setSelected([])}>
              {t('common.cancel')}
            </Button>
          </div>
        ) : null}
        <FindingList
          items={data?.items ?? []}
          loading={loading}
          hideUnit={atSchool}
          selection={
            me.access.raiseFindings
              ? { selected, onChange: (ids) => setSelected(ids), selectable: (it) => it.can.notify }
              : undefined
          }
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('common.total', { n: total }),
            onChange: setPaging,
          }}
        />
      </Card>
      {raising ? (
        <RaiseDrawer
          onClose={() => setRaising(false)}
          onSaved={(finding) => {
            setRaising(false);
            void navigate(`/findings/${finding.id}`);
          }}
        />
      ) : null}
      {noticeOpen && canIssue ? (
        <NoticeModal
          findings={selectedRows}
          onClose={() => setNoticeOpen(false)}
          onIssued={(notice) => {
            setNoticeOpen(false);
            setSelected([]);
            feedback.success(f('fd.noticeIssued', { no: notice.no }));
            void navigate(`/findings/notices/${notice.id}`);
          }}
        />
      ) : null}
    </>
  );
}

function NoticeModal({
  findings,
  onClose,
  onIssued,
}: {
  findings: Finding[];
  onClose: () => void;
  onIssued: (notice: Notice) => void;
}) {
  const { t, f } = useFindingI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<{ deadline?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const unitName = findings[0]?.unitName ?? '';

  const issue = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const notice = await api.post<Notice>('/api/findings/notices', {
        findingIds: findings.map((it) => it.id),
        ...(v.deadline ? { deadline: v.deadline } : {}),
        ...(optionalText(v.note) ? { note: optionalText(v.note) } : {}),
      });
      onIssued(notice);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={f('fd.issueNotice')}
      onCancel={onClose}
      onOk={() => void issue().catch(() => undefined)}
      okText={f('fd.issueNotice')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="finding-notice-modal"
    >
      <p>
        {f('fd.recipient')}：<b>{unitName}</b> · {f('fd.selectedN', { n: findings.length })}
      </p>
      <ol className="finding-notice-list">
        {findings.map((it) => (
          <li key={it.id}>
            {it.title} <span className="finding-notice-deadline">（{it.deadline}）</span>
          </li>
        ))}
      </ol>
      <Form form={form} layout="vertical">
        <Form.Item name="deadline" label={f('fd.noticeDeadline')} extra={f('fd.noticeDeadlineHint')}>
          <Input type="date" min={chinaToday()} />
        </Form.Item>
        <Form.Item name="note" label={f('fd.noticeNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
