import { describe, expect, it } from 'vitest';
import { aggregate, complianceOf, type ComplianceFacts } from './training.compliance.js';
import { DEFAULT_RULES, violationsOf, type InstitutionFacts, type OrderFacts } from './training.prepaid.js';

const inst = (p: Partial<InstitutionFacts> = {}): InstitutionFacts => ({
  category: 'non_subject',
  custody_account: '6217000000000001',
  custody_balance_cents: '0',
  reserve_cents: null,
  owed_cents: '0',
  required_cents: '0',
  credit_code: null,
  ...p,
});
const order = (p: Partial<OrderFacts> = {}): OrderFacts => ({
  order_no: 'A-1',
  amount_cents: 100_000,
  class_hours: 20,
  covers_months: 1,
  refunded: false,
  ...p,
});
const rules = (o: OrderFacts[], i = inst(), r = DEFAULT_RULES) =>
  violationsOf(i, o, r).map((v) => `${v.rule}:${v.subject}`);

describe('prepaid rules (预收费)', () => {
  it('allows exactly 60 class hours and 3 months; 61 hours or 4 months is a violation', () => {
    expect(rules([order({ class_hours: 60, covers_months: 3 })])).toEqual([]);
    expect(rules([order({ class_hours: 61 })])).toEqual(['period:A-1']);
    expect(rules([order({ covers_months: 4 })])).toEqual(['period:A-1']);
    // Both limits broken at once is still one violation of the rule for that order.
    expect(rules([order({ class_hours: 100, covers_months: 12 })])).toEqual(['period:A-1']);
  });
  it('allows a non-subject charge of exactly 5,000 yuan; one fen more is a violation; subject training is not capped by amount', () => {
    expect(rules([order({ amount_cents: 500_000 })])).toEqual([]);
    expect(rules([order({ amount_cents: 500_001 })])).toEqual(['amount:A-1']);
    expect(rules([order({ amount_cents: 800_000 })], inst({ category: 'subject' }))).toEqual([]);
  });
  it('ignores refunded orders and reports one violation per order and rule', () => {
    expect(rules([order({ class_hours: 90, refunded: true })])).toEqual([]);
    expect(
      rules([
        order({ order_no: 'A-1', class_hours: 90, amount_cents: 900_000 }),
        order({ order_no: 'A-2', covers_months: 6 }),
      ]),
    ).toEqual(['period:A-1', 'amount:A-1', 'period:A-2']);
  });
  it('flags a custody balance below the fees of untaught hours', () => {
    expect(rules([], inst({ owed_cents: '300000', custody_balance_cents: '300000' }))).toEqual([]);
    expect(rules([], inst({ owed_cents: '300000', custody_balance_cents: '299999' }))).toEqual(['custody:']);
    // A sufficient reserve covers the institution instead.
    expect(
      rules(
        [],
        inst({
          owed_cents: '300000',
          custody_balance_cents: '0',
          reserve_cents: '500000',
          required_cents: '500000',
        }),
      ),
    ).toEqual([]);
  });
  it('flags a reserve below one billing period of all current students when there is no custody account', () => {
    const noCustody = { custody_account: null, custody_balance_cents: null };
    expect(rules([], inst({ ...noCustody, required_cents: '1600000', reserve_cents: '1600000' }))).toEqual(
      [],
    );
    expect(rules([], inst({ ...noCustody, required_cents: '1600000', reserve_cents: '1599999' }))).toEqual([
      'reserve:',
    ]);
    expect(rules([], inst({ ...noCustody, required_cents: '1600000', reserve_cents: null }))).toEqual([
      'reserve:',
    ]);
    // Nothing prepaid and no students: nothing to supervise, no violation.
    expect(rules([], inst({ ...noCustody }))).toEqual([]);
  });
  it('uses the region’s own limits', () => {
    const strict = { ...DEFAULT_RULES, maxHours: 40, maxNonSubjectCents: 300_000 };
    expect(rules([order({ class_hours: 50, amount_cents: 400_000 })], inst(), strict)).toEqual([
      'period:A-1',
      'amount:A-1',
    ]);
  });
});

const good: ComplianceFacts = {
  credit_code: '91350100M000100Y43',
  category: 'non_subject',
  legal_form: 'company',
  licence_no: '教民1',
  licence_from: '2025-01-01',
  licence_to: '2027-01-01',
  venue_count: 1,
  venue_bad: 0,
  teacher_count: 2,
  unchecked: 0,
  uncertified: 0,
  docs_in_force: ['charter', 'fee_publicity', 'fire', 'lease', 'registration', 'school_licence'],
  custody_account: '1',
  custody_balance_cents: '100',
  reserve_cents: null,
  owed_cents: '100',
  required_cents: '5000',
};
const today = '2026-06-01';

describe('compliance per institution (definitions in docs/training.md)', () => {
  it('a complete institution is compliant in every aspect', () => {
    expect(complianceOf(good, today)).toMatchObject({
      org: true,
      venue: true,
      staff: true,
      docs: true,
      funds: true,
      all: true,
      problems: [],
    });
  });
  it('机构合规: a valid code, a licence in force, non-profit subject training', () => {
    expect(complianceOf({ ...good, credit_code: '91350100M000100Y44' }, today).org).toBe(false);
    expect(complianceOf({ ...good, credit_code: null }, today).org).toBe(false);
    expect(complianceOf({ ...good, licence_to: '2026-05-31' }, today).org).toBe(false);
    expect(complianceOf({ ...good, licence_to: today }, today).org).toBe(true);
    expect(complianceOf({ ...good, licence_from: '2026-06-02' }, today).org).toBe(false);
    expect(complianceOf({ ...good, licence_no: null }, today).org).toBe(false);
    expect(complianceOf({ ...good, category: 'subject' }, today).org).toBe(false);
  });
  it('场地合规: at least one venue, every one approved and fire-accepted', () => {
    expect(complianceOf({ ...good, venue_count: 0 }, today).venue).toBe(false);
    expect(complianceOf({ ...good, venue_count: 3, venue_bad: 1 }, today).venue).toBe(false);
  });
  it('人员合规: at least one teacher, every teacher checked, subject teachers certified', () => {
    expect(complianceOf({ ...good, teacher_count: 0 }, today).staff).toBe(false);
    expect(complianceOf({ ...good, unchecked: 1 }, today).staff).toBe(false);
    expect(complianceOf({ ...good, uncertified: 1 }, today).staff).toBe(false);
  });
  it('材料合规: every required document present and in force', () => {
    const c = complianceOf({ ...good, docs_in_force: good.docs_in_force.filter((d) => d !== 'fire') }, today);
    expect(c.docs).toBe(false);
    expect(c.problems[0]!.zh).toContain('消防验收');
  });
  it('资金监管: custody covering what is owed, or a reserve of one billing period', () => {
    expect(complianceOf({ ...good, custody_balance_cents: '99' }, today).funds).toBe(false);
    expect(complianceOf({ ...good, custody_balance_cents: '99', reserve_cents: '5000' }, today).funds).toBe(
      true,
    );
    expect(complianceOf({ ...good, custody_account: null, reserve_cents: null }, today).funds).toBe(false);
  });
  it('aggregates sums (Σ compliant / Σ institutions), never a mean of ratios, and skips unsupervised statuses', () => {
    const ok = complianceOf(good, today);
    const bad = complianceOf({ ...good, venue_bad: 1 }, today);
    const items = [
      { unitId: 'a', unitName: 'A', status: 'operating', compliance: ok },
      { unitId: 'b', unitName: 'B', status: 'operating', compliance: ok },
      { unitId: 'b', unitName: 'B', status: 'operating', compliance: bad },
      { unitId: 'b', unitName: 'B', status: 'rectifying', compliance: bad },
      { unitId: 'b', unitName: 'B', status: 'applied', compliance: ok },
      { unitId: 'a', unitName: 'A', status: 'closed', compliance: bad },
    ];
    const { rows, total } = aggregate(items);
    expect(rows.map((r) => [r.unitName, r.total, r.all, r.venue])).toEqual([
      ['A', 1, 1, 1],
      ['B', 3, 1, 1],
    ]);
    // 2 of 4 = 50 %, where the mean of the counties' ratios (100 % and 33 %) would be 67 %.
    expect([total.total, total.all, total.org]).toEqual([4, 2, 4]);
  });
});
