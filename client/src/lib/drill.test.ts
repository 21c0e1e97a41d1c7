import { describe, expect, it } from 'vitest';
import { breadcrumb, drillFilters, drillLevel, LEVEL_GROUP, NEXT_KEY, shanghaiLocal, trendBucket } from './drill';
import { toCsv } from './csv';

describe('drill', () => {
  it('finds the level from the state', () => {
    expect(drillLevel({})).toBe('city');
    expect(drillLevel({ b: 'B01' })).toBe('bureau');
    expect(drillLevel({ b: 'B01', s: 'service', o: 'O1' })).toBe('officer');
    expect(drillLevel({ b: 'B01', s: 'service', o: 'O1', i: 'SVC-01', a: 'x' })).toBe('alert');
    expect(NEXT_KEY.city).toBe('b');
  });
  it('asks the server to group by the next level inside the chosen path', () => {
    expect(drillLevel({ b: 'B01' })).toBe('bureau');
    expect(LEVEL_GROUP.bureau).toBe('section');
    expect(drillFilters({ b: 'B01', s: 'service', o: 'O1' })).toEqual({ bureau: 'B01', section: 'service', officer: 'O1' });
  });
  it('builds the breadcrumb as prefixes', () => {
    const c = breadcrumb({ b: 'B01', s: 'service' });
    expect(c.map((x) => x.state)).toEqual([{}, { b: 'B01' }, { b: 'B01', s: 'service' }]);
  });
  it('picks trend buckets by range length', () => {
    expect(trendBucket(0, 86_400_000)).toBe('hour');
    expect(trendBucket(0, 30 * 86_400_000)).toBe('day');
    expect(trendBucket(0, 1000 * 86_400_000)).toBe('week');
  });
  it('writes times in Asia/Shanghai local time', () => {
    expect(shanghaiLocal('2026-03-31T16:30:05.000Z')).toBe('2026-04-01 00:30:05');
  });
});

describe('toCsv', () => {
  it('quotes, neutralises formulas, starts with a BOM', () => {
    const s = toCsv(['a', 'b'], [['x,y', '=1+1'], ['"q"', -3]]);
    expect(s.startsWith('\uFEFF')).toBe(true);
    expect(s).toContain('"x,y",\'=1+1');
    expect(s).toContain('"""q""",-3');
  });
});
