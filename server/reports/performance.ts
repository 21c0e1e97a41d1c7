/**
 * Performance evaluation (绩效评价, docs/reports.md): per officer, window (科室/窗口) or bureau for a
 * period — review outcomes by aspect, non-compliant findings, overdue work, confirmed findings,
 * satisfaction. Every figure is a ClickHouse aggregate over the KPI rollups (sql/queries/performance.ts);
 * the rates here are the same ratios `GET /api/kpis` forms from the same totals.
 */
import type { Store } from '../../sql/store.js';
import type { ReferenceIndex } from '../../streams/reference/index.js';
import {
  alertTotalsByKey, eventTotalsByKey, overdueTotalsByKey, reviewTotalsByKey, taskTotalsByKey, type PerformanceDim,
} from '../../sql/queries/performance.js';
import { bucketStart } from '../workflow/kpis.js';

export interface PerformanceRow {
  level: PerformanceDim; key: string; name: string; bureau: string;
  events: number;
  /** Alerts about the officer/bureau; null for a window (alerts carry no window, as in GET /api/kpis). */
  alerts: number | null;
  tasks_resolved: number | null; tasks_confirmed: number | null; confirmed_share: number | null; tasks_late: number | null;
  items_due: number; items_overdue: number; overdue_rate: number | null;
  reviews_decided: number; reviews_compliant: number; reviews_non_compliant: number;
  non_compliant_process: number; non_compliant_policy: number; non_compliant_fairness: number;
  reviews_integrity_suspicion: number; compliance_rate: number | null;
  ratings: number; satisfaction_mean: number | null; satisfaction_low_share: number | null;
}

export interface PerformanceReport {
  level: PerformanceDim; from: string; to: string; timezone: 'Asia/Shanghai';
  /** The bureau the rows are limited to (a bureau leader, or a `bureau` filter); null = the city. */
  bureau: string | null;
  rows: PerformanceRow[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Officers, windows or bureaus in a bureau (null: all) according to the reference data. */
function referenceKeys(ref: ReferenceIndex, dim: PerformanceDim, bureau: string | null): string[] {
  if (dim === 'bureau') return bureau ? [bureau] : [...ref.bureaus.keys()].filter((b) => b !== 'HQ');
  if (dim === 'window') return [...ref.windows.values()].filter((w) => !bureau || w.bureau === bureau).map((w) => w.code);
  return [...ref.officers.values()].filter((o) => !bureau || o.bureau === bureau).map((o) => o.id);
}

export async function performanceReport(store: Store, ref: ReferenceIndex, q: { dim: PerformanceDim; from: number; to: number; bureau: string | null }): Promise<PerformanceReport> {
  // As GET /api/kpis with granularity=day: the period starts at its first day's start.
  const from = bucketStart(q.from, 'day');
  const scopeKeys = q.bureau ? referenceKeys(ref, q.dim, q.bureau) : null;
  const range = { dim: q.dim, keys: scopeKeys, from, to: q.to };
  const [ev, od, tk, al, rv] = await Promise.all([
    eventTotalsByKey(store, range), overdueTotalsByKey(store, range), taskTotalsByKey(store, range), alertTotalsByKey(store, range), reviewTotalsByKey(store, range),
  ]);
  // Every entity of the scope gets a row (zeros when idle), and every key with figures; `system` is no officer.
  const keys = new Set<string>(scopeKeys ?? referenceKeys(ref, q.dim, null));
  for (const x of [...ev, ...od, ...tk, ...al, ...rv]) keys.add(x.key);
  keys.delete('system');
  const byKey = <T extends { key: string }>(xs: T[]) => new Map(xs.map((x) => [x.key, x]));
  const E = byKey(ev), O = byKey(od), T = byKey(tk), A = byKey(al);
  const withAlerts = q.dim !== 'window';
  const rows = [...keys].sort().map((key): PerformanceRow => {
    const e = E.get(key), o = O.get(key), t = T.get(key);
    const r = rv.filter((x) => x.key === key);
    const count = (outcome: string, aspect?: string) => r.filter((x) => x.outcome === outcome && (aspect === undefined || x.aspect === aspect)).reduce((s, x) => s + x.c, 0);
    const decided = r.reduce((s, x) => s + x.c, 0);
    const compliant = count('compliant');
    const resolved = t?.resolved ?? 0, confirmed = t?.confirmed ?? 0;
    return {
      level: q.dim, key, ...label(ref, q.dim, key),
      events: e?.events ?? 0,
      alerts: withAlerts ? A.get(key)?.alerts ?? 0 : null,
      tasks_resolved: withAlerts ? resolved : null, tasks_confirmed: withAlerts ? confirmed : null,
      confirmed_share: withAlerts ? ratio(confirmed, resolved) : null, tasks_late: withAlerts ? t?.late ?? 0 : null,
      items_due: o?.due ?? 0, items_overdue: o?.overdue ?? 0, overdue_rate: ratio(o?.overdue ?? 0, o?.due ?? 0),
      reviews_decided: decided, reviews_compliant: compliant, reviews_non_compliant: count('non_compliant'),
      non_compliant_process: count('non_compliant', 'process'), non_compliant_policy: count('non_compliant', 'policy'), non_compliant_fairness: count('non_compliant', 'fairness'),
      reviews_integrity_suspicion: count('integrity_suspicion'), compliance_rate: ratio(compliant, decided),
      ratings: e?.rates ?? 0, satisfaction_mean: ratio(e?.score_sum ?? 0, e?.rates ?? 0), satisfaction_low_share: ratio(e?.low_scores ?? 0, e?.rates ?? 0),
    };
  });
  return { level: q.dim, from: new Date(from).toISOString(), to: new Date(q.to).toISOString(), timezone: 'Asia/Shanghai', bureau: q.bureau, rows };
}

function label(ref: ReferenceIndex, dim: PerformanceDim, key: string): { name: string; bureau: string } {
  if (dim === 'bureau') return { name: ref.bureaus.get(key)?.name ?? key, bureau: key };
  if (dim === 'window') return { name: key, bureau: ref.windows.get(key)?.bureau ?? '' };
  const o = ref.officers.get(key);
  return { name: o?.name ?? key, bureau: o?.bureau ?? '' };
}

/** Columns of the CSV and XLSX files, in order, with their headers in both languages. */
export const PERFORMANCE_COLUMNS: readonly { key: keyof PerformanceRow; zh: string; en: string; kind: 'text' | 'count' | 'share' | 'mean' }[] = [
  { key: 'level', zh: '层级', en: 'level', kind: 'text' },
  { key: 'key', zh: '编号', en: 'id', kind: 'text' },
  { key: 'name', zh: '名称', en: 'name', kind: 'text' },
  { key: 'bureau', zh: '所属局', en: 'bureau', kind: 'text' },
  { key: 'events', zh: '操作数', en: 'events', kind: 'count' },
  { key: 'alerts', zh: '预警数', en: 'alerts', kind: 'count' },
  { key: 'tasks_resolved', zh: '办结风险任务', en: 'risk tasks resolved', kind: 'count' },
  { key: 'tasks_confirmed', zh: '查实', en: 'confirmed findings', kind: 'count' },
  { key: 'confirmed_share', zh: '查实率', en: 'confirmed share', kind: 'share' },
  { key: 'tasks_late', zh: '超期办结任务', en: 'tasks resolved late', kind: 'count' },
  { key: 'items_due', zh: '到期事项', en: 'items due', kind: 'count' },
  { key: 'items_overdue', zh: '超期事项', en: 'items overdue', kind: 'count' },
  { key: 'overdue_rate', zh: '工作超期率', en: 'overdue rate', kind: 'share' },
  { key: 'reviews_decided', zh: '复审数', en: 'reviews decided', kind: 'count' },
  { key: 'reviews_compliant', zh: '合规', en: 'compliant', kind: 'count' },
  { key: 'reviews_non_compliant', zh: '不合规', en: 'non-compliant', kind: 'count' },
  { key: 'non_compliant_process', zh: '不合规·程序', en: 'non-compliant: process', kind: 'count' },
  { key: 'non_compliant_policy', zh: '不合规·政策', en: 'non-compliant: policy', kind: 'count' },
  { key: 'non_compliant_fairness', zh: '不合规·公正', en: 'non-compliant: fairness', kind: 'count' },
  { key: 'reviews_integrity_suspicion', zh: '廉政疑点', en: 'integrity suspicion', kind: 'count' },
  { key: 'compliance_rate', zh: '合规率', en: 'compliance rate', kind: 'share' },
  { key: 'ratings', zh: '评价数', en: 'ratings', kind: 'count' },
  { key: 'satisfaction_mean', zh: '满意度均分', en: 'satisfaction mean', kind: 'mean' },
  { key: 'satisfaction_low_share', zh: '低分占比', en: 'low-score share', kind: 'share' },
];
