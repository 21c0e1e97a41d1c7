/**
 * The leader report (docs/reports.md): for a week or a month and a scope (the city or a bureau),
 * the KPIs with the previous period (环比) and their target, a daily trend, the top risks (indicators
 * and officers by alerts), open work and overdue. Every figure is computed by ClickHouse (the KPI
 * rollups, the alert cube, the tasks table); this module only picks and arranges them. The result is
 * language-neutral (names in both languages) and stored as produced.
 */
import type { Store } from '../../sql/store.js';
import type { ReferenceIndex } from '../../streams/reference/index.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { Message } from '../../streams/types.js';
import { bucketStart, computeKpisMany, nextBucket, type KpiResult } from '../workflow/kpis.js';
import { alertStats } from '../../sql/queries/alert-stats.js';
import { mostOverdueTasks, openTaskSummary, type OpenWork } from '../../sql/queries/reports.js';

export const REPORT_KINDS = ['weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** `city` or a bureau code. */
export type ReportScope = string;

export interface Period { from: number; to: number }

/** The week (Monday, Asia/Shanghai) or month containing `t`. */
export function periodOf(kind: ReportKind, t: number): Period {
  const g = kind === 'weekly' ? 'week' : 'month';
  const from = bucketStart(t, g);
  return { from, to: nextBucket(from, g) };
}

/** The last period that has ended by `now`. */
export const lastCompleted = (kind: ReportKind, now: number): Period => periodOf(kind, periodOf(kind, now).from - 1);

export type KpiKey = 'overdue_rate' | 'alerts' | 'alerts_per_1000' | 'confirmed_share' | 'late_rate' | 'compliance_rate' | 'satisfaction_mean' | 'low_share' | 'petitions';
/** `lower`: a fall is an improvement. */
export const KPI_DIRECTION: Record<KpiKey, 'lower' | 'higher' | 'neutral'> = {
  overdue_rate: 'lower', alerts: 'lower', alerts_per_1000: 'lower', confirmed_share: 'neutral', late_rate: 'lower',
  compliance_rate: 'higher', satisfaction_mean: 'higher', low_share: 'lower', petitions: 'lower',
};

export interface ReportKpi {
  key: KpiKey; value: number | null; previous: number | null;
  /** value − previous (for shares: percentage points as a fraction). */
  change: number | null;
  target: number | null;
  /** Whether the value meets its target (null without a target or a value). */
  meets: boolean | null;
  /** The sample behind a rate (due items, resolved tasks, decided reviews, ratings). */
  n: number | null;
}

export interface ReportTopRow { key: string; name: Message; bureau: string | null; alerts: number; high: number }
export interface ReportOverdueTask { id: string; indicator: string; officer: string; officer_name: string; bureau: string; state: string; deadline: string; overdue_hours: number }

export interface LeaderReportData {
  kind: ReportKind; scope: ReportScope; scope_name: Message;
  from: string; to: string; previous: { from: string; to: string }; generated_at: string; timezone: 'Asia/Shanghai';
  kpis: ReportKpi[];
  trend: { buckets: string[]; overdue_rate: (number | null)[]; alerts: number[]; compliance_rate: (number | null)[]; satisfaction_mean: (number | null)[] };
  top_indicators: ReportTopRow[];
  top_officers: ReportTopRow[];
  /** Open work when the report was produced (a snapshot, not a figure of the period). */
  open_work: OpenWork & { as_of: string };
  overdue_items: { due: number; overdue: number; rate: number | null };
  most_overdue: ReportOverdueTask[];
}

export interface ReportDeps {
  store: Store;
  reference: ReferenceIndex;
  catalog: () => readonly IndicatorDef[];
  targets: Partial<Record<KpiKey, number>>;
}

const TOP = 5;
const iso = (t: number) => new Date(t).toISOString();

function kpiValues(k: KpiResult): Record<KpiKey, { v: number | null; n: number | null }> {
  const t = k.totals;
  return {
    overdue_rate: { v: t.overdue.rate, n: t.overdue.due },
    alerts: { v: t.alerts?.total ?? null, n: null },
    alerts_per_1000: { v: t.alerts?.per_1000_events ?? null, n: t.events },
    confirmed_share: { v: t.confirmed_share?.share ?? null, n: t.confirmed_share?.resolved ?? null },
    late_rate: { v: t.timeliness?.late_rate ?? null, n: t.timeliness?.resolved ?? null },
    compliance_rate: { v: t.reviews.compliance_rate, n: t.reviews.decided },
    satisfaction_mean: { v: t.satisfaction.mean, n: t.satisfaction.ratings },
    low_share: { v: t.satisfaction.low_share, n: t.satisfaction.ratings },
    petitions: { v: t.petitions.count, n: null },
  };
}

export async function buildLeaderReport(deps: ReportDeps, kind: ReportKind, scope: ReportScope, period: Period, now: number): Promise<LeaderReportData> {
  const { store, reference: ref } = deps;
  const prev = periodOf(kind, period.from - 1);
  const kscope = scope === 'city' ? { dim: 'all' as const, key: '' } : { dim: 'bureau' as const, key: scope };
  const bureau = scope === 'city' ? null : scope;
  const sections = { matters: [...ref.matters.keys()], platforms: [...ref.matters.values()].map((m) => m.platform) };
  const eq = bureau ? { bureau: [bureau] } : {};
  const [[cur, before], byIndicator, byOfficer, open, overdue] = await Promise.all([
    computeKpisMany(store, [period, prev], 'day', kscope),
    alertStats(store, { from: period.from, to: period.to, group: ['indicator'], eq, sections }),
    alertStats(store, { from: period.from, to: period.to, group: ['officer'], eq, sections }),
    openTaskSummary(store, bureau, now),
    mostOverdueTasks(store, bureau, now, 10),
  ]);
  const a = kpiValues(cur), b = kpiValues(before);
  const kpis = (Object.keys(KPI_DIRECTION) as KpiKey[]).map((key): ReportKpi => {
    const value = a[key].v, previous = b[key].v, target = deps.targets[key] ?? null;
    const dir = KPI_DIRECTION[key];
    return {
      key, value, previous, change: value !== null && previous !== null ? value - previous : null, target,
      meets: target === null || value === null ? null : dir === 'lower' ? value <= target : value >= target, n: a[key].n,
    };
  });
  const defs = new Map(deps.catalog().map((d) => [d.id, d]));
  const top = (rows: { keys: string[]; alerts: number; high: number }[]) => [...rows].sort((x, y) => y.alerts - x.alerts || x.keys[0]!.localeCompare(y.keys[0]!)).slice(0, TOP);
  const officerName = (id: string): Message => {
    const o = ref.officers.get(id);
    return { zh: o?.name ?? id, en: o?.name ?? id };
  };
  const bureauName = (code: string): Message => {
    const x = ref.bureaus.get(code);
    return { zh: x?.name ?? code, en: x?.name_en ?? code };
  };
  const s = cur.series;
  return {
    kind, scope, scope_name: scope === 'city' ? { zh: '全市', en: 'City' } : bureauName(scope),
    from: iso(period.from), to: iso(period.to), previous: { from: iso(prev.from), to: iso(prev.to) }, generated_at: iso(now), timezone: 'Asia/Shanghai',
    kpis,
    trend: {
      buckets: cur.buckets, overdue_rate: s.overdue.rate, alerts: s.alerts?.total ?? [], compliance_rate: s.reviews.compliance_rate, satisfaction_mean: s.satisfaction.mean,
    },
    top_indicators: top(byIndicator.rows).map((r) => ({ key: r.keys[0]!, name: defs.get(r.keys[0]!)?.name ?? { zh: r.keys[0]!, en: r.keys[0]! }, bureau: null, alerts: r.alerts, high: r.high })),
    top_officers: top(byOfficer.rows).map((r) => ({ key: r.keys[0]!, name: officerName(r.keys[0]!), bureau: ref.officers.get(r.keys[0]!)?.bureau ?? null, alerts: r.alerts, high: r.high })),
    open_work: { ...open, as_of: iso(now) },
    overdue_items: cur.totals.overdue,
    most_overdue: overdue.map((t) => ({
      id: t.id, indicator: t.indicator, officer: t.subject_officer, officer_name: officerName(t.subject_officer).zh, bureau: t.bureau, state: t.state,
      deadline: iso(t.deadline), overdue_hours: Math.floor((now - t.deadline) / 3600_000),
    })),
  };
}
