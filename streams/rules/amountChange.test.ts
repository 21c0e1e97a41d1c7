import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../catalog/types.js';
import { ev, T0 } from '../engine/testing/fixtures.js';
import { evidence, run } from '../engine/testing/harness.js';

const D = 86_400_000;
const def = (key: 'item' | 'taxpayer'): IndicatorDef => ({
  id: 'TST-03', version: 1, name: { zh: '测试', en: 'test' }, category: 'inspection', severity: 'high', kind: 'amountChange', enabled: true,
  matters: {}, actions: ['approve', 'modify'], rationale: { zh: '测试', en: 'test' },
  params: { key, from: { actions: ['approve'] }, to: { actions: ['modify'] }, below: 0.5, withinMs: 30 * D },
});

describe('rule kind amountChange', () => {
  it('what it does when a later amount is below half the latest baseline: alert with the baseline and the cut', () => {
    const evs = [ev({ id: 'a1', action: 'approve', amount: 1000 }), ev({ id: 'a2', action: 'approve', amount: 800 }, T0 + D), ev({ id: 'm1', action: 'modify', amount: 399 }, T0 + 2 * D)];
    expect(evidence(run([def('item')], evs))).toEqual([['a2', 'm1']]);
  });

  it('what it does at exactly half, after the window, on another item, or without a baseline: nothing', () => {
    const base = ev({ id: 'a1', action: 'approve', amount: 1000 });
    expect(run([def('item')], [base, ev({ id: 'm1', action: 'modify', amount: 500 }, T0 + D)])).toEqual([]);
    expect(run([def('item')], [base, ev({ id: 'm1', action: 'modify', amount: 1 }, T0 + 31 * D)])).toEqual([]);
    expect(run([def('item')], [base, ev({ id: 'm1', action: 'modify', amount: 1, item: 'I2' }, T0 + D)])).toEqual([]);
    expect(run([def('item')], [ev({ id: 'm1', action: 'modify', amount: 1 })])).toEqual([]);
    // keyed by taxpayer, the other item of the same taxpayer does count (positive control)
    expect(evidence(run([def('taxpayer')], [ev({ id: 'a1', action: 'approve', amount: 1000, taxpayer: 'T1' }), ev({ id: 'm1', action: 'modify', amount: 1, item: 'I2', taxpayer: 'T1' }, T0 + D)]))).toEqual([['a1', 'm1']]);
  });
});
