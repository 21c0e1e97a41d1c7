import { describe, expect, it } from 'vitest';
import { countInto, matchesFilter, mergeNewestFirst } from './alert-feed';
import type { AlertDTO } from '../../../server/socket/events';

const mk = (id: string, sec: number, over: Partial<AlertDTO> = {}): AlertDTO => ({
  id, indicator: 'SVC-01', indicator_version: 1, category: 'service', severity: 'medium',
  ts: new Date(sec * 1000).toISOString(), detected_at: new Date(sec * 1000).toISOString(),
  bureau: 'B01', officer: 'O1', taxpayer: null, item: null, matter: null, evidence: [], message: { zh: '夜间审批', en: 'off-hours' }, status: 'open', ...over,
});

describe('mergeNewestFirst', () => {
  it('puts newer alerts first and skips ones already seen', () => {
    const seen = new Set<string>();
    let list = mergeNewestFirst([], [mk('a', 1), mk('b', 2)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['b', 'a']);
    list = mergeNewestFirst(list, [mk('c', 3), mk('a', 1)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });
  it('merges out-of-order catch-up alerts into place', () => {
    const seen = new Set<string>();
    let list = mergeNewestFirst([], [mk('a', 1), mk('c', 3)], 10, seen);
    list = mergeNewestFirst(list, [mk('b', 2)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });
  it('caps the list and forgets dropped ids', () => {
    const seen = new Set<string>();
    const list = mergeNewestFirst([], Array.from({ length: 20 }, (_, i) => mk(`x${i}`, i)), 5, seen);
    expect(list).toHaveLength(5);
    expect(list[0]!.id).toBe('x19');
    expect(seen.size).toBe(5);
  });
});

describe('matchesFilter', () => {
  it('matches every given field', () => {
    const a = mk('a', 1, { category: 'process', severity: 'high', bureau: 'B03', indicator: 'PRC-01' });
    expect(matchesFilter(a, {})).toBe(true);
    expect(matchesFilter(a, { category: 'process', bureau: 'B03' })).toBe(true);
    expect(matchesFilter(a, { severity: 'low' })).toBe(false);
    expect(matchesFilter(a, { text: 'off-HOURS' })).toBe(true);
  });
});

describe('countInto', () => {
  it('adds without mutating', () => {
    const c0 = { service: 1 };
    const c1 = countInto(c0, [mk('a', 1), mk('b', 1, { category: 'filing' })], (a) => a.category);
    expect(c1).toEqual({ service: 2, filing: 1 });
    expect(c0).toEqual({ service: 1 });
  });
});
