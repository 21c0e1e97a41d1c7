import { describe, expect, it } from 'vitest';
import { buildPeerBarsOption, buildScoreSeriesOption, peerPosition } from './officer';

type Any = Record<string, any>;
const names = { officer: 'O', peers: 'Peers' };

describe('buildPeerBarsOption', () => {
  it('what it does with indicators: one row each, the largest officer count on top, officer and peer mean side by side', () => {
    const o = buildPeerBarsOption([
      { key: 'SVC-02', label: 'SVC-02 x', value: 1, peer: 0 },
      { key: 'PRC-01', label: 'PRC-01 y', value: 2, peer: 0.5 },
      { key: 'INS-01', label: 'INS-01 z', value: 0, peer: 1 / 3 },
    ], names) as Any;
    expect(o.yAxis.data).toEqual(['PRC-01 y', 'SVC-02 x', 'INS-01 z']);
    expect(o.series.map((s: Any) => s.name)).toEqual(['O', 'Peers']);
    expect(o.series[0].data.map((d: Any) => d.value)).toEqual([2, 1, 0]);
    expect(o.series[1].data.map((d: Any) => d.value)).toEqual([0.5, 0, 0.33]);
    expect(o.series[0].data[0].key).toBe('PRC-01');
  });
  it('a section without peers: no peer bars, and the input is not changed', () => {
    const input = [{ key: 'b', label: 'b', value: 1, peer: null }, { key: 'a', label: 'a', value: 1, peer: null }];
    const o = buildPeerBarsOption(input, names) as Any;
    expect(o.series[1].data.map((d: Any) => d.value)).toEqual([null, null]);
    expect(o.yAxis.data).toEqual(['a', 'b']);
    expect(input.map((i) => i.key)).toEqual(['b', 'a']);
  });
});

describe('buildScoreSeriesOption', () => {
  it('two lines over the days: the score and the dashed section mean (gaps kept as null)', () => {
    const o = buildScoreSeriesOption([{ day: '2026-12-01', score: 0.8, peer_mean: 0.1 }, { day: '2026-12-02', score: 1.234, peer_mean: null }], names) as Any;
    expect(o.xAxis.data).toEqual(['2026-12-01', '2026-12-02']);
    expect(o.series[0].data).toEqual([0.8, 1.23]);
    expect(o.series[1].data).toEqual([0.1, null]);
    expect(o.series[1].lineStyle.type).toBe('dashed');
  });
});

describe('peerPosition', () => {
  it('places the value between the peers minimum and maximum, clamped, and is null without a value or peers', () => {
    expect(peerPosition({ value: 0.5, min: 0, max: 1 })).toBe(0.5);
    expect(peerPosition({ value: 3, min: 4, max: 5 })).toBe(0);
    expect(peerPosition({ value: 9, min: 4, max: 5 })).toBe(1);
    expect(peerPosition({ value: 4, min: 4, max: 4 })).toBe(0.5);
    expect(peerPosition({ value: null, min: 0, max: 1 })).toBeNull();
    expect(peerPosition({ value: 1, min: null, max: null })).toBeNull();
  });
});
