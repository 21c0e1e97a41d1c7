import { describe, expect, it } from 'vitest';
import { changeTone, comparisonRanges, formatValue, meetsTarget, quickRange, rangeInstants, relChange } from './board';

describe('board cards', () => {
  it('colours a rise red when up is bad (alerts) and green when up is good (satisfaction)', () => {
    expect(changeTone(0.2, 'down')).toBe('bad');
    expect(changeTone(-0.2, 'down')).toBe('good');
    expect(changeTone(0.2, 'up')).toBe('good');
    expect(changeTone(0.2, 'none')).toBe('neutral');
    expect(changeTone(null, 'down')).toBe('neutral');
  });
  it('judges the overdue rate against its 1 % target', () => {
    expect(meetsTarget(0.009, 'down', 0.01)).toBe(true);
    expect(meetsTarget(0.011, 'down', 0.01)).toBe(false);
    expect(meetsTarget(null, 'down', 0.01)).toBe(null);
  });
  it('gives no change against a zero or missing base', () => {
    expect(relChange(5, 0)).toBe(null);
    expect(relChange(6, 4)).toBeCloseTo(0.5);
  });
  it('formats in the UI locale', () => {
    expect(formatValue('count', 12345, 'en')).toBe('12,345');
    expect(formatValue('rate', 0.0125, 'en')).toBe('1.25%');
    expect(formatValue('hours', 5400_000, 'zh-CN')).toBe('1.5 h');
  });
});

describe('quick ranges (Asia/Shanghai calendar)', () => {
  // 2026-03-31 23:30 Shanghai = 15:30 UTC: still March 31 locally.
  const now = Date.UTC(2026, 2, 31, 15, 30);
  it('today is the local day, by hour', () => expect(quickRange('today', now)).toEqual({ from: '2026-03-31', to: '2026-03-31', g: 'hour' }));
  it('7 days ends today', () => expect(quickRange('7d', now)).toEqual({ from: '2026-03-25', to: '2026-03-31', g: 'day' }));
  it('this month, quarter and year cover the whole calendar period', () => {
    expect(quickRange('month', now)).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    expect(quickRange('quarter', now)).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(quickRange('year', now)).toMatchObject({ from: '2026-01-01', to: '2026-12-31', g: 'month' });
  });
  it('a range of days is [local midnight, local midnight after the last day)', () => {
    const r = rangeInstants('2026-03-01', '2026-03-31');
    expect(r.from.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });
});

describe('comparison periods (Asia/Shanghai calendar)', () => {
  const sh = (iso: string) => new Date(`${iso}+08:00`);
  it('a year earlier is the same Shanghai days: March 2025 against March 2024, across the leap day', () => {
    const { prev, yoy } = comparisonRanges(sh('2025-03-01T00:00:00'), sh('2025-04-01T00:00:00'));
    expect(yoy).toEqual([sh('2024-03-01T00:00:00'), sh('2024-04-01T00:00:00')]); // in UTC terms this was 29 Feb 2024 16:00 → 29 Feb Shanghai
    expect(prev).toEqual([sh('2025-01-29T00:00:00'), sh('2025-03-01T00:00:00')]); // the 31 days before
  });
  it('the leap day itself maps to 28 February; an ordinary year maps to the year before it', () => {
    expect(comparisonRanges(sh('2024-02-29T00:00:00'), sh('2024-03-01T00:00:00')).yoy).toEqual([sh('2023-02-28T00:00:00'), sh('2023-03-01T00:00:00')]);
    expect(comparisonRanges(sh('2025-01-01T00:00:00'), sh('2026-01-01T00:00:00')).yoy).toEqual([sh('2024-01-01T00:00:00'), sh('2025-01-01T00:00:00')]);
    expect(comparisonRanges(sh('2025-06-10T13:00:00'), sh('2025-06-10T14:00:00')).yoy).toEqual([sh('2024-06-10T13:00:00'), sh('2024-06-10T14:00:00')]);
  });
});
