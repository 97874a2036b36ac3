/**
 * Says which field an unrecognised column holds (POST /api/imports/:id/mapping). The server remembers the
 * names for the unit's later uploads and checks the file again.
 */
import { useState } from 'react';
import { Button, Select, Typography } from 'antd';
import type { ImportJob, ImportMapping } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { importUrls } from '../api.ts';
import { useImportFields } from '../useFields.ts';

interface Props {
  job: ImportJob;
  /** The job as the server answers (validating again). */
  onMapped: (job: ImportJob) => void;
}

export function ColumnMapper({ job, onMapped }: Props) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const fields = useImportFields(job.kind);
  const [choice, setChoice] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState(false);
  const header = job.header;
  if (!header || header.unknown.length === 0) return null;

  const taken = new Set([...header.mapped.map((m) => m.field), ...Object.values(choice)]);
  const missing = new Set(header.missingRequired);
  // Missing required fields first: they are what the user most likely needs.
  const free = (fields ?? [])
    .filter((f) => !header.mapped.some((m) => m.field === f.key))
    .sort((a, b) => Number(missing.has(b.label)) - Number(missing.has(a.label)));
  const chosen = Object.entries(choice).filter((e): e is [string, string] => Boolean(e[1]));

  const apply = async () => {
    setBusy(true);
    try {
      const body: ImportMapping = { columns: chosen.map(([column, field]) => ({ header: column, field })) };
      onMapped(await api.post<ImportJob>(importUrls.mapping(job.id), body));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="import-mapper" data-testid="import-mapper">
      <Typography.Paragraph type="secondary" className="import-section-note">
        {t('imp.mapperHint')}
      </Typography.Paragraph>
      {header.unknown.map((column) => (
        <div key={column} className="import-mapper-row">
          <span className="import-mapper-column" title={column}>
            {column}
          </span>
          <span className="import-mapper-arrow">→</span>
          <Select
            allowClear
            placeholder={t('imp.mapperIgnore')}
            value={choice[column]}
            onChange={(v: string | undefined) => setChoice((c) => ({ ...c, [column]: v }))}
            options={free.map((f) => ({
              value: f.key,
              label: missing.has(f.label) ? `${f.label}（${t('imp.required')}）` : f.label,
              disabled: taken.has(f.key) && choice[column] !== f.key,
            }))}
            loading={!fields}
            className="import-mapper-select"
            data-testid="import-mapper-select"
          />
        </div>
      ))}
      <div className="import-actions">
        <Button
          type="primary"
          disabled={chosen.length === 0}
          loading={busy}
          onClick={() => void apply()}
          data-testid="import-mapper-apply"
        >
          {t('imp.mapperApply')}
        </Button>
      </div>
    </div>
  );
}
