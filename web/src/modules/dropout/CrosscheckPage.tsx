/**
 * 四查三比对: upload a 户籍 / 脱贫户 list for a county (or the city), see every person's category per county
 * and town, and drill down to the persons behind any number. Lists compared before are listed below.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import {
  CROSSCHECK_CATEGORIES,
  crosscheckCategoryLabels,
  label,
  type CrosscheckCategory,
  type CrosscheckResult,
  type PopulationPersonPage,
} from '@dudao/contracts';
import { ApiError, api, csrfHeader } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { chinaToday } from '../../app/dates.ts';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { useDropoutI18n } from './messages.ts';
import './dropout.css';

interface ListSummary {
  id: string;
  unitName: string;
  kind: 'hukou' | 'poverty';
  fileName: string;
  asOf: string;
  counts: CrosscheckResult['counts'];
  createdAt: string;
}

async function upload(file: File, unitId: string, dryRun: boolean, asOf: string): Promise<CrosscheckResult> {
  const res = await fetch(`/api/dropout/crosscheck?unitId=${unitId}&dryRun=${dryRun}&asOf=${asOf}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      accept: 'application/json',
      'x-file-name': encodeURIComponent(file.name),
      ...csrfHeader(),
    },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, body.code ?? 'ERROR', body.message ?? String(res.status));
  return body as unknown as CrosscheckResult;
}

export default function CrosscheckPage() {
  const { d, lang } = useDropoutI18n();
  const me = useMe();
  const feedback = useFeedback();
  const [unitId, setUnitId] = useState<string>(me.unit.id);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [asOf, setAsOf] = useState(chinaToday());
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CrosscheckResult | null>(null);
  const [lists, setLists] = useState<ListSummary[]>([]);
  const [drill, setDrill] = useState<{ category: CrosscheckCategory; county?: string; town?: string } | null>(
    null,
  );
  const [persons, setPersons] = useState<PopulationPersonPage | null>(null);
  const [page, setPage] = useState(1);

  const loadLists = useCallback(() => {
    api
      .get<ListSummary[]>('/api/dropout/population-lists')
      .then(setLists)
      .catch((e: unknown) => feedback.error(e));
  }, [feedback]);
  useEffect(loadLists, [loadLists]);

  useEffect(() => {
    if (!drill || !result?.listId) return setPersons(null);
    api
      .get<PopulationPersonPage>(`/api/dropout/population-lists/${result.listId}/persons`, {
        ...drill,
        page,
        pageSize: 50,
      })
      .then(setPersons)
      .catch((e: unknown) => feedback.error(e));
  }, [drill, page, result, feedback]);

  const run = () => {
    if (!file) return;
    setBusy(true);
    upload(file, unitId, dryRun, asOf)
      .then((r) => {
        setResult(r);
        setDrill(null);
        loadLists();
      })
      .catch((e: unknown) => feedback.error(e))
      .finally(() => setBusy(false));
  };

  type Area = CrosscheckResult['counties'][number] & {
    key: string;
    county?: string;
    town?: string;
    children?: Area[];
  };
  const rows: Area[] = (result?.counties ?? []).map((c) => ({
    ...c,
    key: `c${c.code}`,
    county: c.code,
    children: c.towns.map((t) => ({
      ...t,
      towns: [],
      key: `t${c.code}${t.code}`,
      county: c.code,
      town: t.code,
    })),
  }));
  const num = (n: number, category: CrosscheckCategory, a: Area) =>
    n && result?.listId ? (
      <a
        onClick={() => {
          setPage(1);
          setDrill({ category, county: a.county, ...(a.town !== undefined ? { town: a.town } : {}) });
        }}
      >
        {n}
      </a>
    ) : (
      <span className={category === 'povertyDropout' && n > 0 ? 'dropout-red' : undefined}>{n}</span>
    );

  return (
    <div>
      <PageHeader title={d('cc.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <UnitTreeSelect
              value={unitId}
              onChange={(v) => setUnitId(v ?? me.unit.id)}
              allowClear={false}
              knownNames={{ [me.unit.id]: me.unit.name }}
              placeholder={d('cc.unit')}
              className="dropout-filter"
            />
            <Input
              type="date"
              aria-label={d('cc.asOf')}
              value={asOf}
              onChange={(e) => setAsOf(e.target.value)}
              style={{ width: 160 }}
            />
          </Space>
          <Typography.Text type="secondary">{d('cc.file')}</Typography.Text>
          <input
            type="file"
            accept=".xlsx,.csv"
            data-testid="crosscheck-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Space wrap>
            <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
              {d('cc.dryRun')}
            </Checkbox>
            <Button type="primary" disabled={!file} loading={busy} onClick={run} data-testid="crosscheck-run">
              {d('cc.run')}
            </Button>
          </Space>
        </Space>
      </Card>
      {result ? (
        <Card
          size="small"
          style={{ marginTop: 12 }}
          title={`${result.fileName} · ${d(`cc.kind.${result.kind}`)}`}
          extra={<Tag>{d('cc.ages', { min: result.ageMin, max: result.ageMax })}</Tag>}
        >
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            scroll={{ x: 900 }}
            dataSource={rows}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{result.dryRun ? d('cc.dryRun') : '合计'}</Table.Summary.Cell>
                <Table.Summary.Cell index={1}>{result.counts.listed}</Table.Summary.Cell>
                {CROSSCHECK_CATEGORIES.map((c, i) => (
                  <Table.Summary.Cell index={i + 2} key={c}>
                    <span data-testid={`cc-total-${c}`}>{result.counts[c]}</span>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            )}
            columns={[
              { title: d('cc.area'), dataIndex: 'name', fixed: 'left' },
              { title: d('cc.listed'), dataIndex: 'listed' },
              ...CROSSCHECK_CATEGORIES.map((c) => ({
                title: label(crosscheckCategoryLabels, c, lang),
                dataIndex: c,
                render: (n: number, a: Area) => num(n, c, a),
              })),
            ]}
          />
          {result.rowErrors.length ? (
            <Alert
              style={{ marginTop: 8 }}
              type="warning"
              message={`${d('cc.errors')}：${result.rowErrors
                .slice(0, 10)
                .map((e) => `第${e.row}行 ${e.message}`)
                .join('；')}`}
            />
          ) : null}
        </Card>
      ) : null}
      {persons && drill ? (
        <Card
          size="small"
          style={{ marginTop: 12 }}
          title={`${d('cc.persons')} · ${label(crosscheckCategoryLabels, drill.category, lang)}`}
        >
          <Table
            size="small"
            rowKey="rowNo"
            dataSource={persons.items}
            scroll={{ x: 700 }}
            pagination={{
              current: page,
              pageSize: 50,
              total: persons.total,
              onChange: setPage,
              hideOnSinglePage: true,
            }}
            columns={[
              { title: '#', dataIndex: 'rowNo', width: 60 },
              { title: d('cs.student'), dataIndex: 'name' },
              { title: d('cc.idNumber'), dataIndex: 'idNumber' },
              { title: d('cc.area'), dataIndex: 'townName' },
              { title: d('cc.school'), dataIndex: 'schoolName' },
              { title: d('cc.noteCol'), dataIndex: 'note' },
            ]}
          />
        </Card>
      ) : null}
      <Card size="small" style={{ marginTop: 12 }} title={d('cc.history')}>
        <Table
          size="small"
          rowKey="id"
          dataSource={lists}
          pagination={false}
          scroll={{ x: 700 }}
          columns={[
            { title: d('cc.asOf'), dataIndex: 'asOf' },
            { title: d('cc.unit'), dataIndex: 'unitName' },
            { title: d('cc.file').slice(0, 4), dataIndex: 'fileName' },
            { title: d('cc.listed'), render: (_, l) => l.counts.listed },
            {
              title: label(crosscheckCategoryLabels, 'povertyDropout', lang),
              render: (_, l) => (
                <span className={l.counts.povertyDropout ? 'dropout-red' : undefined}>
                  {l.counts.povertyDropout}
                </span>
              ),
            },
            {
              title: '',
              render: (_, l) => (
                <a
                  onClick={() =>
                    void api
                      .get<CrosscheckResult>(`/api/dropout/population-lists/${l.id}`)
                      .then((r) => {
                        setResult(r);
                        setDrill(null);
                      })
                      .catch((e: unknown) => feedback.error(e))
                  }
                >
                  {d('cc.open')}
                </a>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
