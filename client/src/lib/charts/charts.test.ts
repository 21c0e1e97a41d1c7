import { describe, expect, it } from 'vitest';
import { buildTrendOption, buildSparklineOption } from './trend';
import { buildHeatmapOption } from './heatmap';
import { buildRankingOption } from './ranking';
import { buildBacktestOption, daysOf } from './backtest';

type Any = Record<string, any>;

describe('buildTrendOption', () => {
  it('has one series per input, the labels on x, and dataZoom by default', () => {
    const o = buildTrendOption({ labels: ['a', 'b'], series: [{ name: 'x', data: [1, 2] }, { name: 'y', data: [3, null], kind: 'bar' }] }) as Any;
    expect(o.xAxis.data).toEqual(['a', 'b']);
    expect(o.series.map((s: Any) => s.type)).toEqual(['line', 'bar']);
    expect(o.dataZoom.map((d: Any) => d.type)).toEqual(['inside', 'slider']);
  });
  it('can omit dataZoom and is pure', () => {
    const input = { labels: ['a'], series: [{ name: 'x', data: [1] }], zoom: false };
    const o1 = buildTrendOption(input);
    const o2 = buildTrendOption(input);
    expect((o1 as Any).dataZoom).toEqual([]);
    expect(JSON.stringify(o1)).toBe(JSON.stringify(o2));
    expect(input.labels).toEqual(['a']);
  });
  it('sparkline has hidden axes', () => {
    const o = buildSparklineOption([1, 2, 3]) as Any;
    expect(o.xAxis.show).toBe(false);
    expect(o.series[0].data).toEqual([1, 2, 3]);
  });
});

describe('buildHeatmapOption', () => {
  it('places [x, y, value] cells and scales the visual map to the max', () => {
    const o = buildHeatmapOption({
      rows: [{ key: 'B01', label: '福田' }, { key: 'B02', label: '罗湖' }],
      columns: [{ key: 'service', label: 'S' }, { key: 'process', label: 'P' }],
      value: (r, c) => (r === 'B02' && c === 'process' ? 7 : 1),
    }) as Any;
    expect(o.series[0].data).toContainEqual([1, 1, 7]);
    expect(o.series[0].data).toHaveLength(4);
    expect(o.visualMap[0].max).toBe(7);
    expect(o.yAxis.data).toEqual(['福田', '罗湖']);
  });
  it('keeps a positive scale when all values are zero', () => {
    const o = buildHeatmapOption({ rows: [{ key: 'a', label: 'a' }], columns: [{ key: 'c', label: 'c' }], value: () => 0 }) as Any;
    expect(o.visualMap[0].max).toBe(1);
  });
  it('puts the total on its own scale, so a large total does not wash out the categories', () => {
    const o = buildHeatmapOption({
      rows: [{ key: 'B01', label: 'a' }], columns: [{ key: 'service', label: 'S' }, { key: 'process', label: 'P' }],
      value: (_r, c) => (c === 'service' ? 3 : 2), total: { label: 'T', value: () => 500 },
    }) as Any;
    expect(o.visualMap[0].max).toBe(3);
    expect(o.visualMap[1]).toMatchObject({ seriesIndex: 1, max: 500 });
    expect(o.series[1].data).toEqual([[2, 0, 500]]);
    expect(o.xAxis.data).toEqual(['S', 'P', 'T']);
    expect(o.xAxis.axisLabel.interval).toBe(0);
  });
});

describe('buildRankingOption', () => {
  it('sorts highest first and carries keys for clicks', () => {
    const items = [{ key: 'B01', label: 'a', value: 1 }, { key: 'B02', label: 'b', value: 5 }];
    const o = buildRankingOption(items, 'alerts') as Any;
    expect(o.yAxis.data).toEqual(['b', 'a']);
    expect(o.series[0].data[0]).toEqual({ value: 5, key: 'B02' });
    expect(items[0]!.key).toBe('B01');
  });
});

describe('buildBacktestOption', () => {
  it('shows every day of the range, days without hits as zeros', () => {
    const o = buildBacktestOption({ from: '2026-01-30', to: '2026-02-03' }, [{ day: '2026-02-02', hits: 3 }], { candidate: 'new', current: 'saved' }, [{ day: '2026-01-30', hits: 1 }]) as Any;
    expect(o.xAxis.data).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03']);
    expect(o.series[0].data).toEqual([0, 0, 0, 3, 0]);
    expect(o.series[1].data).toEqual([1, 0, 0, 0, 0]);
  });
  it('has a bar for an empty result too (all zeros), and only the candidate when there is no current', () => {
    const o = buildBacktestOption({ from: '2026-03-01', to: '2026-03-03' }, [], { candidate: 'new' }) as Any;
    expect(o.series).toHaveLength(1);
    expect(o.series[0].data).toEqual([0, 0, 0]);
  });
  it('crosses a leap day', () => {
    expect(daysOf('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysOf('2026-01-02', '2026-01-01')).toEqual([]);
  });
});
