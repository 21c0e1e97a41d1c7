import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_PARAMS as P, decay, explainPart, indicatorWeight, scoreOf } from './model.js';

describe('indicatorWeight', () => {
  it('is the prior mean α/(α+β) for an indicator with no resolutions', () => {
    expect(indicatorWeight([], P)).toBe(1 / 5);
  });
  it('is (α + confirmed)/(α + β + resolved) for resolutions of today', () => {
    const r = [{ ageDays: 0, confirmed: true }, { ageDays: 0, confirmed: false }];
    expect(indicatorWeight(r, P)).toBeCloseTo(2 / 7, 12);
  });
  it('counts a resolution one half-life old as half a resolution', () => {
    expect(decay(180, 180)).toBe(0.5);
    const r = [{ ageDays: 180, confirmed: true }, { ageDays: 180, confirmed: true }, { ageDays: 0, confirmed: false }];
    expect(indicatorWeight(r, P)).toBeCloseTo((1 + 1) / (5 + 2), 12);
  });
  it('moves towards the observed share with many resolutions', () => {
    const r = Array.from({ length: 1000 }, (_, i) => ({ ageDays: 0, confirmed: i % 10 < 6 }));
    expect(indicatorWeight(r, P)).toBeCloseTo(601 / 1005, 12);
  });
});

describe('score', () => {
  it('sums alerts × weight and explains each part', () => {
    expect(scoreOf([{ alerts: 2, weight: 2 / 7 }, { alerts: 1, weight: 3 / 7 }])).toBeCloseTo(1, 12);
    expect(explainPart({ indicator: 'PRC-01', alerts: 2, weight: 0.6, confirmed: 14, resolved: 23 })).toBe('PRC-01 ×2, weight 0.60 from 14/23 confirmed');
  });
});
