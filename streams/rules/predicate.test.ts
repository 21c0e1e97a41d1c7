import { describe, expect, it } from 'vitest';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { engineFor, evidence, run } from '../engine/testing/harness.js';
import { WorkingCalendar } from '../time.js';

const isWorkingHours = (ts: number) => WorkingCalendar.PLAIN.isWorkingTime(ts);

const H = 3_600_000;
const MON_0800 = T0 - H; // Monday 08:00 local
const SAT_1000 = T0 + 5 * 24 * H + H; // Saturday 10:00 local

describe('predicate rules (SVC-01, PRC-02, TSK-02)', () => {
  it('what it does when computing working hours: 08:00:00.000 inclusive, 18:00:00.000 exclusive, Mon–Fri, UTC+8', () => {
    expect(isWorkingHours(MON_0800 - 1)).toBe(false);
    expect(isWorkingHours(MON_0800)).toBe(true);
    expect(isWorkingHours(MON_0800 + 10 * H - 1)).toBe(true);
    expect(isWorkingHours(MON_0800 + 10 * H)).toBe(false);
    expect(isWorkingHours(SAT_1000)).toBe(false);
    expect(isWorkingHours(SAT_1000 + 2 * 24 * H)).toBe(true); // Monday 10:00
  });

  it('what it does when an approve or complete on a power matter falls at the working-hour boundaries', () => {
    const evs = [
      ev({ id: 'a1', action: 'approve' }, MON_0800 - 1),
      ev({ id: 'a2', action: 'approve' }, MON_0800),
      ev({ id: 'a3', action: 'complete' }, MON_0800 + 10 * H - 1),
      ev({ id: 'a4', action: 'complete' }, MON_0800 + 10 * H),
      ev({ id: 'a5', action: 'approve' }, SAT_1000),
      ev({ id: 'a6', action: 'approve', matter: 'CN' }, SAT_1000 + 1), // not a power matter
      ev({ id: 'a7', action: 'approve', officer: 'system' }, SAT_1000 + 2), // system never acts
      ev({ id: 'a8', action: 'handle' }, SAT_1000 + 3), // not listened to
    ];
    expect(evidence(run(['SVC-01'], evs), 'SVC-01')).toEqual([['a1'], ['a4'], ['a5']]);
  });

  it('what it does when an approve amount is exactly at, or just above, the level limit', () => {
    // B1-O0 is level 1 (limit 1000), B1-O1 level 2 (limit 5000)
    const evs = [
      ev({ id: 'p1', action: 'approve', amount: 1000 }),
      ev({ id: 'p2', action: 'approve', amount: 1000.01 }),
      ev({ id: 'p3', action: 'approve', officer: 'B1-O1', amount: 5000 }),
      ev({ id: 'p4', action: 'approve', officer: 'B1-O1', amount: 5000.01 }),
      ev({ id: 'p5', action: 'approve', officer: 'GHOST', amount: 1001 }), // unknown: level 1
      ev({ id: 'p6', action: 'approve', matter: 'IN', amount: 1e9 }), // no limits: never
      ev({ id: 'p7', action: 'approve' }), // no amount: never
      ev({ id: 'p8', action: 'approve', officer: 'system', amount: 1e9 }),
      ev({ id: 'p9', action: 'complete', amount: 1e9 }), // only approve
    ];
    const alerts = run(['PRC-02'], evs);
    expect(evidence(alerts)).toEqual([['p2'], ['p4'], ['p5']]);
    const ghost = alerts.find((a) => a.evidence[0] === 'p5')!;
    expect(ghost.bureau).toBe('B1');
    expect(ghost.officer).toBe('GHOST');
  });

  it('what it does when a power-matter assign is manual, random, or on a non-power matter', () => {
    const evs = [
      ev({ id: 't1', action: 'assign', attrs: { mode: 'manual' } }),
      ev({ id: 't2', action: 'assign', attrs: { mode: 'random' } }),
      ev({ id: 't3', action: 'assign', matter: 'IN', attrs: { mode: 'manual' } }),
      ev({ id: 't4', action: 'assign', officer: 'system', attrs: { mode: 'manual' } }),
    ];
    expect(evidence(run(['TSK-02'], evs))).toEqual([['t1']]);
  });

  it('what it does when a per-event rule sees an event: it decides on arrival, before the watermark passes it, even when late', () => {
    const eng = engineFor(['SVC-01', 'TSK-02']);
    const first = eng.onEvent(ev({ id: 'x1', action: 'assign', attrs: { mode: 'manual' } }, T0), T0);
    expect(first.map((a) => a.indicator)).toEqual(['TSK-02']);
    eng.onEvent(ev({ id: 'x2', action: 'handle' }, T0 + 60_000), T0 + 60_000);
    // late: ts < W
    const late = eng.onEvent(ev({ id: 'x3', action: 'approve' }, SAT_1000 - 7 * 24 * H), T0 + 61_000);
    expect(late.map((a) => a.evidence[0])).toEqual(['x3']);
    expect(late[0].detected_at).toBe(T0 + 61_000);
  });
});
