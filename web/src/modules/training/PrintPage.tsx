/**
 * /training/print/:sheet — the print views of the training tables, on A4, with the same filters as the page
 * they come from (in the address): the registry (培训机构名册), the published white and black lists
 * (白名单/黑名单公示), the compliance table per county and the closures/bans/conversions per county. The
 * matching .xlsx comes from the same filters through the export routes.
 */
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import {
  complianceAspectLabels,
  label,
  listStatusLabels,
  trainingCategoryLabels,
  trainingStatusLabels,
  trainingSubTypeLabels,
  type ComplianceReport,
  type ComplianceRow,
  type InstitutionPage,
  type InstitutionSummary,
  type LifecycleRow,
  type LifecycleStats,
  type Unit,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { NotFound } from '../errors/index.tsx';
import { useTrainingI18n } from './messages.ts';
import { PrintSheet, zhDate, type PrintColumn } from '../../app/PrintSheet.tsx';
import { pct } from './shared.tsx';
import './training.css';

const SHEETS = ['registry', 'white', 'black', 'compliance', 'lifecycle'] as const;
const FILTERS = [
  'unitId',
  'q',
  'category',
  'status',
  'list',
  'compliant',
  'aspect',
  'supervised',
  'published',
  'movedTo',
  'from',
  'to',
];
const ASPECTS = ['org', 'venue', 'staff', 'docs', 'funds', 'all'] as const;

/** Every page of the list (a print view holds the whole list). */
async function allInstitutions(query: Record<string, string>): Promise<InstitutionSummary[]> {
  const out: InstitutionSummary[] = [];
  for (let page = 1; page <= 100; page++) {
    const p = await api.get<InstitutionPage>('/api/training/institutions', { ...query, page, pageSize: 500 });
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) break;
  }
  return out;
}

type Data =
  | { kind: 'list'; rows: InstitutionSummary[] }
  | { kind: 'compliance'; report: ComplianceReport }
  | { kind: 'lifecycle'; stats: LifecycleStats };

export default function PrintPage() {
  const { sheet = '' } = useParams();
  const [params] = useSearchParams();
  const { m, lang } = useTrainingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [data, setData] = useState<Data | null>(null);
  const [issuer, setIssuer] = useState(me.unit.name);
  const known = (SHEETS as readonly string[]).includes(sheet);
  const query = Object.fromEntries(FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const key = JSON.stringify(query);
  const today = chinaToday();

  useEffect(() => {
    if (!known) return;
    const q = JSON.parse(key) as Record<string, string>;
    setData(null);
    if (q.unitId)
      api
        .get<Unit>(`/api/units/${q.unitId}`)
        .then((u) => setIssuer(u.name))
        .catch(() => undefined);
    const load: Promise<Data> =
      sheet === 'compliance'
        ? api
            .get<ComplianceReport>('/api/training/compliance', { unitId: q.unitId })
            .then((report) => ({ kind: 'compliance', report }))
        : sheet === 'lifecycle'
          ? api
              .get<LifecycleStats>('/api/training/lifecycle', { unitId: q.unitId, from: q.from, to: q.to })
              .then((stats) => ({ kind: 'lifecycle', stats }))
          : allInstitutions(sheet === 'registry' ? q : { ...q, list: sheet, published: 'yes' }).then(
              (rows) => ({ kind: 'list', rows }),
            );
    load.then(setData).catch((e: unknown) => feedback.error(e));
  }, [sheet, known, key, feedback]);

  if (!known) return <NotFound />;
  const area = issuer.replace(/教育局$/, '');
  const texts = {
    back: m('print.back'),
    print: m('print.print'),
    issuer: sheet === 'white' || sheet === 'black' ? m('print.publisher') : m('print.issuer'),
    date: sheet === 'white' || sheet === 'black' ? m('print.publishDate') : m('print.date'),
    empty: m('print.empty'),
  };
  const cat = (r: InstitutionSummary) =>
    label(trainingCategoryLabels, r.category, lang) +
    (r.subType ? ` · ${label(trainingSubTypeLabels, r.subType, lang)}` : '');

  if (sheet === 'compliance') {
    const report = data?.kind === 'compliance' ? data.report : null;
    const name = (a: (typeof ASPECTS)[number]) =>
      a === 'all' ? m('comp.all') : label(complianceAspectLabels, a, lang);
    const columns: PrintColumn<ComplianceRow>[] = [
      {
        title: m('print.county'),
        width: '16%',
        render: (r) => (r.unitId ? r.unitName : <b>{r.unitName}</b>),
      },
      { title: m('comp.total'), align: 'center', render: (r) => r.total },
      ...ASPECTS.map((a): PrintColumn<ComplianceRow> => ({
        title: name(a),
        align: 'center',
        render: (r) => `${r[a]}（${pct(r[a], r.total)}）`,
      })),
    ];
    return (
      <PrintSheet
        title={m('print.complianceTitle', { area, date: zhDate(today) })}
        issuer={issuer}
        date={today}
        note={m('print.complianceNote')}
        columns={columns}
        rows={report ? [...report.rows, report.total] : []}
        rowKey={(r) => r.unitId ?? 'total'}
        loading={!report}
        texts={texts}
      />
    );
  }

  if (sheet === 'lifecycle') {
    const stats = data?.kind === 'lifecycle' ? data.stats : null;
    const n = (s: string) => stats?.counts[s] ?? 0;
    const total: LifecycleRow = {
      unitId: null,
      unitName: m('print.total'),
      closed: n('closed'),
      banned: n('banned'),
      converted: n('converted'),
    };
    const columns: PrintColumn<LifecycleRow>[] = [
      {
        title: m('print.county'),
        width: '30%',
        render: (r) => (r.unitId ? r.unitName : <b>{r.unitName}</b>),
      },
      { title: label(trainingStatusLabels, 'closed', lang), align: 'center', render: (r) => r.closed },
      { title: label(trainingStatusLabels, 'banned', lang), align: 'center', render: (r) => r.banned },
      { title: label(trainingStatusLabels, 'converted', lang), align: 'center', render: (r) => r.converted },
      { title: m('print.total'), align: 'center', render: (r) => r.closed + r.banned + r.converted },
    ];
    const from = query.from ?? stats?.from ?? today;
    const to = query.to ?? stats?.to ?? today;
    return (
      <PrintSheet
        title={m('print.lifecycleTitle', { area, from: zhDate(from), to: zhDate(to) })}
        issuer={issuer}
        date={today}
        columns={columns}
        rows={stats ? [...stats.byUnit, total] : []}
        rowKey={(r) => r.unitId ?? 'total'}
        summary={stats?.sentence}
        loading={!stats}
        landscape={false}
        texts={texts}
      />
    );
  }

  const rows = data?.kind === 'list' ? data.rows : null;
  const seq: PrintColumn<InstitutionSummary> = {
    title: m('print.seq'),
    width: '3.2em',
    align: 'center',
    render: (_r, i) => i + 1,
  };
  const nameCol: PrintColumn<InstitutionSummary> = {
    title: m('inst.name'),
    width: '24%',
    render: (r) => r.name,
  };
  const codeCol: PrintColumn<InstitutionSummary> = {
    title: m('inst.code'),
    width: '13.5em',
    render: (r) => r.creditCode ?? '—',
  };
  const columns: PrintColumn<InstitutionSummary>[] =
    sheet === 'registry'
      ? [
          seq,
          { title: m('inst.county'), width: '11%', render: (r) => r.unitName },
          nameCol,
          codeCol,
          { title: m('inst.category'), render: cat },
          {
            title: m('inst.status'),
            width: '6em',
            render: (r) => label(trainingStatusLabels, r.status, lang),
          },
          { title: m('inst.list'), width: '5em', render: (r) => label(listStatusLabels, r.list, lang) },
          {
            title: m('inst.compliance'),
            width: '22%',
            render: (r) =>
              r.compliance.all
                ? m('inst.compliant')
                : r.compliance.problems.map((p) => (lang === 'zh' ? p.zh : p.en)).join('；'),
          },
        ]
      : sheet === 'white'
        ? [
            seq,
            nameCol,
            codeCol,
            { title: m('inst.category'), render: cat },
            { title: m('inst.licenceTo'), width: '8em', render: (r) => r.licenceTo ?? '—' },
            { title: m('inst.county'), width: '14%', render: (r) => r.unitName },
          ]
        : [
            seq,
            nameCol,
            codeCol,
            { title: m('inst.category'), render: cat },
            {
              title: m('inst.status'),
              width: '6em',
              render: (r) => label(trainingStatusLabels, r.status, lang),
            },
            { title: m('inst.county'), width: '14%', render: (r) => r.unitName },
          ];
  const month = zhDate(today, true);
  const title =
    sheet === 'registry'
      ? m('print.registryTitle', { area, date: zhDate(today) })
      : m(sheet === 'white' ? 'print.whiteTitle' : 'print.blackTitle', { area, month });
  return (
    <PrintSheet
      title={title}
      issuer={issuer}
      date={today}
      note={rows ? m('print.count', { n: rows.length }) : undefined}
      columns={columns}
      rows={rows ?? []}
      rowKey={(r) => r.id}
      loading={!rows}
      texts={texts}
    />
  );
}
