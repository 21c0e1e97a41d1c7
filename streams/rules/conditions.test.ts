/** Unit tests of every condition of the vocabulary (catalog/types.ts `Condition`), each with a positive control. */
import { describe, expect, it } from 'vitest';
import type { OpEvent, ReferenceData } from '../types.js';
import type { Condition } from '../catalog/types.js';
import { ReferenceIndex } from '../reference/index.js';
import { smallReference, T0 } from '../engine/testing/fixtures.js';
import { compileCondition, compileConditions, matterMatches } from './common.js';

const base = smallReference().data;
const data: ReferenceData = {
  ...base,
  officers: [...base.officers, { id: 'B1-LEAD', name: '领导', bureau: 'B1', level: 5, role: 'leader' }, { id: 'B1-DISC', name: '纪检', bureau: 'B1', level: 3, role: 'discipline' },
    { id: 'B1-GONE', name: '离岗', bureau: 'B1', level: 2, role: 'tax', active: false }],
  matters: base.matters.map((m) => (m.code === 'RD' ? { ...m, penalty_band: [0.5, 5] as [number, number], tags: ['penalty', 'reduction'] }
    : m.code === 'FL' ? { ...m, auto: true, required_docs: 3 } : m)),
};
const ref = new ReferenceIndex(data);
// B1-O0 level 1 (RF limit 1000), B1-O2 level 3 (RF limit 20000), B2-O0 in bureau B2
const ev = (p: Partial<OpEvent> = {}): OpEvent => ({ id: 'e', ts: T0, platform: 'collection', bureau: 'B1', officer: 'B1-O0', matter: 'RF', item: 'I1', action: 'approve', ...p });
const t = (c: Condition, p: Partial<OpEvent> = {}) => compileCondition(c)(ev(p), ref);

describe('conditions', () => {
  it('field and attr comparisons: ops, absent values, eq / ne', () => {
    expect(t({ field: 'amount', op: '>', value: 10 }, { amount: 11 })).toBe(true);
    expect(t({ field: 'amount', op: '>', value: 10 }, { amount: 10 })).toBe(false);
    expect(t({ field: 'amount', op: '>', value: 10 })).toBe(false); // absent: numeric comparison false
    expect(t({ field: 'taxpayer', op: 'absent' })).toBe(true);
    expect(t({ field: 'taxpayer', op: 'exists' }, { taxpayer: 'T' })).toBe(true);
    expect(t({ attr: 'mode', eq: 'manual' }, { attrs: { mode: 'manual' } })).toBe(true);
    expect(t({ attr: 'mode', eq: 'manual' }, { attrs: { mode: 'random' } })).toBe(false);
    expect(t({ attr: 'mode', ne: 'manual' }, { attrs: { mode: 'random' } })).toBe(true);
    expect(t({ attr: 'score', op: '<=', value: 1 }, { attrs: { score: 1 } })).toBe(true);
    expect(t({ attr: 'score', op: '<=', value: 1 }, { attrs: { score: 2 } })).toBe(false);
    expect(t({ attr: 'reason', op: 'absent' })).toBe(true);
    expect(t({ attr: 'reason', op: 'absent' }, { attrs: { reason: 'x' } })).toBe(false);
  });

  it('any: true when one member is; an AND list: only when all are', () => {
    const zero: Condition = { any: [{ field: 'amount', op: 'absent' }, { field: 'amount', op: '==', value: 0 }] };
    expect([t(zero), t(zero, { amount: 0 }), t(zero, { amount: 1 })]).toEqual([true, true, false]);
    const both = compileConditions([{ field: 'amount', op: '>=', value: 5 }, { attr: 'x', eq: true }]);
    expect([both(ev({ amount: 5, attrs: { x: true } }), ref), both(ev({ amount: 5 }), ref), compileConditions([])(ev(), ref)]).toEqual([true, false, true]);
  });

  it('weekend and night (Asia/Shanghai)', () => {
    const sat = T0 + 5 * 86_400_000;
    expect([t({ weekend: true }, { ts: sat }), t({ weekend: true })]).toEqual([true, false]);
    const at23 = T0 + 14 * 3_600_000, at21 = T0 + 12 * 3_600_000, at05 = T0 + 20 * 3_600_000;
    expect([t({ night: true }, { ts: at23 }), t({ night: true }, { ts: at05 }), t({ night: true }, { ts: at21 }), t({ night: false })]).toEqual([true, true, false, true]);
  });

  it('amountAboveLimit / amountNearLimit: against the acting officer\'s level limit; no limits or no amount: false', () => {
    expect([t({ amountAboveLimit: true }, { amount: 1000 }), t({ amountAboveLimit: true }, { amount: 1000.5 })]).toEqual([false, true]);
    expect(t({ amountAboveLimit: true }, { amount: 1e9, matter: 'IN' })).toBe(false);
    // level 1 limit 1000: [990, 1000] is near
    expect([989, 990, 1000, 1001].map((a) => t({ amountNearLimit: 0.99 }, { amount: a }))).toEqual([false, true, true, false]);
    // level 3 officer: limit 20000
    expect([t({ amountNearLimit: 0.99 }, { officer: 'B1-O2', amount: 19_900 }), t({ amountNearLimit: 0.99 }, { officer: 'B1-O2', amount: 990 })]).toEqual([true, false]);
    expect(t({ amountNearLimit: 0.99 })).toBe(false);
    expect(t({ amountNearLimit: 0.99 }, { matter: 'IN', amount: 990 })).toBe(false);
  });

  it('amountOfTopLimit and amountMultipleOf', () => {
    // top limit of RF: 500000
    expect([t({ amountOfTopLimit: 0.9 }, { amount: 450_000 }), t({ amountOfTopLimit: 0.9 }, { amount: 449_999 }), t({ amountOfTopLimit: 0.9 }, { matter: 'IN', amount: 1e9 })]).toEqual([true, false, false]);
    expect([t({ amountMultipleOf: 10_000 }, { amount: 60_000 }), t({ amountMultipleOf: 10_000 }, { amount: 60_001 }), t({ amountMultipleOf: 10_000 }, { amount: 0 }), t({ amountMultipleOf: 10_000 })]).toEqual([true, false, false, false]);
  });

  it('crossBureau and windowOtherBureau: known officers / windows only', () => {
    expect([t({ crossBureau: true }, { officer: 'B2-O0' }), t({ crossBureau: true }), t({ crossBureau: true }, { officer: 'GHOST' }), t({ crossBureau: false })]).toEqual([true, false, false, true]);
    expect([t({ windowOtherBureau: true }, { window: 'W2' }), t({ windowOtherBureau: true }, { window: 'W1' }), t({ windowOtherBureau: true }, { window: 'W-unknown' }), t({ windowOtherBureau: true })]).toEqual([true, false, false, false]);
  });

  it('unknownOfficer, officerInactive, officerRole, officerLevelAtMost / AtLeast (unknown officer: level 1, no role)', () => {
    expect([t({ unknownOfficer: true }, { officer: 'GHOST' }), t({ unknownOfficer: true })]).toEqual([true, false]);
    expect([t({ officerInactive: true }, { officer: 'B1-GONE' }), t({ officerInactive: true }), t({ officerInactive: true }, { officer: 'GHOST' })]).toEqual([true, false, false]);
    expect([t({ officerRole: ['discipline', 'analyst'] }, { officer: 'B1-DISC' }), t({ officerRole: ['discipline'] }), t({ officerRole: ['tax'] }, { officer: 'GHOST' }), t({ officerRole: ['leader'] }, { officer: 'B1-LEAD' })]).toEqual([true, false, false, true]);
    expect([t({ officerLevelAtMost: 2 }), t({ officerLevelAtMost: 2 }, { officer: 'B1-O2' }), t({ officerLevelAtMost: 1 }, { officer: 'GHOST' })]).toEqual([true, false, true]);
    expect([t({ officerLevelAtLeast: 4 }, { officer: 'B1-LEAD' }), t({ officerLevelAtLeast: 4 }, { officer: 'B1-O2' })]).toEqual([true, false]);
  });

  it('attrIsOfficer: the named attr equals the acting officer', () => {
    expect([t({ attrIsOfficer: 'assignee' }, { attrs: { assignee: 'B1-O0' } }), t({ attrIsOfficer: 'assignee' }, { attrs: { assignee: 'B1-O1' } }), t({ attrIsOfficer: 'assignee' })]).toEqual([true, false, false]);
  });

  it('matter: a matter filter inside a step (categories, power, auto, tags, codes); unknown matter passes only an empty filter', () => {
    expect([t({ matter: { tags: ['reduction'] } }, { matter: 'RD' }), t({ matter: { tags: ['reduction'] } })]).toEqual([true, false]);
    expect([t({ matter: { auto: true } }, { matter: 'FL' }), t({ matter: { auto: true } }), t({ matter: { auto: false } })]).toEqual([true, false, true]);
    expect([t({ matter: { categories: ['inspection'], power: false } }, { matter: 'IN' }), t({ matter: { categories: ['inspection'] } })]).toEqual([true, false]);
    expect([matterMatches({}, 'NOPE', ref), matterMatches({ power: true }, 'NOPE', ref), matterMatches({ codes: ['RF'] }, 'RF', ref)]).toEqual([true, false, true]);
  });

  it('penaltyOutsideBand: attrs.penalty against the matter band × attrs.tax_base; no band, no base or no penalty: false', () => {
    const pen = (penalty: number, tax_base = 10_000, matter = 'RD') => [t({ penaltyOutsideBand: 'below' }, { matter, attrs: { penalty, tax_base } }), t({ penaltyOutsideBand: 'above' }, { matter, attrs: { penalty, tax_base } })];
    expect(pen(4999)).toEqual([true, false]);
    expect(pen(5000)).toEqual([false, false]);
    expect(pen(50_000)).toEqual([false, false]);
    expect(pen(50_001)).toEqual([false, true]);
    expect(pen(0, 10_000, 'RF')).toEqual([false, false]); // no band on RF
    expect(t({ penaltyOutsideBand: 'below' }, { matter: 'RD', attrs: { penalty: 1 } })).toBe(false);
    expect(t({ penaltyOutsideBand: 'below' }, { matter: 'RD', attrs: { penalty: '1', tax_base: 10_000 } })).toBe(false); // not a number
  });

  it('amountVsAttr: amount against factor × a numeric attr', () => {
    const c: Condition = { amountVsAttr: { attr: 'previous_quota', op: '>', factor: 2 } };
    expect([t(c, { amount: 20_001, attrs: { previous_quota: 10_000 } }), t(c, { amount: 20_000, attrs: { previous_quota: 10_000 } }), t(c, { amount: 1e9 }), t(c, { attrs: { previous_quota: 1 } })]).toEqual([true, false, false, false]);
    const lt: Condition = { amountVsAttr: { attr: 'estimated', op: '<', factor: 0.1 } };
    expect([t(lt, { amount: 999, attrs: { estimated: 10_000 } }), t(lt, { amount: 1000, attrs: { estimated: 10_000 } })]).toEqual([true, false]);
  });

  it('attachmentsBelowRequired: attrs.attachments against the matter\'s required_docs; attr absent or no requirement: false', () => {
    expect([2, 3].map((n) => t({ attachmentsBelowRequired: true }, { matter: 'FL', attrs: { attachments: n } }))).toEqual([true, false]);
    expect([t({ attachmentsBelowRequired: true }, { matter: 'FL' }), t({ attachmentsBelowRequired: true }, { attrs: { attachments: 0 } })]).toEqual([false, false]);
  });

  it('recordedLaterThan: attrs.recorded_at (ISO) more than the lag after ts; unparsable or absent: false', () => {
    const iso = (ms: number) => new Date(T0 + ms).toISOString();
    const c: Condition = { recordedLaterThan: 3 * 86_400_000 };
    expect([t(c, { attrs: { recorded_at: iso(3 * 86_400_000 + 1) } }), t(c, { attrs: { recorded_at: iso(3 * 86_400_000) } }), t(c, { attrs: { recorded_at: 'yesterday' } }), t(c)]).toEqual([true, false, false, false]);
  });

  it('an unknown condition is refused when compiled', () => {
    expect(() => compileCondition({ bogus: 1 } as unknown as Condition)).toThrow(/unknown condition/);
  });
});
