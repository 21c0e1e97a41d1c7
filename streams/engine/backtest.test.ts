import { describe, expect, it } from 'vitest';
import { backtest } from './backtest.js';
import { defsOf } from './testing/harness.js';
import { coreKeys, loadExampleEvents, loadExampleReference, loadExpected } from './testing/fixtures.js';

describe('backtest', () => {
  it('what it does when one definition is run over history: hits per local day, total and a sample, raising nothing', () => {
    const events = loadExampleEvents().sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const ref = loadExampleReference();
    const range = { from: Date.parse('2026-07-01T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') };
    const r = backtest(defsOf('PRC-04')[0], events, ref, range);
    expect(r.total).toBe(2);
    expect(r.days).toEqual([{ day: '2026-10-05', hits: 1 }, { day: '2026-10-07', hits: 1 }]);
    expect(r.sample.map((a) => a.evidence)).toEqual([['e3-6wy', 'e3-6wz'], ['e3-6wy', 'e3-6x0']]);
    // deadlines inside the range are decided; all core indicators together give the expected set
    const all = defsOf('SVC-01', 'PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'PRC-05', 'INS-01', 'INS-02', 'FIL-01', 'TSK-01', 'TSK-02')
      .flatMap((d) => backtest(d, events, ref, range).sample);
    expect(coreKeys(all)).toEqual(coreKeys(loadExpected()));
  });

  it('what it does with hits outside the range: not counted', () => {
    const events = loadExampleEvents();
    const r = backtest(defsOf('PRC-04')[0], events, loadExampleReference(), { from: Date.parse('2026-10-06T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') });
    expect(r.total).toBe(1);
  });

  it('what it scores against the closed loop: confirmed findings caught or missed, dismissed ones still raised, alerts touching no finding', () => {
    const events = loadExampleEvents().sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const ref = loadExampleReference();
    const findings = [
      { task: 'TK-A', confirmed: true, evidence: ['e3-6wz'] },
      { task: 'TK-B', confirmed: false, evidence: ['e3-6x0'] },
      { task: 'TK-C', confirmed: true, evidence: ['no-such-event'] },
    ];
    const all = backtest(defsOf('PRC-04')[0], events, ref, { from: Date.parse('2026-07-01T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') }, findings);
    expect(all.closed_loop).toEqual({ confirmed: { total: 2, caught: 1, missed: ['TK-C'] }, dismissed: { total: 1, raised: 1 }, unmatched: 0 });
    // without the 10-05 alert (its evidence is TK-A's) the confirmed finding is missed
    const later = backtest(defsOf('PRC-04')[0], events, ref, { from: Date.parse('2026-10-06T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') }, findings);
    expect(later.closed_loop).toEqual({ confirmed: { total: 2, caught: 0, missed: ['TK-A', 'TK-C'] }, dismissed: { total: 1, raised: 1 }, unmatched: 0 });
    // with no findings every alert is unmatched
    expect(backtest(defsOf('PRC-04')[0], events, ref, { from: Date.parse('2026-07-01T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') }).closed_loop.unmatched).toBe(2);
  });
});
