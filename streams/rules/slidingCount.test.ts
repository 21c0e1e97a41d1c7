import { describe, expect, it } from 'vitest';
import type { OpEvent } from '../types.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { evidence, jitter, run } from '../engine/testing/harness.js';

const M = 60_000;
const H = 60 * M;
const cancels = (offsets: number[], p: Partial<OpEvent> = {}) =>
  offsets.map((o, i) => ev({ id: `c${i + 1}`, item: `I${i + 1}`, action: 'cancel', officer: 'B1-O1', ...p }, T0 + o));

describe('slidingCount rules (PRC-05 cancellation burst, FIL-01 repeated filing edits)', () => {
  it('what it does when the 5th cancel is exactly 60 min after the 1st: an alert with the 5 ids', () => {
    const alerts = run(['PRC-05'], cancels([0, 10 * M, 20 * M, 30 * M, 60 * M]));
    expect(evidence(alerts)).toEqual([['c1', 'c2', 'c3', 'c4', 'c5']]);
    expect(alerts[0].ts).toBe(T0 + 60 * M);
    expect(alerts[0].officer).toBe('B1-O1');
  });

  it('what it does when the 5th cancel is 60 min + 1 ms after the 1st: no alert (the window slides)', () => {
    expect(run(['PRC-05'], cancels([0, 10 * M, 20 * M, 30 * M, 60 * M + 1]))).toEqual([]);
    // but a 6th within 60 min of the 2nd completes a burst of c2..c6
    expect(evidence(run(['PRC-05'], cancels([0, 10 * M, 20 * M, 30 * M, 60 * M + 1, 61 * M])))).toEqual([['c2', 'c3', 'c4', 'c5', 'c6']]);
  });

  it('what it does in the quiet period: ignored up to alert ts + 60 min inclusive, counted from 1 ms after', () => {
    const q = 4 * M + 60 * M; // alert at 4 min, quiet until 64 min inclusive
    const a = run(['PRC-05'], cancels([0, M, 2 * M, 3 * M, 4 * M, 5 * M, 6 * M, 7 * M, 8 * M, q]));
    expect(evidence(a)).toEqual([['c1', 'c2', 'c3', 'c4', 'c5']]); // c6..c10 ignored, do not count
    const b = run(['PRC-05'], cancels([0, M, 2 * M, 3 * M, 4 * M, q + 1, q + 2, q + 3, q + 4, q + 5]));
    expect(evidence(b)).toEqual([['c1', 'c2', 'c3', 'c4', 'c5'], ['c6', 'c7', 'c8', 'c9', 'c10']]);
  });

  it('what it does with system cancels and other officers: they do not count', () => {
    const evs = [
      ...cancels([0, M, 2 * M, 3 * M]),
      ev({ id: 's1', action: 'cancel', officer: 'system' }, T0 + 4 * M),
      ev({ id: 'o1', action: 'cancel', officer: 'B1-O2' }, T0 + 5 * M),
    ];
    expect(run(['PRC-05'], evs)).toEqual([]);
  });

  it('what it does when the cancels arrive shuffled within the lateness: same alerts as sorted', () => {
    const evs = cancels([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    const base = evidence(run(['PRC-05'], evs));
    expect(base).toEqual([['c1', 'c2', 'c3', 'c4', 'c5']]);
    for (let s = 1; s <= 10; s++) expect(evidence(run(['PRC-05'], jitter(evs, 4999, s)))).toEqual(base);
  });

  it('what it does with 3 edits of one filing item by one officer within exactly 24 h, or 24 h + 1 ms', () => {
    const mod = (id: string, o: number, p: Partial<OpEvent> = {}) => ev({ id, action: 'modify', matter: 'FL', item: 'F1', officer: 'B1-O2', ...p }, T0 + o);
    expect(evidence(run(['FIL-01'], [mod('m1', 0), mod('m2', H), mod('m3', 24 * H)]))).toEqual([['m1', 'm2', 'm3']]);
    expect(run(['FIL-01'], [mod('m1', 0), mod('m2', H), mod('m3', 24 * H + 1)])).toEqual([]);
    // other item, other officer, non-filing matter: not counted together
    expect(run(['FIL-01'], [mod('m1', 0), mod('m2', H, { item: 'F2' }), mod('m3', 2 * H, { officer: 'B1-O3' }), mod('m4', 3 * H, { matter: 'RF' })])).toEqual([]);
    // quiet for that officer and item until 24 h after the alert, inclusive
    const q = [mod('m1', 0), mod('m2', 1), mod('m3', 2), mod('m4', 24 * H + 2), mod('m5', 24 * H + 3), mod('m6', 24 * H + 4), mod('m7', 24 * H + 5)];
    expect(evidence(run(['FIL-01'], q))).toEqual([['m1', 'm2', 'm3'], ['m5', 'm6', 'm7']]);
  });
});
