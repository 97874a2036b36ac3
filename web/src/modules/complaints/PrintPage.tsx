/**
 * /complaints/print — the inbox's list (工单台账) with the same filters as the address, as an A4 document:
 * "XX群众诉求办理台账", the issuing unit and date, a framed table whose header repeats on every page. Phones
 * and names are not printed (the xlsx ledger masks them too).
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  complaintCategoryLabels,
  complaintChannelLabels,
  complaintStatusLabels,
  label,
  satisfactionLabels,
  type ComplaintPage,
  type ComplaintSummary,
  type Unit,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PrintSheet, type PrintColumn } from '../../app/PrintSheet.tsx';
import { useComplaintI18n } from './messages.ts';

const FILTERS = ['under', 'status', 'state', 'channel', 'category', 'from', 'to', 'q'] as const;

export default function PrintPage() {
  const { m, lang } = useComplaintI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [params] = useSearchParams();
  const [rows, setRows] = useState<ComplaintSummary[] | null>(null);
  const [issuer, setIssuer] = useState(me.unit.name);
  const query = Object.fromEntries(FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const key = JSON.stringify(query);

  useEffect(() => {
    const q = JSON.parse(key) as Record<string, string>;
    setRows(null);
    if (q.under)
      api
        .get<Unit>(`/api/units/${q.under}`)
        .then((u) => setIssuer(u.name))
        .catch(() => undefined);
    (async () => {
      const out: ComplaintSummary[] = [];
      for (let page = 1; page <= 20; page++) {
        const p = await api.get<ComplaintPage>('/api/complaints', { ...q, page, pageSize: 500 });
        out.push(...p.items);
        if (out.length >= p.total || p.items.length === 0) break;
      }
      return out;
    })()
      .then(setRows)
      .catch((e: unknown) => feedback.error(e));
  }, [key, feedback]);

  const columns: PrintColumn<ComplaintSummary>[] = [
    { title: m('pr.seq'), width: '3.2em', align: 'center', render: (_r, i) => i + 1 },
    { title: m('pr.trackingNo'), width: '12.5em', render: (r) => r.trackingNo },
    {
      title: m('c.category'),
      width: '6.5em',
      render: (r) => label(complaintCategoryLabels, r.category, lang),
    },
    {
      title: m('c.title'),
      render: (r) => (
        <>
          {r.title}
          <div className="print-sheet-sub">
            {label(complaintChannelLabels, r.channel, lang)}
            {r.subjectName ? ` · ${r.subjectName}` : ''}
          </div>
        </>
      ),
    },
    { title: m('c.unit'), width: '11%', render: (r) => r.unitName },
    { title: m('c.received'), width: '7.5em', render: (r) => r.receivedOn },
    { title: m('c.deadline'), width: '7.5em', render: (r) => r.deadline },
    { title: m('pr.replied'), width: '7.5em', render: (r) => r.repliedOn ?? '' },
    {
      title: m('c.status'),
      width: '5.5em',
      render: (r) =>
        label(complaintStatusLabels, r.status, lang) + (r.overdue ? `（${m('c.overdue')}）` : ''),
    },
    {
      title: m('c.satisfaction'),
      width: '5.5em',
      render: (r) => (r.satisfaction ? label(satisfactionLabels, r.satisfaction, lang) : ''),
    },
  ];
  const today = chinaToday();
  const period = query.from || query.to ? `${query.from ?? ''} ~ ${query.to ?? ''}` : '';
  return (
    <PrintSheet
      title={m('pr.title', { unit: issuer })}
      issuer={issuer}
      date={today}
      note={
        rows
          ? m('pr.count', { n: rows.length, period: period ? m('pr.period', { p: period }) : '' })
          : undefined
      }
      columns={columns}
      rows={rows ?? []}
      rowKey={(r) => r.id}
      loading={!rows}
      texts={{
        back: m('pr.back'),
        print: m('pr.print'),
        issuer: m('pr.issuer'),
        date: m('pr.date'),
        empty: m('c.empty'),
      }}
    />
  );
}
