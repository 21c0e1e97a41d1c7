/** The leader report as a printable PDF in zh-CN or English (the same figures as the stored report). */
import type { LeaderReportData, KpiKey, ReportKpi } from './leader.js';
import { KPI_DIRECTION } from './leader.js';
import { PdfWriter } from './pdf.js';
import type { ReportLang } from './performance-files.js';

export const KPI_LABELS: Record<KpiKey, [string, string]> = {
  overdue_rate: ['工作超期率', 'Overdue rate'],
  alerts: ['预警数', 'Alerts'],
  alerts_per_1000: ['每千次操作预警', 'Alerts per 1,000 events'],
  confirmed_share: ['查实率', 'Confirmed share'],
  late_rate: ['风险任务超期办结率', 'Tasks resolved late'],
  compliance_rate: ['复审合规率', 'Review compliance'],
  satisfaction_mean: ['满意度均分', 'Satisfaction (mean)'],
  low_share: ['低分占比', 'Share of low scores'],
  petitions: ['信访量', 'Petitions'],
};
const SHARES: ReadonlySet<KpiKey> = new Set(['overdue_rate', 'confirmed_share', 'late_rate', 'compliance_rate', 'low_share']);

const L = {
  weekly: ['周报', 'Weekly report'], monthly: ['月报', 'Monthly report'], title: ['廉政风险监控 领导报告', 'Integrity-risk monitor — leader report'],
  period: ['期间', 'Period'], previous: ['上期', 'Previous period'], generated: ['生成时间', 'Produced'],
  kpis: ['关键指标（环比、目标）', 'KPIs (against the previous period and the target)'], kpi: ['指标', 'KPI'], value: ['本期', 'This period'],
  prev: ['上期', 'Previous'], change: ['变化', 'Change'], target: ['目标', 'Target'], n: ['样本', 'n'],
  topRisks: ['主要风险', 'Top risks'], indicator: ['指标', 'Indicator'], officer: ['干部', 'Officer'], bureau: ['基层局', 'Bureau'], alerts: ['预警', 'Alerts'], high: ['高/严重', 'High/critical'],
  open: ['未办结风险任务', 'Open risk tasks'], overdue: ['超期', 'Overdue'], asOf: ['截至', 'as of'],
  overdueItems: ['工作事项超期', 'Overdue work items'], due: ['到期事项', 'items due'], overdueN: ['超期事项', 'overdue'],
  mostOverdue: ['超期最久的风险任务', 'Risk tasks longest past their deadline'], task: ['任务', 'Task'], state: ['状态', 'State'], deadline: ['期限', 'Deadline'], hours: ['超期小时', 'Hours over'],
  met: ['达标', 'met'], missed: ['未达标', 'missed'], none: ['无', 'none'],
} as const;

const day = (iso: string, lang: ReportLang) => new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
const time = (iso: string, lang: ReportLang) => new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short', hour12: false }).format(new Date(iso));
/** The last day of a period whose `to` is exclusive. */
const lastDay = (iso: string, lang: ReportLang) => day(new Date(Date.parse(iso) - 1).toISOString(), lang);

export function formatKpi(k: KpiKey, v: number | null, lang: ReportLang): string {
  if (v === null) return '—';
  if (SHARES.has(k)) return `${(v * 100).toFixed(2)}%`;
  if (k === 'satisfaction_mean' || k === 'alerts_per_1000') return v.toFixed(2);
  return v.toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB');
}

export function formatChange(k: ReportKpi, lang: ReportLang): string {
  if (k.change === null) return '—';
  const sign = k.change > 0 ? '+' : k.change < 0 ? '−' : '±';
  const abs = Math.abs(k.change);
  const txt = SHARES.has(k.key) ? `${(abs * 100).toFixed(2)} ${lang === 'zh-CN' ? '个百分点' : 'pp'}` : formatKpi(k.key, abs, lang);
  const better = KPI_DIRECTION[k.key] === 'neutral' || k.change === 0 ? '' : (KPI_DIRECTION[k.key] === 'lower') === (k.change < 0) ? ' ↑' : ' ↓';
  return `${sign}${txt}${better}`;
}

export async function leaderReportPdf(r: LeaderReportData, lang: ReportLang, font: { path: string; family?: string }): Promise<Buffer> {
  const i = lang === 'zh-CN' ? 0 : 1;
  const t = (k: keyof typeof L) => L[k][i];
  const name = (m: { zh: string; en: string }) => (i === 0 ? m.zh : m.en);
  const pdf = new PdfWriter(font, { title: `${t('title')} ${name(r.scope_name)} ${t(r.kind)}` });
  pdf.title(`${name(r.scope_name)} · ${t(r.kind)}`, `${t('title')}`);
  pdf.line(`${t('period')}: ${day(r.from, lang)} – ${lastDay(r.to, lang)}    ${t('previous')}: ${day(r.previous.from, lang)} – ${lastDay(r.previous.to, lang)}`);
  pdf.line(`${t('generated')}: ${time(r.generated_at, lang)} (Asia/Shanghai)`, 9);

  pdf.heading(t('kpis'));
  pdf.table([t('kpi'), t('value'), t('prev'), t('change'), t('target'), t('n')], r.kpis.map((k) => [
    KPI_LABELS[k.key][i], formatKpi(k.key, k.value, lang), formatKpi(k.key, k.previous, lang), formatChange(k, lang),
    k.target === null ? '—' : `${formatKpi(k.key, k.target, lang)} ${k.meets === null ? '' : k.meets ? t('met') : t('missed')}`, k.n === null ? '' : String(k.n),
  ]), [0.28, 0.14, 0.14, 0.18, 0.16, 0.1]);

  pdf.heading(t('topRisks'));
  if (r.top_indicators.length) pdf.table([t('indicator'), t('alerts'), t('high')], r.top_indicators.map((x) => [`${x.key} ${name(x.name)}`, String(x.alerts), String(x.high)]), [0.7, 0.15, 0.15]);
  if (r.top_officers.length) pdf.table([t('officer'), t('bureau'), t('alerts'), t('high')], r.top_officers.map((x) => [`${name(x.name)} (${x.key})`, x.bureau ?? '', String(x.alerts), String(x.high)]), [0.45, 0.25, 0.15, 0.15]);
  if (!r.top_indicators.length) pdf.line(t('none'));

  pdf.heading(`${t('open')} (${t('asOf')} ${time(r.open_work.as_of, lang)})`);
  pdf.line(`${t('open')}: ${r.open_work.open}    ${t('overdue')}: ${r.open_work.overdue}    ${Object.entries(r.open_work.by_state).map(([s, n]) => `${s} ${n}`).join(' · ')}`);
  pdf.heading(t('overdueItems'));
  pdf.line(`${t('due')}: ${r.overdue_items.due}    ${t('overdueN')}: ${r.overdue_items.overdue}    ${KPI_LABELS.overdue_rate[i]}: ${formatKpi('overdue_rate', r.overdue_items.rate, lang)}`);
  if (r.most_overdue.length) {
    pdf.heading(t('mostOverdue'));
    pdf.table([t('task'), t('officer'), t('bureau'), t('state'), t('deadline'), t('hours')],
      r.most_overdue.map((x) => [x.id, `${x.officer_name} (${x.officer})`, x.bureau, x.state, time(x.deadline, lang), String(x.overdue_hours)]), [0.26, 0.22, 0.1, 0.12, 0.18, 0.12]);
  }
  return pdf.end();
}
