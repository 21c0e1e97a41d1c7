/**
 * Charts of the officer profile (docs/officer-profile.md): the officer beside the peers of their
 * section. Pure option builders over figures the server computed (nothing counted here).
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface PeerBar { key: string; label: string; value: number; peer: number | null }

/**
 * Grouped horizontal bars, one row per key (largest officer value on top, then the peers' mean):
 * the officer's value and the peers' mean side by side.
 */
export function buildPeerBarsOption(items: readonly PeerBar[], names: { officer: string; peers: string }): EChartsCoreOption {
  const sorted = [...items].sort((a, b) => b.value - a.value || (b.peer ?? 0) - (a.peer ?? 0) || a.key.localeCompare(b.key));
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [names.officer, names.peers] },
    grid: { left: 120, right: 40, top: 28, bottom: 8 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: sorted.map((i) => i.label) },
    series: [
      { name: names.officer, type: 'bar', data: sorted.map((i) => ({ value: i.value, key: i.key })), itemStyle: { color: '#c53030' }, label: { show: true, position: 'right' }, barMaxWidth: 14 },
      { name: names.peers, type: 'bar', data: sorted.map((i) => ({ value: i.peer === null ? null : round2(i.peer), key: i.key })), itemStyle: { color: '#a0aec0' }, barMaxWidth: 14 },
    ],
  };
}

export interface ScorePoint { day: string; score: number; peer_mean: number | null }

/** The officer's daily risk score and the section's mean as two lines over the days that have a snapshot. */
export function buildScoreSeriesOption(points: readonly ScorePoint[], names: { officer: string; peers: string }): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [names.officer, names.peers] },
    grid: { left: 48, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: points.map((p) => p.day), boundaryGap: false },
    yAxis: { type: 'value', min: 0 },
    series: [
      { name: names.officer, type: 'line', data: points.map((p) => round2(p.score)), showSymbol: points.length < 60, itemStyle: { color: '#c53030' } },
      { name: names.peers, type: 'line', data: points.map((p) => (p.peer_mean === null ? null : round2(p.peer_mean))), showSymbol: false, lineStyle: { type: 'dashed' }, itemStyle: { color: '#718096' }, connectNulls: true },
    ],
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Where a value lies among the peers: 0 at the peers' minimum, 1 at their maximum (null without peers or value). */
export function peerPosition(f: { value: number | null; min: number | null; max: number | null }): number | null {
  if (f.value === null || f.min === null || f.max === null) return null;
  if (f.max === f.min) return f.value > f.max ? 1 : f.value < f.min ? 0 : 0.5;
  return Math.min(1, Math.max(0, (f.value - f.min) / (f.max - f.min)));
}
