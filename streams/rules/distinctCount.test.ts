import { describe, expect, it } from 'vitest';
import type { OpEvent } from '../types.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { evidence, jitter, run } from '../engine/testing/harness.js';

const D = 86_400_000;
const acc = (id: string, item: string, o: number, p: Partial<OpEvent> = {}) =>
  ev({ id, item, action: 'accept', matter: 'IN', officer: 'B1-O3', taxpayer: 'TP1', ...p }, T0 + o);

describe('distinctCount rules (INS-01 repeated inspector–taxpayer pairing)', () => {
  it('what it does when the 3rd distinct item is accepted exactly 90 days after the 1st', () => {
    const alerts = run(['INS-01'], [acc('a1', 'X', 0), acc('a2', 'Y', D), acc('a3', 'Z', 90 * D)]);
    expect(evidence(alerts)).toEqual([['a1', 'a2', 'a3']]);
    expect(alerts[0].taxpayer).toBe('TP1');
    expect(alerts[0].officer).toBe('B1-O3');
  });

  it('what it does when the 3rd is 90 days + 1 ms after the 1st: no alert', () => {
    expect(run(['INS-01'], [acc('a1', 'X', 0), acc('a2', 'Y', D), acc('a3', 'Z', 90 * D + 1)])).toEqual([]);
  });

  it('what it does when one item is accepted twice: counted once, by its first accept', () => {
    const alerts = run(['INS-01'], [acc('a1', 'X', 0), acc('a2', 'X', D), acc('a3', 'Y', 2 * D), acc('a4', 'Z', 3 * D)]);
    expect(evidence(alerts)).toEqual([['a1', 'a3', 'a4']]);
  });

  it('what it does without a taxpayer, on other matters, for system or other officers: nothing', () => {
    const evs = [
      acc('a1', 'X', 0), acc('a2', 'Y', D, { taxpayer: undefined }), acc('a3', 'Z', 2 * D, { matter: 'RF' }),
      acc('a4', 'W', 3 * D, { officer: 'system' }), acc('a5', 'V', 4 * D, { officer: 'B1-O4' }), acc('a6', 'U', 5 * D, { taxpayer: 'TP2' }),
    ];
    expect(run(['INS-01'], evs)).toEqual([]);
  });

  it('what it does in the quiet period: the pair is quiet until 90 days after the alert', () => {
    const evs = [acc('a1', 'A', 0), acc('a2', 'B', 1), acc('a3', 'C', 2), acc('a4', 'D', 3), acc('a5', 'E', 4), acc('a6', 'F', 90 * D + 2),
      acc('a7', 'G', 90 * D + 3), acc('a8', 'H', 90 * D + 4), acc('a9', 'I', 90 * D + 5)];
    expect(evidence(run(['INS-01'], evs))).toEqual([['a1', 'a2', 'a3'], ['a7', 'a8', 'a9']]);
  });

  it('what it does when accepts are shuffled within the lateness: same alerts', () => {
    const evs = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((it, i) => acc(`a${i}`, it, i * 900));
    const base = evidence(run(['INS-01'], evs));
    expect(base).toEqual([['a0', 'a1', 'a2']]); // a3..a6 fall in the quiet period
    for (let s = 1; s <= 8; s++) expect(evidence(run(['INS-01'], jitter(evs, 4000, s)))).toEqual(base);
  });
});
