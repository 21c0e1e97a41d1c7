import { describe, expect, it } from 'vitest';
import type { OpEvent } from '../types.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { engineFor, evidence } from '../engine/testing/harness.js';
import { localDayStart } from './common.js';

const M = 60_000;
const DAY_END = localDayStart(T0) + 86_400_000 - 1; // the day's time point

function rejects(): OpEvent[] {
  const evs: OpEvent[] = [];
  let k = 0;
  // 10 officers of B1 reject 2 service items each, O10 rejects 12
  for (let o = 0; o < 11; o++) {
    const n = o === 10 ? 12 : 2;
    for (let i = 0; i < n; i++) evs.push(ev({ id: `r${String(k).padStart(3, '0')}`, item: `I${k++}`, action: 'reject', matter: 'CN', officer: `B1-O${o}`, attrs: { reason: 'x' } }, T0 + k * M));
  }
  return evs.sort((a, b) => a.ts - b.ts);
}

describe('peerOutlier rules (SVC-14 daily rejections vs bureau peers)', () => {
  it('what it does at the end of the event-time day: the outlier officer is raised once W passes the day', () => {
    const eng = engineFor(['SVC-14']);
    const out = rejects().flatMap((e) => eng.onEvent(e, e.ts));
    expect(out).toEqual([]);
    expect(eng.onTick(DAY_END + 5000)).toEqual([]); // W = DAY_END: not passed
    const alerts = eng.onTick(DAY_END + 5001);
    expect(alerts.map((a) => a.officer)).toEqual(['B1-O10']);
    expect(alerts[0].ts).toBe(DAY_END);
    expect(alerts[0].evidence).toHaveLength(12);
    expect(evidence(eng.onTick(DAY_END + 10 * 86_400_000))).toEqual([]);
  });

  it('what it does with too few peers in the bureau: nothing', () => {
    const eng = engineFor(['SVC-14']);
    const evs = rejects().filter((e) => ['B1-O0', 'B1-O1', 'B1-O10'].includes(e.officer));
    for (const e of evs) eng.onEvent(e, e.ts);
    expect(eng.onTick(DAY_END + 86_400_000)).toEqual([]);
  });
});
