import { describe, expect, it } from 'vitest';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { engineFor, evidence, run } from '../engine/testing/harness.js';

const H = 3_600_000;
const DL = T0 + 72 * H; // RF: standard_hours 72

describe('deadline rules (TSK-01 overdue, PRC-03 completed without approval)', () => {
  it('what it does when the complete is exactly at the deadline, or 1 ms past it', () => {
    const evs = [
      ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, T0),
      ev({ id: 'i2', item: 'B', action: 'issue', officer: 'system' }, T0),
      ev({ id: 'k1', item: 'A', action: 'complete', officer: 'B1-O1' }, DL),
      ev({ id: 'k2', item: 'B', action: 'complete', officer: 'B1-O1' }, DL + 1),
    ];
    const alerts = run(['TSK-01'], evs);
    expect(evidence(alerts)).toEqual([['i2']]);
    expect(alerts[0].ts).toBe(DL);
  });

  it('what it does when the item is cancelled, or closed by system', () => {
    const evs = [
      ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system' }, T0),
      ev({ id: 'i2', item: 'B', action: 'issue', officer: 'system' }, T0),
      ev({ id: 'x1', item: 'A', action: 'cancel', officer: 'B1-O1' }, T0 + H),
      ev({ id: 'x2', item: 'B', action: 'complete', officer: 'system' }, T0 + H),
    ];
    expect(run(['TSK-01'], evs)).toEqual([]);
  });

  it('what it does when choosing the subject: latest accept/handle before the deadline, else the issuer', () => {
    const evs = [
      ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system', bureau: 'B2' }, T0),
      ev({ id: 'a1', item: 'A', action: 'accept', officer: 'B1-O1' }, T0 + H),
      ev({ id: 'h1', item: 'A', action: 'handle', officer: 'B1-O2' }, T0 + 2 * H),
      ev({ id: 'h2', item: 'A', action: 'handle', officer: 'system' }, T0 + 3 * H), // system is no handler
      ev({ id: 'h3', item: 'A', action: 'handle', officer: 'B1-O3' }, DL + 1), // after the deadline
      ev({ id: 'i2', item: 'B', action: 'issue', officer: 'system', bureau: 'B2' }, T0),
    ];
    const alerts = run(['TSK-01'], evs.sort((a, b) => a.ts - b.ts));
    expect(alerts.map((a) => [a.evidence[0], a.officer, a.bureau])).toEqual([['i1', 'B1-O2', 'B1'], ['i2', 'system', 'B2']]);
  });

  it('what it does on a quiet stream: the idle watermark fires the deadline with the clock', () => {
    const eng = engineFor(['TSK-01']);
    eng.onEvent(ev({ id: 'i1', action: 'issue', officer: 'system' }, T0), T0);
    // arrival clock equals event time; nothing else arrives
    expect(eng.onTick(DL)).toEqual([]); // W = DL − 5 s
    expect(eng.onTick(DL + 5000)).toEqual([]); // W = DL: not yet passed
    const out = eng.onTick(DL + 5001); // W = DL + 1 > DL
    expect(evidence(out)).toEqual([['i1']]);
    expect(out[0].detected_at).toBe(DL + 5001);
    expect(eng.stats().pendingTimers).toBe(0);
  });

  it('what it does when the approve comes at the same ts as the first complete (after it by id), or 1 ms later', () => {
    const evs = [
      ev({ id: 'c1', item: 'A', action: 'complete', officer: 'B1-O1' }, T0),
      ev({ id: 'c2', item: 'A', action: 'complete', officer: 'B1-O2' }, T0 + 5), // not the first
      ev({ id: 'p1', item: 'A', action: 'approve', officer: 'B1-O4' }, T0), // same ts, id after c1: counts
      ev({ id: 'c3', item: 'B', action: 'complete', officer: 'B1-O1' }, T0),
      ev({ id: 'p2', item: 'B', action: 'approve', officer: 'B1-O4' }, T0 + 1),
      ev({ id: 'p3', item: 'C', action: 'approve', officer: 'system' }, T0), // system approve counts
      ev({ id: 'c4', item: 'C', action: 'complete', officer: 'B1-O1' }, T0 + 1),
      ev({ id: 'c5', item: 'D', action: 'complete', officer: 'system' }, T0), // system complete: not an officer's
      ev({ id: 'c6', item: 'E', action: 'complete', officer: 'B1-O1', matter: 'CN' }, T0), // not a power matter
    ];
    const alerts = run(['PRC-03'], evs.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1)));
    expect(evidence(alerts)).toEqual([['c3']]);
    expect(alerts[0].officer).toBe('B1-O1');
    expect(alerts[0].ts).toBe(T0);
  });

  it('what it does when the approve arrives first but out of order within the lateness: no alert', () => {
    const eng = engineFor(['PRC-03']);
    const out = [
      ...eng.onEvent(ev({ id: 'c1', action: 'complete', officer: 'B1-O1' }, T0 + 1000), T0 + 1000),
      ...eng.onEvent(ev({ id: 'p1', action: 'approve', officer: 'B1-O4' }, T0 + 500), T0 + 1001),
      ...eng.onTick(T0 + 60_000),
    ];
    expect(out).toEqual([]);
  });

  it('what it does when the approve is late (after the time point fired): the alert stays', () => {
    const eng = engineFor(['PRC-03']);
    const out = [
      ...eng.onEvent(ev({ id: 'c1', action: 'complete', officer: 'B1-O1' }, T0), T0),
      ...eng.onTick(T0 + 10_000),
      ...eng.onEvent(ev({ id: 'p1', action: 'approve', officer: 'B1-O4' }, T0 - 1), T0 + 10_001),
    ];
    expect(evidence(out)).toEqual([['c1']]);
  });
});
