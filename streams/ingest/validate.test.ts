import { describe, expect, it } from 'vitest';
import { parseEventTime, validateEvent } from './validate.js';
import { parseEventsBody } from './parse-body.js';

const NOW = Date.parse('2026-07-10T00:00:00Z');
const good = {
  id: 'e-1', ts: '2026-07-04T10:00:00.000+08:00', platform: 'collection', bureau: 'B02', officer: 'O1',
  matter: 'RF1', item: 'I-1', action: 'approve', amount: 100,
};
const reason = (raw: unknown) => {
  const r = validateEvent(raw, NOW);
  return r.ok ? null : r.reason;
};

describe('validateEvent', () => {
  it('accepts a well-formed event and converts ts to epoch ms', () => {
    const r = validateEvent(good, NOW);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.ts).toBe(Date.parse('2026-07-04T02:00:00Z'));
  });

  it('keeps a 9-digit fraction to the millisecond and accepts ±HHMM offsets', () => {
    expect(parseEventTime('2026-07-04T10:00:00.123456789+0800')).toBe(Date.parse('2026-07-04T02:00:00.123Z'));
    expect(parseEventTime('2026-07-04T10:00:00-05:30')).toBe(Date.parse('2026-07-04T15:30:00Z'));
  });

  it('reads the same instant as Date.parse for every shape it accepts, and refuses malformed ones', () => {
    for (const s of ['2024-02-29T23:59:59Z', '2026-12-31T00:00:00.5+14:00', '2026-01-01T08:00:00.05-0130', '2031-06-15T12:34:56.789Z']) {
      const iso = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
      expect(parseEventTime(s), s).toBe(Date.parse(iso));
    }
    for (const bad of ['2025-02-29T00:00:00Z', '2026-07-04T24:00:00Z', '2026-07-04T10:00:00.Z', '2026-07-04T10:00:00.1234567890Z',
      '2026-07-04T10:00:00z', '2026-07-04t10:00:00Z', '2026-07-04T10:00:00+8:00', '2026-07-04T10:00:00+08:0', '2026-07-04T10:00:00Z ',
      '2026-7-04T10:00:00Z', '2026-07-04T10:00:60Z', '2026-07-04T10:00:00+24:00', '2026-07-04 10:00:00Z'])
      expect(parseEventTime(bad), bad).toBeNull();
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['id missing', { id: undefined }, 'id'],
    ['id with a bad character', { id: 'a b' }, 'id'],
    ['id too long', { id: 'x'.repeat(65) }, 'id'],
    ['ts missing', { ts: undefined }, 'ts'],
    ['ts without seconds', { ts: '2026-07-04T10:00+08:00' }, 'ts'],
    ['ts without offset', { ts: '2026-07-04T10:00:00' }, 'ts'],
    ['ts not a date', { ts: '2026-02-30T10:00:00Z' }, 'ts'],
    ['ts a number', { ts: 1751594400000 }, 'ts'],
    ['ts too far ahead', { ts: '2026-07-10T00:05:01Z' }, 'ts'],
    ['ts before 2000', { ts: '1999-12-31T23:59:59Z' }, 'ts'],
    ['platform unknown', { platform: 'tax' }, 'platform'],
    ['bureau missing', { bureau: undefined }, 'bureau'],
    ['bureau too long', { bureau: 'B'.repeat(17) }, 'bureau'],
    ['officer empty', { officer: '' }, 'officer'],
    ['officer too long', { officer: 'o'.repeat(33) }, 'officer'],
    ['matter too long', { matter: 'm'.repeat(17) }, 'matter'],
    ['item too long', { item: 'i'.repeat(65) }, 'item'],
    ['action unknown', { action: 'delete' }, 'action'],
    ['taxpayer not a string', { taxpayer: 12 }, 'taxpayer'],
    ['taxpayer too long', { taxpayer: 't'.repeat(33) }, 'taxpayer'],
    ['window too long', { window: 'w'.repeat(17) }, 'window'],
    ['amount negative', { amount: -1 }, 'amount'],
    ['amount too large', { amount: 1e13 + 1 }, 'amount'],
    ['amount a string', { amount: '100' }, 'amount'],
    ['attrs not an object', { attrs: [1] }, 'attrs'],
    ['attrs with an object value', { attrs: { a: { b: 1 } } }, 'attrs.a'],
    ['attrs with too many keys', { attrs: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }, 'attrs'],
    ['assign mode unknown', { action: 'assign', attrs: { mode: 'auto' } }, 'attrs.mode'],
    ['rate without score', { action: 'rate' }, 'attrs.score'],
    ['rate score out of range', { action: 'rate', attrs: { score: 6 } }, 'attrs.score'],
    ['rate score fractional', { action: 'rate', attrs: { score: 4.5 } }, 'attrs.score'],
    ['petition kind not a string', { action: 'petition', attrs: { kind: 3 } }, 'attrs.kind'],
    ['reject reason not a string', { action: 'reject', attrs: { reason: false } }, 'attrs.reason'],
    ['an unknown top-level field', { amout: 5 }, 'amout'],
  ];
  for (const [what, patch, field] of cases) {
    it(`rejects naming ${field} when ${what}`, () => {
      const r = reason({ ...good, ...patch });
      expect(r).not.toBeNull();
      expect(r!.startsWith(`${field}:`)).toBe(true);
    });
  }

  it('rejects a value that is not an object', () => {
    expect(reason([good])).toMatch(/^event:/);
    expect(reason('x')).toMatch(/^event:/);
  });

  it('accepts ts exactly 5 minutes ahead and exactly 2000-01-01', () => {
    expect(reason({ ...good, ts: '2026-07-10T00:05:00Z' })).toBeNull();
    expect(reason({ ...good, ts: '2000-01-01T00:00:00Z' })).toBeNull();
  });
});

describe('parseEventsBody', () => {
  it('reads a single object, an array and NDJSON with an unparseable line', () => {
    expect(parseEventsBody(JSON.stringify(good), false)).toMatchObject({ ok: true, value: [{ ok: true }] });
    const arr = parseEventsBody(JSON.stringify([good, good]), false);
    expect(arr.ok && arr.value.length).toBe(2);
    const nd = parseEventsBody(`${JSON.stringify(good)}\n\n{oops\n${JSON.stringify(good)}\n`, true);
    expect(nd.ok && nd.value.map((i) => i.ok)).toEqual([true, false, true]);
  });

  it('rejects a body that is not JSON at all', () => {
    expect(parseEventsBody('hello', false).ok).toBe(false);
  });
});
