import { describe, expect, it } from 'vitest';
import type { IndicatorDef } from '../catalog/types.js';
import type { ReferenceData } from '../types.js';
import { ReferenceIndex } from '../reference/index.js';
import { ev, smallReference, T0 } from '../engine/testing/fixtures.js';
import { evidence, run } from '../engine/testing/harness.js';
import { binomialTail } from './assignmentBias.js';

const D = 86_400_000;
const def: IndicatorDef = {
  id: 'TST-02', version: 1, name: { zh: '测试', en: 'test' }, category: 'process', severity: 'high', kind: 'assignmentBias', enabled: true,
  matters: {}, actions: ['assign'], rationale: { zh: '测试', en: 'test' },
  params: { windowMs: 180 * D, minCount: 4, alpha: 1e-4, poolRoles: ['tax'], quietMs: 180 * D },
};
const draw = (i: number, who: string, tp = 'T1', mode = 'random') => ev({ id: `s${i}`, action: 'assign', officer: 'system', item: `I${i}`, taxpayer: tp, attrs: { mode, assignee: who } }, T0 + i * D);

describe('rule kind assignmentBias', () => {
  it('what binomialTail gives: the exact tail P(X ≥ k), checked against a direct sum', () => {
    const direct = (n: number, k: number, p: number) => {
      let s = 0;
      for (let i = k; i <= n; i++) { let c = 1; for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j; s += c * p ** i * (1 - p) ** (n - i); }
      return s;
    };
    for (const [n, k, p] of [[4, 4, 1 / 12], [20, 6, 0.1], [50, 1, 0.02], [10, 0, 0.5], [30, 12, 1 / 19]] as const) expect(binomialTail(n, k, p)).toBeCloseTo(direct(n, k, p), 12);
    expect([binomialTail(3, 4, 0.5), binomialTail(5, 1, 0)]).toEqual([0, 0]);
  });

  it('what it does when one officer draws a taxpayer 4 times of 4 in a pool of 12: (1/12)^4 < 1e-4, alert on the 4th draw', () => {
    // smallReference: 12 tax officers in B1
    const alerts = run([def], [draw(0, 'B1-O3'), draw(1, 'B1-O3'), draw(2, 'B1-O3'), draw(3, 'B1-O3')]);
    expect(evidence(alerts)).toEqual([['s0', 's1', 's2', 's3']]);
    expect(alerts[0]!.officer).toBe('B1-O3');
  });

  it('what it does when the draws look like chance, are manual, or the pool is small: nothing', () => {
    expect(run([def], [draw(0, 'B1-O3'), draw(1, 'B1-O4'), draw(2, 'B1-O3'), draw(3, 'B1-O3'), draw(4, 'B1-O5')])).toEqual([]);
    expect(run([def], [0, 1, 2, 3].map((i) => draw(i, 'B1-O3', 'T1', 'manual')))).toEqual([]);
    // a pool of 4 active tax officers: (1/4)^4 = 0.0039 ≥ 1e-4
    const data: ReferenceData = smallReference().data;
    const small = new ReferenceIndex({ ...data, officers: data.officers.map((o, i) => (o.bureau === 'B1' && i >= 4 ? { ...o, active: false } : o)) });
    expect(run([def], [0, 1, 2, 3].map((i) => draw(i, 'B1-O1')), small)).toEqual([]);
    // the same draws in the full pool do raise (positive control)
    expect(run([def], [0, 1, 2, 3].map((i) => draw(i, 'B1-O1')))).toHaveLength(1);
  });
});
