import { describe, expect, it } from 'vitest';
import { change, comparisonRanges, normalizeKpis, periodValue, summarize } from './kpis';

describe('normalizeKpis', () => {
  it('reads a list of buckets with nested numeric fields', () => {
    const t = normalizeKpis({ granularity: 'day', series: [
      { bucket: '2026-01-01', overdue_rate: 0.1, alerts: { total: 3 }, note: 'x' },
      { bucket: '2026-01-02', overdue_rate: 0.2, alerts: { total: 5 }, petitions: 1 },
    ] });
    expect(t.labels).toEqual(['2026-01-01', '2026-01-02']);
    expect(t.series['overdue_rate']).toEqual([0.1, 0.2]);
    expect(t.series['alerts.total']).toEqual([3, 5]);
    expect(t.series['petitions']).toEqual([null, 1]);
  });
  it('reads per-KPI point lists', () => {
    const t = normalizeKpis({ kpis: { overdue_rate: [{ t: 'b', value: 2 }, { t: 'a', value: 1 }], alerts: [{ t: 'a', value: 9 }] } });
    expect(t.labels).toEqual(['a', 'b']);
    expect(t.series).toEqual({ overdue_rate: [1, 2], alerts: [9, null] });
  });
  it('reads the server layout: bucket list, nested aligned series, totals', () => {
    const t = normalizeKpis({
      buckets: ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      series: { events: [10, 20], overdue: { due: [1, 2], rate: [0, 0.5] }, alerts: { total: [3, 4], by_bureau: { B01: [1, 2] } }, timeliness: null },
      totals: { events: 30, overdue: { rate: 0.33 }, alerts: { total: 7, by_bureau: { B01: 3 } } },
    });
    expect(t.labels).toHaveLength(2);
    expect(Object.keys(t.series).sort()).toEqual(['alerts.total', 'events', 'overdue.due', 'overdue.rate']);
    expect(t.totals).toEqual({ events: 30, 'overdue.rate': 0.33, 'alerts.total': 7 });
    expect(periodValue(t, 'overdue.rate')).toBe(0.33);
    expect(periodValue(t, 'overdue.due')).toBe(3);
  });
  it('gives an empty table for nothing usable', () => {
    expect(normalizeKpis(null)).toEqual({ labels: [], series: {} });
  });
});

describe('summaries', () => {
  it('averages rates and adds counts', () => {
    expect(summarize('overdue_rate', [0.1, 0.3, null])).toBeCloseTo(0.2);
    expect(summarize('alerts.total', [1, 2, 3])).toBe(6);
    expect(summarize('x', [null])).toBeNull();
  });
  it('computes change and comparison ranges', () => {
    expect(change(12, 10)).toBeCloseTo(0.2);
    expect(change(1, 0)).toBeNull();
    const r = comparisonRanges(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-08T00:00:00Z'));
    expect(r.prev[0].toISOString()).toBe('2026-02-22T00:00:00.000Z');
    expect(r.yoy[1].toISOString()).toBe('2025-03-08T00:00:00.000Z');
  });
});
