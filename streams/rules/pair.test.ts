import { describe, expect, it } from 'vitest';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { engineFor, evidence, jitter, run } from '../engine/testing/harness.js';

const M = 60_000;

describe('pair rules (PRC-01 self-approval, PRC-04 modified after completion)', () => {
  it('what it does when one officer accepts/handles and approves an item, in either order', () => {
    const evs = [
      ev({ id: 'a', item: 'I1', action: 'approve', officer: 'B1-O4', amount: 10 }, T0),
      ev({ id: 'b', item: 'I1', action: 'handle', officer: 'B1-O4' }, T0 + M),
      ev({ id: 'c', item: 'I1', action: 'accept', officer: 'B1-O4' }, T0 + 2 * M), // after the pair: once per item
      ev({ id: 'd', item: 'I2', action: 'handle', officer: 'B1-O3' }, T0 + 3 * M),
      ev({ id: 'e', item: 'I2', action: 'accept', officer: 'B1-O3' }, T0 + 4 * M),
      ev({ id: 'f', item: 'I2', action: 'approve', officer: 'B1-O3' }, T0 + 5 * M),
      ev({ id: 'g', item: 'I2', action: 'approve', officer: 'B1-O3' }, T0 + 6 * M),
    ];
    const alerts = run(['PRC-01'], evs);
    expect(evidence(alerts)).toEqual([['b', 'a'], ['d', 'f']]);
    expect(alerts[0].officer).toBe('B1-O4');
    expect(alerts[0].ts).toBe(T0 + M); // the event that completed the pair
  });

  it('what it does when accept and approve are by different officers, or by system', () => {
    const evs = [
      ev({ id: 'a', action: 'accept', officer: 'B1-O1' }, T0),
      ev({ id: 'b', action: 'approve', officer: 'B1-O2' }, T0 + M),
      ev({ id: 'c', item: 'I2', action: 'accept', officer: 'system' }, T0 + 2 * M),
      ev({ id: 'd', item: 'I2', action: 'approve', officer: 'system' }, T0 + 3 * M),
    ];
    expect(run(['PRC-01'], evs)).toEqual([]);
  });

  it('what it does when the pair events arrive out of order within the lateness: same alert as sorted', () => {
    const evs = [
      ev({ id: 'h1', action: 'handle', officer: 'B1-O4' }, T0),
      ev({ id: 'h2', action: 'accept', officer: 'B1-O4' }, T0 + 1000),
      ev({ id: 'h3', action: 'approve', officer: 'B1-O4' }, T0 + 2000),
      ev({ id: 'h4', action: 'approve', officer: 'B1-O4' }, T0 + 3000),
    ];
    const sorted = evidence(run(['PRC-01'], evs));
    expect(sorted).toEqual([['h1', 'h3']]);
    for (const order of [[3, 2, 1, 0], [2, 3, 0, 1], [1, 0, 3, 2]]) {
      const eng = engineFor(['PRC-01']);
      const out = order.flatMap((i) => eng.onEvent(evs[i], T0 + 3000));
      out.push(...eng.onTick(T0 + 60_000));
      expect(evidence(out)).toEqual(sorted);
    }
  });

  it('what it does when a modify comes at the same ts as the first complete, or 1 ms later', () => {
    const evs = [
      ev({ id: 'c1', action: 'complete', officer: 'system' }, T0), // system's complete counts as the item's completion
      ev({ id: 'm0', action: 'modify', officer: 'B1-O2' }, T0), // same ts: not later
      ev({ id: 'c2', action: 'complete', officer: 'B1-O1' }, T0 + 10), // not the first complete
      ev({ id: 'm1', action: 'modify', officer: 'B1-O2' }, T0 + 1),
      ev({ id: 'm2', action: 'modify', officer: 'B1-O3' }, T0 + 5 * M),
      ev({ id: 'm3', action: 'modify', officer: 'system' }, T0 + 6 * M), // system never a subject
      ev({ id: 'x1', item: 'I9', action: 'modify', officer: 'B1-O3' }, T0), // before completion
      ev({ id: 'x2', item: 'I9', action: 'complete', officer: 'B1-O3' }, T0 + M),
    ];
    const alerts = run(['PRC-04'], evs.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1)));
    expect(evidence(alerts)).toEqual([['c1', 'm1'], ['c1', 'm2']]);
    expect(alerts.map((a) => a.officer)).toEqual(['B1-O2', 'B1-O3']);
  });

  it('what it does when a modify is late (behind the watermark): still evaluated, at once', () => {
    const eng = engineFor(['PRC-04']);
    eng.onEvent(ev({ id: 'c', action: 'complete' }, T0), T0);
    eng.onEvent(ev({ id: 'z', item: 'Z', action: 'handle' }, T0 + 10 * M), T0 + 10 * M);
    expect(eng.watermark).toBe(T0 + 10 * M - 5000);
    const out = eng.onEvent(ev({ id: 'm', action: 'modify' }, T0 + M), T0 + 10 * M + 1);
    expect(evidence(out)).toEqual([['c', 'm']]);
  });

  it('what it does when PRC-04 events are jittered within the lateness: same alerts', () => {
    const evs = [ev({ id: 'c', action: 'complete' }, T0)];
    for (let i = 1; i <= 6; i++) evs.push(ev({ id: `m${i}`, action: 'modify', officer: 'B1-O1' }, T0 + i * 700));
    const base = evidence(run(['PRC-04'], evs)).map((x) => x.join()).sort();
    for (let s = 1; s < 6; s++) expect(evidence(run(['PRC-04'], jitter(evs, 4000, s))).map((x) => x.join()).sort()).toEqual(base);
  });
});
