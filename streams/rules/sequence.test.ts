import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../catalog/types.js';
import { ev, smallReference, T0 } from '../engine/testing/fixtures.js';
import { engineFor, evidence, FAR, run } from '../engine/testing/harness.js';
import { IndicatorEngine } from '../engine/engine.js';

const D = 86_400_000;
// per taxpayer: a modify on FL (filing), then an approve on RF, then a cancel on IN, within 30 d; a complete on IN resets
const def: IndicatorDef = {
  id: 'TST-01', version: 1, name: { zh: '测试', en: 'test' }, category: 'process', severity: 'high', kind: 'sequence', enabled: true,
  matters: {}, actions: ['modify', 'approve', 'cancel', 'complete'], rationale: { zh: '测试', en: 'test' },
  params: {
    key: ['taxpayer'], windowMs: 30 * D, subject: 2, quietMs: 30 * D,
    steps: [{ actions: ['modify'], when: [{ matter: { codes: ['FL'] } }], includeSystem: true }, { actions: ['approve'], when: [{ matter: { codes: ['RF'] } }] }, { actions: ['cancel'], when: [{ matter: { codes: ['IN'] } }] }],
    reset: { actions: ['complete'], when: [{ matter: { codes: ['IN'] } }], includeSystem: true },
  },
};
const m = (id: string, d: number, tp = 'T1') => ev({ id, action: 'modify', matter: 'FL', taxpayer: tp, officer: 'system' }, T0 + d * D);
const a = (id: string, d: number, tp = 'T1') => ev({ id, action: 'approve', matter: 'RF', taxpayer: tp, officer: 'B1-O1' }, T0 + d * D);
const c = (id: string, d: number, tp = 'T1') => ev({ id, action: 'cancel', matter: 'IN', taxpayer: tp, officer: 'B1-O2' }, T0 + d * D);

describe('rule kind sequence', () => {
  it('what it does when the steps come in order within the window: one alert, evidence in step order, subject the last step\'s officer', () => {
    const alerts = run([def], [m('m1', 0), a('a1', 5), c('c1', 30)]);
    expect(evidence(alerts)).toEqual([['m1', 'a1', 'c1']]);
    expect(alerts[0]!.officer).toBe('B1-O2');
    expect(alerts[0]!.taxpayer).toBe('T1');
  });

  it('what it does when the chain is one ms too long, out of order, on another taxpayer, or reset: nothing', () => {
    expect(run([def], [m('m1', 0), a('a1', 5), ev({ id: 'c1', action: 'cancel', matter: 'IN', taxpayer: 'T1', officer: 'B1-O2' }, T0 + 30 * D + 1)])).toEqual([]);
    expect(run([def], [a('a1', 0), m('m1', 1), c('c1', 2)])).toEqual([]);
    expect(run([def], [m('m1', 0), a('a1', 1, 'T2'), c('c1', 2)])).toEqual([]);
    const reset = ev({ id: 'r1', action: 'complete', matter: 'IN', taxpayer: 'T1', officer: 'system' }, T0 + 2 * D);
    expect(run([def], [m('m1', 0), a('a1', 1), reset, c('c1', 3)])).toEqual([]);
  });

  it('what it does with a later start: the chain with the latest first step is kept, so it still fits the window', () => {
    expect(evidence(run([def], [m('m1', 0), m('m2', 20), a('a1', 25), c('c1', 40)]))).toEqual([['m2', 'a1', 'c1']]);
  });

  it('what it does after an alert: quiet for the key, then a new chain counts again', () => {
    const evs = [m('m1', 0), a('a1', 1), c('c1', 2), m('m2', 3), a('a2', 4), c('c2', 5), m('m3', 40), a('a3', 41), c('c3', 42)];
    expect(evidence(run([def], evs))).toEqual([['m1', 'a1', 'c1'], ['m3', 'a3', 'c3']]);
  });

  it('what it does across a restart: the chain in progress survives a snapshot', () => {
    const ref = smallReference();
    const e1 = engineFor([def], ref);
    for (const x of [m('m1', 0), a('a1', 1)]) e1.onEvent(x, x.ts);
    e1.onTick(T0 + 1 * D + 10_000);
    const snap = JSON.parse(JSON.stringify(e1.snapshot()));
    const e2 = IndicatorEngine.restore(snap, [def], ref, e1.config);
    const x = c('c1', 2);
    const out = [...e2.onEvent(x, x.ts), ...e2.onTick(FAR)];
    expect(evidence(out)).toEqual([['m1', 'a1', 'c1']]);
  });
});
