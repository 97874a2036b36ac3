/** Where each import kind belongs in the app: the list its rows land in (for the breadcrumb and 返回). */
import type { ImportKind } from '@dudao/contracts';

export interface ImportTarget {
  /** The page listing what the import loads. */
  listPath: string;
}

export const IMPORT_TARGETS: Record<ImportKind, ImportTarget> = {
  students: { listPath: '/students' },
  attendance: { listPath: '/attendance' },
};
