/**
 * Backtest result per day: the changed definition's hits, against the saved one's when given.
 * The x axis holds every day of the range, days without hits as 0 (a gap is a fact, not a
 * missing label).
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface DayHits { day: string; hits: number }

/** Every calendar day from `from` to `to` (both `YYYY-MM-DD`, inclusive). */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); Number.isFinite(t) && t <= end && out.length < 3700; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function buildBacktestOption(range: { from: string; to: string }, candidate: DayHits[], names: { candidate: string; current?: string }, current?: DayHits[]): EChartsCoreOption {
  const days = daysOf(range.from, range.to);
  const lookup = (list: DayHits[]) => { const m = new Map(list.map((d) => [d.day.slice(0, 10), d.hits])); return days.map((d) => m.get(d) ?? 0); };
  const series: object[] = [{ name: names.candidate, type: 'bar', barMaxWidth: 32, data: lookup(candidate), itemStyle: { color: '#dd6b20' } }];
  if (current) series.push({ name: names.current ?? 'current', type: 'line', data: lookup(current), itemStyle: { color: '#2b6cb0' } });
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 56 },
    xAxis: { type: 'category', data: days, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
}
