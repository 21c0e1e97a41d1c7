import { describe, expect, it } from 'vitest';
import { filterFromParams, matchesFilter, mergeNewestFirst, nextIndex, sameFilter } from './alert-feed';
import type { AlertDTO } from '../../../server/socket/events';

const mk = (id: string, sec: number, over: Partial<AlertDTO> = {}): AlertDTO => ({
  id, indicator: 'SVC-01', indicator_version: 1, category: 'service', severity: 'medium',
  ts: new Date(sec * 1000).toISOString(), detected_at: new Date(sec * 1000).toISOString(),
  bureau: 'B01', officer: 'O1', taxpayer: null, item: null, matter: null, evidence: [], message: { zh: '夜间审批', en: 'off-hours' }, status: 'open', ...over,
});

describe('mergeNewestFirst', () => {
  it('puts newer alerts first (by event time) and skips ones already seen', () => {
    const seen = new Set<string>();
    let list = mergeNewestFirst([], [mk('a', 1), mk('b', 2)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['b', 'a']);
    list = mergeNewestFirst(list, [mk('c', 3), mk('a', 1)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });
  it('orders ties in event time by id descending, as the server pages them', () => {
    const list = mergeNewestFirst([], [mk('a', 1), mk('c', 1), mk('b', 1)], 10, new Set());
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });
  it('merges late and catch-up alerts into place', () => {
    const seen = new Set<string>();
    let list = mergeNewestFirst([], [mk('a', 1), mk('c', 3)], 10, seen);
    list = mergeNewestFirst(list, [mk('b', 2)], 10, seen);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });
  it('leaves out alerts older than the last row of an incomplete list (the next page has them), keeps them in a complete one', () => {
    const base = [mk('c', 3), mk('b', 2)];
    const incomplete = mergeNewestFirst(base, [mk('d', 4), mk('a', 1)], 10, new Set(['c', 'b']), false);
    expect(incomplete.map((a) => a.id)).toEqual(['d', 'c', 'b']);
    const complete = mergeNewestFirst(base, [mk('d', 4), mk('a', 1)], 10, new Set(['c', 'b']), true);
    expect(complete.map((a) => a.id)).toEqual(['d', 'c', 'b', 'a']);
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
  it('matches every given field, text case-insensitively', () => {
    const a = mk('a', 1, { category: 'process', severity: 'high', bureau: 'B03', indicator: 'PRC-01' });
    expect(matchesFilter(a, {})).toBe(true);
    expect(matchesFilter(a, { category: 'process', bureau: 'B03' })).toBe(true);
    expect(matchesFilter(a, { severity: 'low' })).toBe(false);
    expect(matchesFilter(a, { q: 'off-HOURS' })).toBe(true);
    expect(matchesFilter(a, { q: 'nowhere' })).toBe(false);
  });
});

describe('filters in the URL', () => {
  it('reads known non-empty keys only and compares filters by value', () => {
    const f = filterFromParams({ severity: 'high', q: '', big: '1', bureau: 'B02' });
    expect(f).toEqual({ severity: 'high', bureau: 'B02' });
    expect(sameFilter(f, { bureau: 'B02', severity: 'high', q: '' })).toBe(true);
    expect(sameFilter(f, { bureau: 'B02' })).toBe(false);
  });
});

describe('nextIndex', () => {
  it('moves within bounds and ignores other keys', () => {
    expect(nextIndex('ArrowDown', -1, 5, 10)).toBe(0);
    expect(nextIndex('ArrowDown', 4, 5, 10)).toBe(4);
    expect(nextIndex('k', 2, 5, 10)).toBe(1);
    expect(nextIndex('PageDown', 0, 50, 10)).toBe(10);
    expect(nextIndex('End', 0, 50, 10)).toBe(49);
    expect(nextIndex('x', 0, 50, 10)).toBeNull();
    expect(nextIndex('ArrowDown', 0, 0, 10)).toBeNull();
  });
});
