/** The columns an import kind recognises (GET /api/imports/fields/:kind), loaded once per page load. */
import { useEffect, useState } from 'react';
import type { ImportField, ImportFields, ImportKind } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { importUrls } from './api.ts';

const cache = new Map<ImportKind, Promise<ImportField[]>>();

function load(kind: ImportKind): Promise<ImportField[]> {
  let fields = cache.get(kind);
  if (!fields) {
    fields = api.get<ImportFields>(importUrls.fields(kind)).then((body) => body.fields);
    // A failure is not remembered: the next page asks again.
    fields.catch(() => cache.delete(kind));
    cache.set(kind, fields);
  }
  return fields;
}

/** null while loading (or after a failure, which is shown). */
export function useImportFields(kind: ImportKind): ImportField[] | null {
  const feedback = useFeedback();
  const [fields, setFields] = useState<ImportField[] | null>(null);
  useEffect(() => {
    let live = true;
    load(kind).then(
      (f) => {
        if (live) setFields(f);
      },
      (err: unknown) => {
        if (live) feedback.error(err);
      },
    );
    return () => {
      live = false;
    };
  }, [kind, feedback]);
  return fields;
}
