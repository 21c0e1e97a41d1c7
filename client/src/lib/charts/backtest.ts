/** Backtest result per day: the changed definition's hits, against the saved one's when given. */
import type { EChartsCoreOption } from 'echarts/core';

export interface DayHits { day: string; hits: number }

export function buildBacktestOption(candidate: DayHits[], names: { candidate: string; current?: string }, current?: DayHits[]): EChartsCoreOption {
  const days = [...new Set([...candidate.map((d) => d.day), ...(current ?? []).map((d) => d.day)])].sort();
  const lookup = (list: DayHits[]) => { const m = new Map(list.map((d) => [d.day, d.hits])); return days.map((d) => m.get(d) ?? 0); };
  const series: object[] = [{ name: names.candidate, type: 'bar', barMaxWidth: 32, data: lookup(candidate), itemStyle: { color: '#dd6b20' } }];
  if (current) series.push({ name: names.current ?? 'current', type: 'line', data: lookup(current), itemStyle: { color: '#2b6cb0' } });
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 56 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
}
