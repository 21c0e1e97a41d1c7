import { describe, expect, it } from 'vitest';
import { fromTabularRow } from './tabular.js';
import { validateEvent } from './validate.js';

const base = { id: 'e1', ts: '2026-01-01T08:00:00+08:00', platform: 'service', bureau: 'B01', officer: 'O1', matter: 'M1', item: 'I1', action: 'accept' };

describe('tabular rows (CSV, Parquet) to wire events', () => {
  it('what it does with empty cells and NULLs: the field is absent, as in an event that leaves it out', () => {
    expect(fromTabularRow({ ...base, taxpayer: '', window: null, amount: null, attrs: '' })).toEqual(base);
  });

  it('what it does with amount and attrs given as text: a number and a JSON object', () => {
    expect(fromTabularRow({ ...base, amount: '12.50', attrs: '{"score":3}' })).toEqual({ ...base, amount: 12.5, attrs: { score: 3 } });
  });

  it('what it does with an amount that is not a number or attrs that are not JSON: passed on, so validation names the field', () => {
    const bad = fromTabularRow({ ...base, amount: '12,5' });
    expect(bad).toMatchObject({ amount: '12,5' });
    const v = validateEvent(bad, Date.parse('2026-06-01T00:00:00Z'));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/^amount:/);
    const v2 = validateEvent(fromTabularRow({ ...base, attrs: '{oops' }), Date.parse('2026-06-01T00:00:00Z'));
    expect(!v2.ok && v2.reason).toMatch(/^attrs:/);
    // positive control: the same row with a well-formed amount passes
    expect(validateEvent(fromTabularRow({ ...base, amount: '12.5' }), Date.parse('2026-06-01T00:00:00Z')).ok).toBe(true);
  });
});
