import { describe, expect, it } from 'vitest';
import { defaultCatalog, inputsOf } from '../catalog/index.js';
import { validateEvent } from './validate.js';
import { INDICATOR_ATTRS } from './indicator-attrs.js';

const NOW = Date.parse('2026-07-10T00:00:00Z');
const good = { id: 'e-1', ts: '2026-07-04T10:00:00.000+08:00', platform: 'collection', bureau: 'B02', officer: 'O1', matter: 'RF1', item: 'I-1', action: 'approve', amount: 100 };
const reason = (attrs: Record<string, unknown>) => { const r = validateEvent({ ...good, attrs }, NOW); return r.ok ? null : r.reason; };

describe('attrs the indicators read, validated where present', () => {
  it('what it does with good values: accepted and kept as sent', () => {
    const attrs = { penalty: 5000, tax_base: 10_000, attachments: 3, ticket: 57, previous_quota: 100_000, estimated: 2e6, taxpayer_credit: 'D', stage: 'trial',
      recorded_at: '2026-07-05T09:00:00+08:00', assignee: 'O0001', field: 'bank_account', basis: 'JB-2026-001', other: 'anything' };
    const r = validateEvent({ ...good, attrs }, NOW);
    expect(r.ok && r.value.attrs).toEqual(attrs);
  });

  it('what it does with a wrong type or range: rejected, the reason naming the attr', () => {
    expect(reason({ penalty: -1 })).toBe('attrs.penalty: must be a number 0–1e13');
    expect(reason({ tax_base: '10000' })).toBe('attrs.tax_base: must be a number 0–1e13');
    expect(reason({ attachments: 1.5 })).toBe('attrs.attachments: must be an integer 0–1000');
    expect(reason({ ticket: -3 })).toBe('attrs.ticket: must be an integer 0–1000000');
    expect(reason({ taxpayer_credit: 'E' })).toBe('attrs.taxpayer_credit: must be one of A, B, M, C, D');
    expect(reason({ stage: 'audit' })).toBe('attrs.stage: must be one of selection, examination, trial, enforcement');
    expect(reason({ recorded_at: '2026-07-05' })).toBe('attrs.recorded_at: must be an ISO-8601 date-time with seconds and an offset');
    expect(reason({ assignee: '' })).toBe('attrs.assignee: must be a string of 1–32 characters');
    expect(reason({ unrelated: -1 })).toBeNull(); // attrs no indicator reads are not constrained
  });

  it('what it covers: every attr an indicator of the default catalog reads has a check (here or among the spec\'s well-known ones)', () => {
    const specWellKnown = new Set(['mode', 'score', 'kind', 'reason']);
    const read = new Set(defaultCatalog.flatMap((d) => inputsOf(d).attrs));
    expect([...read].filter((a) => !INDICATOR_ATTRS.has(a) && !specWellKnown.has(a))).toEqual([]);
  });
});
