/**
 * The leader board's KPI cards and time ranges, pure: which figure of GET /api/kpis each card
 * shows, its sample size n, which direction is better, and its target; the quick ranges in the
 * Asia/Shanghai calendar. No figure is computed here: values come from the server's totals.
 */
import type { KpiResult, KpiSettings } from './api';
import type { StringKey } from './state/i18n.svelte';

export type CardFormat = 'count' | 'rate' | 'mean' | 'hours';
/** 'down': a rise is bad (alerts, overdue); 'up': a rise is good (satisfaction); 'none': neither. */
export type Better = 'down' | 'up' | 'none';

export interface CardDef {
  key: string;
  label: StringKey;
  format: CardFormat;
  better: Better;
  /** The period's figure (the server's total). */
  value: (k: KpiResult) => number | null;
  /** How many cases a rate or mean is over; below the minimum sample it is greyed. */
  n?: (k: KpiResult) => number;
  series: (k: KpiResult) => (number | null)[];
  /** A ceiling the figure should stay under (for 'down') or reach (for 'up'). */
  target?: (s: KpiSettings) => number;
}

const z = (k: KpiResult) => k.buckets.map(() => 0);
export const CARDS: CardDef[] = [
  { key: 'overdue.rate', label: 'kpi_overdue_rate', format: 'rate', better: 'down', value: (k) => k.totals.overdue.rate, n: (k) => k.totals.overdue.due, series: (k) => k.series.overdue.rate, target: (s) => s.overdue_rate_target },
  { key: 'alerts.total', label: 'kpi_alerts', format: 'count', better: 'down', value: (k) => k.totals.alerts?.total ?? null, series: (k) => k.series.alerts?.total ?? z(k) },
  { key: 'alerts.per_1000_events', label: 'kpi_alerts_per_1000', format: 'mean', better: 'down', value: (k) => k.totals.alerts?.per_1000_events ?? null, n: (k) => k.totals.events, series: (k) => k.series.alerts?.per_1000_events ?? z(k) },
  { key: 'confirmed_share.share', label: 'kpi_confirmed_share', format: 'rate', better: 'none', value: (k) => k.totals.confirmed_share?.share ?? null, n: (k) => k.totals.confirmed_share?.resolved ?? 0, series: (k) => k.series.confirmed_share?.share ?? z(k) },
  { key: 'timeliness.late_rate', label: 'kpi_late_share', format: 'rate', better: 'down', value: (k) => k.totals.timeliness?.late_rate ?? null, n: (k) => k.totals.timeliness?.resolved ?? 0, series: (k) => k.series.timeliness?.late_rate ?? z(k) },
  { key: 'timeliness.median_assign_ms', label: 'kpi_median_assign', format: 'hours', better: 'down', value: (k) => k.totals.timeliness?.median_assign_ms ?? null, n: (k) => k.totals.timeliness?.assigned ?? 0, series: (k) => k.series.timeliness?.median_assign_ms ?? z(k) },
  { key: 'timeliness.median_resolve_ms', label: 'kpi_median_resolve', format: 'hours', better: 'down', value: (k) => k.totals.timeliness?.median_resolve_ms ?? null, n: (k) => k.totals.timeliness?.resolved ?? 0, series: (k) => k.series.timeliness?.median_resolve_ms ?? z(k) },
  { key: 'reviews.compliance_rate', label: 'kpi_compliance_rate', format: 'rate', better: 'up', value: (k) => k.totals.reviews.compliance_rate, n: (k) => k.totals.reviews.decided, series: (k) => k.series.reviews.compliance_rate },
  { key: 'reviews.decided', label: 'kpi_reviews', format: 'count', better: 'none', value: (k) => k.totals.reviews.decided, series: (k) => k.series.reviews.decided },
  { key: 'satisfaction.mean', label: 'kpi_satisfaction', format: 'mean', better: 'up', value: (k) => k.totals.satisfaction.mean, n: (k) => k.totals.satisfaction.ratings, series: (k) => k.series.satisfaction.mean },
  { key: 'satisfaction.low_share', label: 'kpi_low_share', format: 'rate', better: 'down', value: (k) => k.totals.satisfaction.low_share, n: (k) => k.totals.satisfaction.ratings, series: (k) => k.series.satisfaction.low_share },
  { key: 'petitions.count', label: 'kpi_petitions', format: 'count', better: 'down', value: (k) => k.totals.petitions.count, series: (k) => k.series.petitions.count },
  { key: 'events', label: 'kpi_events', format: 'count', better: 'none', value: (k) => k.totals.events, series: (k) => k.series.events },
];

/** How a change reads: 'good', 'bad' or 'neutral' given the direction that is better. */
export function changeTone(change: number | null, better: Better): 'good' | 'bad' | 'neutral' {
  if (change === null || change === 0 || better === 'none') return 'neutral';
  return (change > 0) === (better === 'up') ? 'good' : 'bad';
}

/** Whether the figure meets its target: null without a target or a value. */
export function meetsTarget(value: number | null, better: Better, target: number | undefined): boolean | null {
  if (value === null || target === undefined || better === 'none') return null;
  return better === 'down' ? value <= target : value >= target;
}

/** Relative change of cur against base; null when base is 0 or missing. */
export function relChange(cur: number | null, base: number | null): number | null {
  if (cur === null || base === null || base === 0) return null;
  return (cur - base) / Math.abs(base);
}

export function formatValue(format: CardFormat, v: number | null, locale: string): string {
  if (v === null) return '—';
  switch (format) {
    case 'hours': return `${(v / 3600_000).toLocaleString(locale, { maximumFractionDigits: 1 })} h`;
    case 'rate': return (v).toLocaleString(locale, { style: 'percent', maximumFractionDigits: 2 });
    case 'mean': return v.toLocaleString(locale, { maximumFractionDigits: 2 });
    case 'count': return Math.round(v).toLocaleString(locale);
  }
}

// ---- Time ranges: Asia/Shanghai calendar days as YYYY-MM-DD; `to` is the inclusive last day.
const DAY = 86_400_000, SH = 8 * 3600_000;
export const QUICK_RANGES = ['today', '7d', 'month', 'quarter', 'year'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];
export type Granularity = 'hour' | 'day' | 'week' | 'month';

const ymd = (d: Date) => d.toISOString().slice(0, 10);
/** The Shanghai calendar date of an instant, as a UTC-midnight Date (for calendar arithmetic). */
const shDate = (now: number) => { const d = new Date(now + SH); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())); };

export function quickRange(q: QuickRange, now: number): { from: string; to: string; g: Granularity } {
  const today = shDate(now);
  const y = today.getUTCFullYear(), m = today.getUTCMonth();
  const lastOfMonth = (yy: number, mm: number) => ymd(new Date(Date.UTC(yy, mm + 1, 0)));
  switch (q) {
    case 'today': return { from: ymd(today), to: ymd(today), g: 'hour' };
    case '7d': return { from: ymd(new Date(today.getTime() - 6 * DAY)), to: ymd(today), g: 'day' };
    case 'month': return { from: ymd(new Date(Date.UTC(y, m, 1))), to: lastOfMonth(y, m), g: 'day' };
    case 'quarter': { const q0 = m - (m % 3); return { from: ymd(new Date(Date.UTC(y, q0, 1))), to: lastOfMonth(y, q0 + 2), g: 'week' }; }
    case 'year': return { from: `${y}-01-01`, to: `${y}-12-31`, g: 'month' };
  }
}

/** [from, to) instants of a range of Shanghai days (inclusive last day). */
export function rangeInstants(from: string, to: string): { from: Date; to: Date } {
  return { from: new Date(`${from}T00:00:00+08:00`), to: new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY) };
}

/**
 * The same Asia/Shanghai wall-clock time a year earlier (29 February becomes the 28th). In UTC
 * the year would be shifted on the wrong day: 1 March 00:00 in Shanghai is 28 February 16:00 UTC,
 * and a year before a leap day that lands on 29 February in Shanghai instead of 1 March.
 */
export function sameTimeLastYear(d: Date): Date {
  const local = new Date(d.getTime() + SH);
  const y = local.getUTCFullYear() - 1, m = local.getUTCMonth();
  const day = Math.min(local.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return new Date(Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds()) - SH);
}

/** The previous period of the same length, and the same period a year earlier (Shanghai calendar). */
export function comparisonRanges(from: Date, to: Date): { prev: [Date, Date]; yoy: [Date, Date] } {
  const len = to.getTime() - from.getTime();
  return { prev: [new Date(from.getTime() - len), new Date(from)], yoy: [sameTimeLastYear(from), sameTimeLastYear(to)] };
}

/** A bucket start (ISO instant) labelled in the UI's locale, in Asia/Shanghai. */
export function bucketLabel(iso: string, g: Granularity, locale: string): string {
  const opts: Intl.DateTimeFormatOptions = g === 'hour' ? { hour: '2-digit', minute: '2-digit', hour12: false }
    : g === 'month' ? { year: 'numeric', month: 'short' } : { month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', ...opts }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD, Shanghai) in the UI's locale. */
export function dayLabel(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${day}T12:00:00+08:00`));
}
