import { describe, expect, it } from 'vitest';
import type { OpEvent } from '../types.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { evidence, run } from '../engine/testing/harness.js';

const H = 3_600_000;
const LIMIT = 24 * H; // IN: standard_hours 240 → 10 % = 24 h
const item = (k: string, completeAt: number, p: Partial<OpEvent> = {}, withIssue = true) => [
  ...(withIssue ? [ev({ id: `${k}i`, item: k, action: 'issue', officer: 'system', matter: 'IN' }, T0)] : []),
  ev({ id: `${k}c`, item: k, action: 'complete', officer: 'B1-O2', matter: 'IN', ...p }, T0 + completeAt),
];

describe('elapsed rules (INS-02 fast zero-adjustment close)', () => {
  it('what it does when the close is 1 ms under, or exactly at, 10 % of the standard hours', () => {
    expect(evidence(run(['INS-02'], item('A', LIMIT - 1)))).toEqual([['Ai', 'Ac']]);
    expect(run(['INS-02'], item('A', LIMIT))).toEqual([]);
  });

  it('what it does with the amount: absent or 0 raises, above 0 does not', () => {
    expect(evidence(run(['INS-02'], item('A', H, { amount: 0 })))).toEqual([['Ai', 'Ac']]);
    expect(run(['INS-02'], item('A', H, { amount: 1 }))).toEqual([]);
  });

  it('what it does without an earlier issue, on other matters, or after a system complete', () => {
    expect(run(['INS-02'], item('A', H, {}, false))).toEqual([]);
    expect(run(['INS-02'], [ev({ id: 'i', item: 'R', action: 'issue', officer: 'system', matter: 'RF' }, T0), ev({ id: 'c', item: 'R', action: 'complete', matter: 'RF' }, T0 + 1)])).toEqual([]);
    // a system complete is not an officer's; the first officer complete is evaluated
    const evs = [...item('A', 2 * H), ev({ id: 'As', item: 'A', action: 'complete', officer: 'system', matter: 'IN' }, T0 + H)].sort((a, b) => a.ts - b.ts);
    expect(evidence(run(['INS-02'], evs))).toEqual([['Ai', 'Ac']]);
  });

  it('what it does with a second officer complete: only the first is evaluated', () => {
    const evs = [...item('A', H, { amount: 5 }), ev({ id: 'A2', item: 'A', action: 'complete', officer: 'B1-O3', matter: 'IN' }, T0 + 2 * H)];
    expect(run(['INS-02'], evs)).toEqual([]);
  });
});

describe('elapsed rules: the first officer complete decides the item', () => {
  it('what it does when the first complete had no earlier issue: a later issue and complete are not evaluated', () => {
    const evs = [
      ev({ id: 'c1', item: 'A', action: 'complete', officer: 'B1-O2', matter: 'IN' }, T0),
      ev({ id: 'i1', item: 'A', action: 'issue', officer: 'system', matter: 'IN' }, T0 + 1000),
      ev({ id: 'c2', item: 'A', action: 'complete', officer: 'B1-O3', matter: 'IN' }, T0 + 2000),
    ];
    expect(run(['INS-02'], evs)).toEqual([]);
  });
});
