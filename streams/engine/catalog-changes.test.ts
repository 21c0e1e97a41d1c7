import { describe, expect, it } from 'vitest';
import { ev, T0, smallReference } from './testing/fixtures.js';
import { defsOf, engineFor, evidence } from './testing/harness.js';
import { ReferenceIndex } from '../reference/index.js';

const M = 60_000;

describe('IndicatorEngine catalog and reference changes', () => {
  it('what it does when the catalog changes: same version keeps state, a new version starts fresh and is recorded', () => {
    const eng = engineFor(['PRC-05']);
    for (let i = 0; i < 4; i++) eng.onEvent(ev({ id: `c${i}`, item: `I${i}`, action: 'cancel' }, T0 + i * M), T0 + i * M);
    eng.setCatalog(defsOf('PRC-05')); // unchanged
    let out = eng.onEvent(ev({ id: 'c4', item: 'I4', action: 'cancel' }, T0 + 4 * M), T0 + 4 * M);
    out = [...out, ...eng.onTick(T0 + 10 * M)];
    expect(evidence(out)).toEqual([['c0', 'c1', 'c2', 'c3', 'c4']]);
    const v2 = { ...defsOf('PRC-05')[0], version: 2, params: { ...defsOf('PRC-05')[0].params, count: 2, quietMs: 0 } };
    eng.setCatalog([v2]);
    out = [
      ...eng.onEvent(ev({ id: 'd0', item: 'J0', action: 'cancel' }, T0 + 200 * M), T0 + 200 * M),
      ...eng.onEvent(ev({ id: 'd1', item: 'J1', action: 'cancel' }, T0 + 201 * M), T0 + 201 * M),
      ...eng.onTick(T0 + 300 * M),
    ];
    expect(out.map((a) => [a.indicator_version, a.evidence.join()])).toEqual([[2, 'd0,d1']]);
    eng.setCatalog([{ ...v2, enabled: false }]);
    expect(eng.onEvent(ev({ id: 'd2', item: 'J2', action: 'cancel' }, T0 + 400 * M), T0 + 400 * M)).toEqual([]);
  });

  it('what it does when the reference data changes: the rule reads it as it stands when deciding', () => {
    const ref = smallReference();
    const eng = engineFor(['SVC-01'], ref);
    const night = T0 + 12 * 60 * M; // 21:00 local
    expect(eng.onEvent(ev({ id: 'a', action: 'approve', matter: 'CN' }, night), night)).toEqual([]);
    const d = ref.data;
    eng.setReference(new ReferenceIndex({ ...d, matters: d.matters.map((m) => (m.code === 'CN' ? { ...m, power: true } : m)) }, 1));
    expect(evidence(eng.onEvent(ev({ id: 'b', action: 'approve', matter: 'CN' }, night + 1), night + 1))).toEqual([['b']]);
  });

  it('what it does with keyed state over time: finished items and expired windows are dropped', () => {
    const eng = engineFor(['TSK-01', 'PRC-01', 'PRC-05']);
    for (let i = 0; i < 100; i++) {
      const t = T0 + i * M;
      eng.onEvent(ev({ id: `i${i}`, item: `I${i}`, action: 'issue', officer: 'system' }, t), t);
      eng.onEvent(ev({ id: `a${i}`, item: `I${i}`, action: 'accept', officer: 'B1-O1' }, t + 1), t + 1);
      eng.onEvent(ev({ id: `c${i}`, item: `I${i}`, action: 'complete', officer: 'B1-O1' }, t + 2), t + 2);
    }
    expect(eng.stats().pendingTimers).toBeLessThanOrEqual(1);
    eng.onTick(T0 + 400 * 86_400_000);
    expect(eng.stats()).toEqual({ bufferedEvents: 0, keyedItems: 0, pendingTimers: 0 });
  });
});
