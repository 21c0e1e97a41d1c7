/** Time-series option: one line per series over labelled buckets, with dataZoom for long ranges. */
import type { EChartsCoreOption } from 'echarts/core';

export interface TrendSeries { name: string; data: (number | null)[]; kind?: 'line' | 'bar' }
export interface TrendInput { labels: string[]; series: TrendSeries[]; zoom?: boolean; percent?: boolean }

export function buildTrendOption(input: TrendInput): EChartsCoreOption {
  const zoom = input.zoom ?? true;
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: input.series.map((s) => s.name) },
    grid: { left: 48, right: 16, top: 32, bottom: zoom ? 64 : 24 },
    xAxis: { type: 'category', data: input.labels, boundaryGap: input.series.some((s) => s.kind === 'bar') },
    yAxis: { type: 'value', axisLabel: input.percent ? { formatter: (v: number) => `${Math.round(v * 100)}%` } : {} },
    dataZoom: zoom ? [{ type: 'inside' }, { type: 'slider', height: 20, bottom: 8 }] : [],
    series: input.series.map((s) => ({ name: s.name, type: s.kind ?? 'line', data: s.data, showSymbol: input.labels.length < 60, connectNulls: true, barMaxWidth: 32 })),
  };
}

/** A tiny line without axes for a KPI card. */
export function buildSparklineOption(values: (number | null)[]): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: 'category', show: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false, scale: true },
    series: [{ type: 'line', data: values, showSymbol: false, lineStyle: { width: 1.5 }, areaStyle: { opacity: 0.15 } }],
  };
}
