/**
 * 批量导入: the import wizard and the history of imports of one kind. The page is the same for every
 * kind; /students/import shows it for students.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { importKindLabels, label, type ImportJob, type ImportKind } from '@dudao/contracts';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { ImportHistory } from './components/ImportHistory.tsx';
import { ImportWizard } from './components/ImportWizard.tsx';
import { IMPORT_TARGETS } from './kinds.ts';
import './imports.css';

/** `intro`: a note of the kind's own, shown above the wizard. */
export function ImportPage({ kind, intro }: { kind: ImportKind; intro?: ReactNode }) {
  const { t, lang } = useI18n();
  const [, setSearchParams] = useSearchParams();
  const [shown, setShown] = useState<{ id: string | null; status: string | null }>({
    id: null,
    status: null,
  });
  const target = IMPORT_TARGETS[kind];
  const kindLabel = label(importKindLabels, kind, lang);

  const onJobChange = useCallback(
    (job: ImportJob | null) => setShown({ id: job?.id ?? null, status: job?.status ?? null }),
    [],
  );
  const open = (id: string) => {
    setSearchParams({ job: id });
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  return (
    <>
      <PageHeader
        title={t('imp.title', { kind: kindLabel })}
        crumbs={[{ title: kindLabel, to: target.listPath }]}
      />
      {intro}
      <ImportWizard kind={kind} listPath={target.listPath} listTitle={kindLabel} onJobChange={onJobChange} />
      <ImportHistory
        kind={kind}
        refreshKey={`${shown.id ?? ''}:${shown.status ?? ''}`}
        currentId={shown.id}
        onOpen={open}
      />
    </>
  );
}

export default function StudentImportPage() {
  return <ImportPage kind="students" />;
}
