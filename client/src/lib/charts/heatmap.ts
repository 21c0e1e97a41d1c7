/**
 * Row × column heat-map grid (bureaus or sections × categories), colour by value, with an optional
 * total column on its own grey scale (a total is not on the categories' scale: it would wash them
 * out). Height grows with the rows so labels never overlap: use `heatmapHeight`.
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface HeatmapInput {
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  value: (row: string, column: string) => number;
  /** The row totals, shown as a last column on a separate scale. */
  total?: { label: string; value: (row: string) => number };
}

export const HEAT_ROW_PX = 26;
export const heatmapHeight = (rows: number) => Math.max(160, rows * HEAT_ROW_PX + 96);

export function buildHeatmapOption(input: HeatmapInput): EChartsCoreOption {
  const data: [number, number, number][] = [];
  const totals: [number, number, number][] = [];
  let max = 0, maxTotal = 0;
  input.rows.forEach((r, y) => {
    input.columns.forEach((c, x) => {
      const v = input.value(r.key, c.key);
      if (v > max) max = v;
      data.push([x, y, v]);
    });
    if (input.total) {
      const v = input.total.value(r.key);
      if (v > maxTotal) maxTotal = v;
      totals.push([input.columns.length, y, v]);
    }
  });
  const xLabels = [...input.columns.map((c) => c.label), ...(input.total ? [input.total.label] : [])];
  const visualMap: Record<string, unknown>[] = [{
    seriesIndex: 0, min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 120,
    inRange: { color: ['#f5f7fa', '#fbd38d', '#e53e3e'] },
  }];
  const series: Record<string, unknown>[] = [{ type: 'heatmap', data, label: { show: true, fontSize: 11 } }];
  if (input.total) {
    visualMap.push({ seriesIndex: 1, show: false, min: 0, max: Math.max(1, maxTotal), inRange: { color: ['#edf2f7', '#a0aec0'] } });
    series.push({ type: 'heatmap', data: totals, label: { show: true, fontSize: 11, fontWeight: 'bold' } });
  }
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: xLabels, splitArea: { show: true }, axisLabel: { interval: 0, hideOverlap: false, width: 72, overflow: 'break' } },
    yAxis: { type: 'category', data: input.rows.map((r) => r.label), inverse: true, splitArea: { show: true }, axisLabel: { interval: 0, width: 96, overflow: 'truncate' } },
    visualMap,
    series,
  };
}
