/** Small pieces shared by the inspector pages: loading a resource, school options, tags. */
import { Tag } from 'antd';
import {
  coverageStateLabels,
  label,
  opinionStateLabels,
  type CoverageState,
  type Lang,
  type OpinionState,
  type TermList,
  type UnitPage,
} from '@dudao/contracts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

import { useResource } from '../../../app/useResource.ts';

export { useResource };

/** The schools the user sees (an inspector: the assigned ones), for selects. */
export function useSchoolOptions(enabled = true) {
  const r = useResource<UnitPage>(enabled ? '/api/units' : null, {
    kind: 'school',
    status: 'active',
    pageSize: 500,
  });
  return (r.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));
}

export function useTerms() {
  return useResource<TermList>('/api/inspectors/terms').data;
}

const OPINION_COLORS: Record<OpinionState, string> = {
  rectifying: 'orange',
  returned: 'red',
  submitted: 'blue',
  closing: 'gold',
  done: 'green',
};
export function OpinionStateTag({ state, lang }: { state: OpinionState; lang: Lang }) {
  return <Tag color={OPINION_COLORS[state]}>{label(opinionStateLabels, state, lang)}</Tag>;
}

const COVERAGE_COLORS: Record<CoverageState, string> = { complete: 'green', on_track: 'blue', behind: 'red' };
export function CoverageTag({ state, lang }: { state: CoverageState; lang: Lang }) {
  return <Tag color={COVERAGE_COLORS[state]}>{label(coverageStateLabels, state, lang)}</Tag>;
}

/** A v4 uuid for a new record made on this device (the server takes it as the record's id). */
export function newId(): string {
  // randomUUID exists only in secure contexts (https, localhost); a school intranet may serve plain http.
  const c: Partial<Crypto> & Pick<Crypto, 'getRandomValues'> = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
