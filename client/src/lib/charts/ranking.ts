/** Horizontal bar ranking, worst (highest) on top; the bar click carries the item key. */
import type { EChartsCoreOption } from 'echarts/core';

export interface RankItem { key: string; label: string; value: number }

export function buildRankingOption(items: RankItem[], name: string): EChartsCoreOption {
  const sorted = [...items].sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 110, right: 40, top: 8, bottom: 8, containLabel: false },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: sorted.map((i) => i.label) },
    series: [{ name, type: 'bar', data: sorted.map((i) => ({ value: i.value, key: i.key })), label: { show: true, position: 'right' }, itemStyle: { color: '#c53030' } }],
  };
}
