/** Bureau × column heat-map grid: one row per bureau (the 21 grassroots bureaus), colour by value. */
import type { EChartsCoreOption } from 'echarts/core';

export interface HeatmapInput {
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  value: (row: string, column: string) => number;
}

export function buildHeatmapOption(input: HeatmapInput): EChartsCoreOption {
  const data: [number, number, number][] = [];
  let max = 0;
  input.rows.forEach((r, y) => input.columns.forEach((c, x) => {
    const v = input.value(r.key, c.key);
    if (v > max) max = v;
    data.push([x, y, v]);
  }));
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 90, right: 16, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: input.columns.map((c) => c.label), splitArea: { show: true } },
    yAxis: { type: 'category', data: input.rows.map((r) => r.label), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 120, inRange: { color: ['#f5f7fa', '#fbd38d', '#e53e3e'] } },
    series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
  };
}
