/**
 * Detection thresholds and risk weights. A bureau (city or county) sets some or all of them for its region;
 * a school takes, for each value, the nearest bureau's, else the default below. No national figure exists
 * (local rules range from 3 school days to 4 weeks), so the defaults are a starting point.
 */
import type { DropoutSettings } from '@dudao/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { settingsOf } from './dropout.repository.js';

export const DEFAULT_SETTINGS: DropoutSettings = {
  consecutiveDays: 3,
  totalDays: 5,
  windowDays: 30,
  transferDays: 15,
  noSheetDays: 5,
  returnDays: 3,
  riskWeights: {
    unexcused: 10,
    excused: 2,
    late: 1,
    overAge: 15,
    poverty: 10,
    leftBehind: 10,
    disabled: 5,
    migrant: 5,
  },
  riskHigh: 40,
  // 四步法 time limits in calendar days: a written order (责令限期复学) states a calendar deadline.
  persuadeDays: 15,
  orderDays: 15,
  penaltyDays: 30,
  lawsuitDays: 90,
  ageMin: 6,
  ageMax: 15,
};

/** The time limit of a step of 四步法, in calendar days. */
export function stepDays(s: DropoutSettings, step: number): number {
  return [s.persuadeDays, s.orderDays, s.penaltyDays, s.lawsuitDays][step - 1] ?? s.persuadeDays;
}

type Partial = Omit<globalThis.Partial<DropoutSettings>, 'riskWeights'> & {
  riskWeights?: globalThis.Partial<DropoutSettings['riskWeights']>;
};

/** Applies overrides, root first, over the defaults. */
export function mergeSettings(layers: (Partial | null | undefined)[]): DropoutSettings {
  let out: DropoutSettings = { ...DEFAULT_SETTINGS, riskWeights: { ...DEFAULT_SETTINGS.riskWeights } };
  for (const l of layers) {
    if (!l) continue;
    const { riskWeights, ...rest } = l;
    out = { ...out, ...rest, riskWeights: { ...out.riskWeights, ...(riskWeights ?? {}) } };
  }
  return out;
}

/** The effective settings for units given by path, and the own settings of every unit on those paths. */
export async function effectiveSettings(
  db: Kysely<DB>,
  paths: string[],
): Promise<{ byPath: Map<string, DropoutSettings>; own: Map<string, Partial> }> {
  const ids = new Set<string>();
  for (const p of paths) for (const id of p.split('/').filter(Boolean)) ids.add(id);
  const rows = await settingsOf(db, [...ids]);
  const own = new Map(rows.map((r) => [r.unit_id, r.settings as Partial]));
  const byPath = new Map<string, DropoutSettings>();
  for (const p of paths)
    byPath.set(
      p,
      mergeSettings(
        p
          .split('/')
          .filter(Boolean)
          .map((id) => own.get(id)),
      ),
    );
  return { byPath, own };
}
