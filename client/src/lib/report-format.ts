/** Formatting of the leader report's figures (pure): shares as percent, changes with the better direction. */
import type { LeaderReportData } from './api';

type Kpi = LeaderReportData['kpis'][number];
const SHARES = new Set(['overdue_rate', 'confirmed_share', 'late_rate', 'compliance_rate', 'low_share']);
export const KPI_LABEL: Record<string, [string, string]> = {
  overdue_rate: ['工作超期率', 'Overdue rate'], alerts: ['预警数', 'Alerts'], alerts_per_1000: ['每千次操作预警', 'Alerts per 1,000 events'],
  confirmed_share: ['查实率', 'Confirmed share'], late_rate: ['风险任务超期办结率', 'Tasks resolved late'], compliance_rate: ['复审合规率', 'Review compliance'],
  satisfaction_mean: ['满意度均分', 'Satisfaction (mean)'], low_share: ['低分占比', 'Share of low scores'], petitions: ['信访量', 'Petitions'],
};
const LOWER_BETTER = new Set(['overdue_rate', 'alerts', 'alerts_per_1000', 'late_rate', 'low_share', 'petitions']);

export function formatKpiValue(key: string, v: number | null, locale: string): string {
  if (v === null) return '—';
  if (SHARES.has(key)) return `${(v * 100).toFixed(2)}%`;
  if (key === 'satisfaction_mean' || key === 'alerts_per_1000') return v.toFixed(2);
  return v.toLocaleString(locale);
}

/** The change against the previous period, and whether it is an improvement ('good'), a deterioration ('bad') or neither. */
export function kpiChange(k: Kpi, locale: string): { text: string; tone: 'good' | 'bad' | 'neutral' } {
  if (k.change === null) return { text: '—', tone: 'neutral' };
  const sign = k.change > 0 ? '+' : k.change < 0 ? '−' : '±';
  const abs = Math.abs(k.change);
  const text = `${sign}${SHARES.has(k.key) ? `${(abs * 100).toFixed(2)} pp` : formatKpiValue(k.key, abs, locale)}`;
  if (k.change === 0 || k.key === 'confirmed_share') return { text, tone: 'neutral' };
  return { text, tone: (LOWER_BETTER.has(k.key) ? k.change < 0 : k.change > 0) ? 'good' : 'bad' };
}
