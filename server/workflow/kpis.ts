/**
 * KPIs of workflow.md as time series, read from the ClickHouse rollups (sql/queries/kpis.ts).
 * Buckets are Asia/Shanghai hours, days, weeks (Monday) and months; `from` is rounded down to
 * its bucket start, `to` is exclusive.
 */
import type { Store } from '../../sql/store.js';
import {
  alertKpisOver, eventKpisOver, overdueKpisOver, refreshOverdue, reviewKpisOver, taskKpisOver,
  type AlertBucket, type Dim, type EventBucket, type Granularity, type KpiRange, type OverdueBucket, type ReviewCell, type TaskCell,
} from '../../sql/queries/kpis.js';

const H = 3600_000, DAY = 24 * H, SH = 8 * H;

export function bucketStart(t: number, g: Granularity): number {
  if (g === 'hour') return Math.floor(t / H) * H;
  const day = Math.floor((t + SH) / DAY) * DAY; // local midnight, as a "UTC" instant
  if (g === 'day') return day - SH;
  if (g === 'week') {
    const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
    return day - dow * DAY - SH;
  }
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - SH;
}

export function nextBucket(t: number, g: Granularity): number {
  if (g === 'hour') return t + H;
  if (g === 'day') return t + DAY;
  if (g === 'week') return t + 7 * DAY;
  const d = new Date(t + SH);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - SH;
}

export function buckets(from: number, to: number, g: Granularity): number[] {
  const out: number[] = [];
  for (let b = bucketStart(from, g); b < to; b = nextBucket(b, g)) out.push(b);
  return out;
}

export interface KpiScope { dim: Dim; key: string }
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const addTo = (m: Record<string, number[]>, k: string, i: number, v: number, len: number) => {
  (m[k] ??= new Array(len).fill(0))[i]! += v;
};
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const sumMap = (m: Record<string, number[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, sum(v)]));

export interface Period { from: number; to: number }

/** The KPIs of one period. */
export async function computeKpis(store: Store, from: number, to: number, g: Granularity, scope: KpiScope) {
  return (await computeKpisMany(store, [{ from, to }], g, scope))[0]!;
}

/**
 * The KPIs of several periods of one scope and granularity (a period and those it is compared
 * with), from six statements whatever their number: each rollup is read once for all of them.
 */
export async function computeKpisMany(store: Store, periods: readonly Period[], g: Granularity, scope: KpiScope) {
  const rs: KpiRange[] = periods.map(({ from, to }) => ({ dim: scope.dim, key: scope.key, from: bucketStart(from, g), to, g }));
  const withAlerts = scope.dim !== 'window';
  const [ev, prev, od, al, tk, rv] = await Promise.all([
    eventKpisOver(store, rs), eventKpisOver(store, rs, 1), overdueKpisOver(store, rs),
    withAlerts ? alertKpisOver(store, rs) : Promise.resolve([]), withAlerts ? taskKpisOver(store, rs) : Promise.resolve([]), reviewKpisOver(store, rs),
  ]);
  const of = <T extends { p: number }>(rows: T[], i: number) => rows.filter((x) => x.p === i);
  return periods.map(({ from, to }, i) => assembleKpis(from, to, g, scope, withAlerts, {
    ev: of(ev, i), prev: of(prev, i), od: of(od, i), al: of(al, i), tk: of(tk, i), rv: of(rv, i),
  }));
}

interface PeriodRows { ev: EventBucket[]; prev: EventBucket[]; od: OverdueBucket[]; al: AlertBucket[]; tk: TaskCell[]; rv: ReviewCell[] }

function assembleKpis(from: number, to: number, g: Granularity, scope: KpiScope, withAlerts: boolean, { ev, prev, od, al, tk, rv }: PeriodRows) {
  const bs = buckets(from, to, g);
  const len = bs.length;
  const idx = new Map(bs.map((b, i) => [b / 1000, i]));
  const zeros = () => new Array<number>(len).fill(0);
  const events = zeros(), rates = zeros(), scoreSum = zeros(), lowScores = zeros(), petitions = zeros(), prevPetitions = zeros();
  for (const x of ev) { const i = idx.get(x.b); if (i === undefined) continue; events[i] = x.events; rates[i] = x.rates; scoreSum[i] = x.score_sum; lowScores[i] = x.low_scores; petitions[i] = x.petitions; }
  for (const x of prev) { const i = idx.get(x.b); if (i !== undefined) prevPetitions[i]! += x.petitions; }
  const due = zeros(), overdue = zeros();
  for (const x of od) { const i = idx.get(x.b); if (i !== undefined) { due[i] = x.due; overdue[i] = x.overdue; } }
  const alertTotal = zeros();
  const byIndicator: Record<string, number[]> = {}, byCategory: Record<string, number[]> = {}, bySeverity: Record<string, number[]> = {}, byBureau: Record<string, number[]> = {};
  for (const x of al) {
    const i = idx.get(x.b); if (i === undefined) continue;
    alertTotal[i]! += x.total;
    for (const [m, [keys, counts]] of [[byIndicator, x.ind], [byCategory, x.cat], [bySeverity, x.sev], [byBureau, x.bur]] as const) {
      keys.forEach((k, j) => addTo(m, k, i, counts[j]!, len));
    }
  }
  const resolved = zeros(), confirmed = zeros(), late = zeros(), assigned = zeros();
  const medResolve: (number | null)[] = new Array(len).fill(null), medAssign: (number | null)[] = new Array(len).fill(null);
  const perIndicator: Record<string, { resolved: number; confirmed: number; share: number | null }> = {};
  let total = { resolved: 0, confirmed: 0, late: 0, assigned: 0, resolve_ms: null as number | null, assign_ms: null as number | null };
  for (const x of tk) {
    if (x.b !== null) {
      const i = idx.get(x.b); if (i === undefined) continue;
      resolved[i] = x.resolved; confirmed[i] = x.confirmed; late[i] = x.late; assigned[i] = x.assigned; medResolve[i] = x.resolve_ms; medAssign[i] = x.assign_ms;
    } else if (x.indicator !== null) {
      if (x.resolved) perIndicator[x.indicator] = { resolved: x.resolved, confirmed: x.confirmed, share: ratio(x.confirmed, x.resolved) };
    } else total = { resolved: x.resolved, confirmed: x.confirmed, late: x.late, assigned: x.assigned, resolve_ms: x.resolve_ms, assign_ms: x.assign_ms };
  }
  const decided = zeros(), compliant = zeros(), nonCompliant = zeros(), suspicion = zeros();
  const byAspect: Record<string, number[]> = { process: zeros(), policy: zeros(), fairness: zeros() };
  for (const x of rv) {
    const i = idx.get(x.b); if (i === undefined) continue;
    decided[i]! += x.c;
    if (x.outcome === 'compliant') compliant[i]! += x.c;
    else if (x.outcome === 'non_compliant') { nonCompliant[i]! += x.c; if (x.aspect) addTo(byAspect, x.aspect, i, x.c, len); }
    else if (x.outcome === 'integrity_suspicion') suspicion[i]! += x.c;
  }
  const per1000 = (a: number, e: number) => (e > 0 ? (a * 1000) / e : null);
  const T = {
    events: sum(events), due: sum(due), overdue: sum(overdue), alerts: sum(alertTotal), rates: sum(rates), scoreSum: sum(scoreSum), low: sum(lowScores),
    petitions: sum(petitions), prevPetitions: sum(prevPetitions), decided: sum(decided), compliant: sum(compliant), nonCompliant: sum(nonCompliant), suspicion: sum(suspicion),
  };
  const change = (c: number, p: number) => (p > 0 ? (c - p) / p : null);
  return {
    from: new Date(bs[0] ?? from).toISOString(), to: new Date(to).toISOString(), granularity: g, timezone: 'Asia/Shanghai',
    scope: { type: scope.dim, key: scope.dim === 'all' ? null : scope.key },
    buckets: bs.map((b) => new Date(b).toISOString()),
    series: {
      events,
      overdue: { due, overdue, rate: due.map((d, i) => ratio(overdue[i]!, d)) },
      alerts: withAlerts ? {
        total: alertTotal, per_1000_events: alertTotal.map((a, i) => per1000(a, events[i]!)),
        by_indicator: byIndicator, by_category: byCategory, by_severity: bySeverity, by_bureau: byBureau,
      } : null,
      confirmed_share: withAlerts ? { resolved, confirmed, share: resolved.map((n, i) => ratio(confirmed[i]!, n)) } : null,
      timeliness: withAlerts ? { resolved, late, late_rate: resolved.map((n, i) => ratio(late[i]!, n)), assigned, median_assign_ms: medAssign, median_resolve_ms: medResolve } : null,
      reviews: { decided, compliant, non_compliant: nonCompliant, integrity_suspicion: suspicion, by_aspect: byAspect, compliance_rate: decided.map((n, i) => ratio(compliant[i]!, n)) },
      satisfaction: { ratings: rates, mean: rates.map((n, i) => ratio(scoreSum[i]!, n)), low_share: rates.map((n, i) => ratio(lowScores[i]!, n)) },
      petitions: { count: petitions, previous_year: prevPetitions, change: petitions.map((c, i) => change(c, prevPetitions[i]!)) },
    },
    totals: {
      events: T.events,
      overdue: { due: T.due, overdue: T.overdue, rate: ratio(T.overdue, T.due) },
      alerts: withAlerts ? {
        total: T.alerts, per_1000_events: per1000(T.alerts, T.events), by_indicator: sumMap(byIndicator), by_category: sumMap(byCategory),
        by_severity: sumMap(bySeverity), by_bureau: sumMap(byBureau),
      } : null,
      confirmed_share: withAlerts ? { resolved: total.resolved, confirmed: total.confirmed, share: ratio(total.confirmed, total.resolved), by_indicator: perIndicator } : null,
      timeliness: withAlerts ? { resolved: total.resolved, late: total.late, late_rate: ratio(total.late, total.resolved), assigned: total.assigned, median_assign_ms: total.assign_ms, median_resolve_ms: total.resolve_ms } : null,
      reviews: {
        decided: T.decided, compliant: T.compliant, non_compliant: T.nonCompliant, integrity_suspicion: T.suspicion,
        by_aspect: sumMap(byAspect), compliance_rate: ratio(T.compliant, T.decided),
      },
      satisfaction: { ratings: T.rates, mean: ratio(T.scoreSum, T.rates), low_share: ratio(T.low, T.rates) },
      petitions: { count: T.petitions, previous_year: T.prevPetitions, change: change(T.petitions, T.prevPetitions) },
    },
  };
}

export type KpiResult = ReturnType<typeof assembleKpis>;
export { refreshOverdue };
