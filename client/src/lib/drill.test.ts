import { describe, expect, it } from 'vitest';
import { alertsPerDay, breadcrumb, drillLevel, drillRows, fillDays, NEXT_KEY } from './drill';
import { toCsv } from './csv';
import type { AlertDTO } from '../../../server/socket/events';

const mk = (id: string, o: Partial<AlertDTO>): AlertDTO => ({
  id, indicator: 'SVC-01', indicator_version: 1, category: 'service', severity: 'medium', ts: '2026-07-04T17:00:00.000Z', detected_at: '2026-07-04T17:00:00.000Z',
  bureau: 'B01', officer: 'O1', taxpayer: null, item: null, matter: 'M1', evidence: [], message: { zh: '', en: '' }, status: 'open', ...o,
});
const alerts = [
  mk('1', {}), mk('2', { bureau: 'B02', severity: 'high' }), mk('3', { bureau: 'B02', matter: 'M2', officer: 'O2' }),
  mk('4', { bureau: 'B02', matter: 'M2', officer: 'O2', indicator: 'PRC-01' }),
];
const sectionOf = (m: string | null) => (m === 'M2' ? 'inspection' : 'collection');

describe('drill', () => {
  it('finds the level from the state', () => {
    expect(drillLevel({})).toBe('city');
    expect(drillLevel({ b: 'B02', s: 'x' })).toBe('section');
    expect(drillLevel({ b: 'B02', s: 'x', o: 'O', i: 'I', a: 'A' })).toBe('alert');
    expect(NEXT_KEY.city).toBe('b');
  });
  it('groups by the next level inside the chosen path', () => {
    expect(drillRows(alerts, {}, sectionOf)).toEqual([{ key: 'B02', count: 3, high: 1 }, { key: 'B01', count: 1, high: 0 }]);
    expect(drillRows(alerts, { b: 'B02' }, sectionOf).map((r) => r.key)).toEqual(['inspection', 'collection']);
    expect(drillRows(alerts, { b: 'B02', s: 'inspection' }, sectionOf)).toEqual([{ key: 'O2', count: 2, high: 0 }]);
    expect(drillRows(alerts, { b: 'B02', s: 'inspection', o: 'O2' }, sectionOf).map((r) => r.key)).toEqual(['PRC-01', 'SVC-01']);
  });
  it('builds the breadcrumb as prefixes', () => {
    const b = breadcrumb({ b: 'B02', s: 'inspection', i: 'X' });
    expect(b.map((s) => s.state)).toEqual([{}, { b: 'B02' }, { b: 'B02', s: 'inspection' }]);
  });
  it('counts per Shanghai day', () => {
    // 17:00Z is 01:00 the next day in Shanghai.
    expect(alertsPerDay(alerts, { b: 'B01' }, sectionOf)).toEqual([{ day: '2026-07-05', count: 1 }]);
  });
});

describe('fillDays', () => {
  it('fills the range with zeros', () => {
    expect(fillDays([{ day: '2026-02-28', count: 2 }], '2026-02-27', '2026-03-01')).toEqual([
      { day: '2026-02-27', count: 0 }, { day: '2026-02-28', count: 2 }, { day: '2026-03-01', count: 0 },
    ]);
  });
});

describe('toCsv', () => {
  it('quotes, neutralises formulas, starts with a BOM', () => {
    const s = toCsv(['a', 'b'], [['x,y', '=SUM(A1)'], [1, null], ['-5', 'say "hi"']]);
    expect(s).toBe('\uFEFFa,b\r\n"x,y",\'=SUM(A1)\r\n1,\r\n-5,"say ""hi"""\r\n');
  });
});
