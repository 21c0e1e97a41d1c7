/**
 * KPI queries over the rollup tables of migration 021 (never over raw events). Every function takes
 * a scope (dim, key), an hour range [from, to) and a granularity; buckets are Asia/Shanghai.
 * Granularities and dims come from allow-lists; values only through parameters.
 */
import type { Store } from '../store.js';

export const GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const DIMS = ['all', 'bureau', 'window', 'officer'] as const;
export type Dim = (typeof DIMS)[number];

const TZ = `'Asia/Shanghai'`;
/** Bucket start (epoch seconds) of an hour column `h`. */
export function bucketExpr(g: Granularity, h = 'hour'): string {
  switch (g) {
    case 'hour': return `toUnixTimestamp(${h})`;
    case 'day': return `toUnixTimestamp(toStartOfDay(${h}, ${TZ}))`;
    case 'week': return `toUnixTimestamp(toDateTime(toMonday(toTimeZone(${h}, ${TZ})), ${TZ}))`;
    case 'month': return `toUnixTimestamp(toDateTime(toStartOfMonth(toTimeZone(${h}, ${TZ})), ${TZ}))`;
  }
}

/** Bucket start (epoch seconds) of a Date column (an Asia/Shanghai day) for day/week/month. */
export function dayBucketExpr(g: Exclude<Granularity, 'hour'>, d = 'day'): string {
  switch (g) {
    case 'day': return `toUnixTimestamp(toDateTime(${d}, ${TZ}))`;
    case 'week': return `toUnixTimestamp(toDateTime(toMonday(${d}), ${TZ}))`;
    case 'month': return `toUnixTimestamp(toDateTime(toStartOfMonth(${d}), ${TZ}))`;
  }
}

const DAY_RANGE = `dim = {dim:String} AND key = {key:String} AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}), ${TZ})
  AND day <= toDate(fromUnixTimestamp64Milli({to:Int64} - 1), ${TZ})`;

export interface KpiRange { dim: Dim; key: string; from: number; to: number; g: Granularity }

const RANGE = `dim = {dim:String} AND key = {key:String} AND hour >= toDateTime(intDiv({from:Int64}, 1000), 'UTC') AND hour < toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC')`;
const params = (r: KpiRange) => ({ dim: r.dim, key: r.dim === 'all' ? '' : r.key, from: r.from, to: r.to });
const n = (v: unknown) => Number(v ?? 0);

export interface EventBucket { b: number; events: number; rates: number; score_sum: number; low_scores: number; petitions: number }

export async function eventKpis(store: Store, r: KpiRange, shiftYears = 0): Promise<EventBucket[]> {
  // shiftYears = 1: the same period a year earlier, bucketed as the current period's buckets.
  const y = Math.trunc(shiftYears);
  const h = y ? `addYears(hour, ${y})` : 'hour';
  const range = y
    ? `dim = {dim:String} AND key = {key:String} AND hour >= addYears(toDateTime(intDiv({from:Int64}, 1000), 'UTC'), ${-y})
       AND hour < addYears(toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC'), ${-y})`
    : RANGE;
  const rows = await store.query<EventBucket>(
    `SELECT ${bucketExpr(r.g, h)} AS b, sum(events) AS events, sum(rates) AS rates, sum(score_sum) AS score_sum, sum(low_scores) AS low_scores, sum(petitions) AS petitions
     FROM kpi_events_h WHERE ${range} GROUP BY b ORDER BY b`, params(r));
  return rows.map((x) => ({ b: n(x.b), events: n(x.events), rates: n(x.rates), score_sum: n(x.score_sum), low_scores: n(x.low_scores), petitions: n(x.petitions) }));
}

export interface OverdueBucket { b: number; due: number; overdue: number }

export async function overdueKpis(store: Store, r: KpiRange): Promise<OverdueBucket[]> {
  const rows = await store.query<OverdueBucket>(
    `SELECT ${bucketExpr(r.g)} AS b, sum(due) AS due, sum(overdue) AS overdue FROM kpi_overdue_h WHERE ${RANGE} GROUP BY b ORDER BY b`, params(r));
  return rows.map((x) => ({ b: n(x.b), due: n(x.due), overdue: n(x.overdue) }));
}

/** Alerts of one bucket: the total and the four breakdowns as parallel key/count arrays. */
export interface AlertBucket { b: number; total: number; ind: [string[], number[]]; cat: [string[], number[]]; sev: [string[], number[]]; bur: [string[], number[]] }

export async function alertKpis(store: Store, r: KpiRange): Promise<AlertBucket[]> {
  const pair = (p: [string[], number[]]): [string[], number[]] => [p[0], p[1].map(Number)];
  if (r.g !== 'hour') {
    // Day rollup, one breakdown per row: distinct ids per (day, breakdown value), summed per bucket.
    const rows = await store.query<{ b: number; bk: string; m: [string[], number[]] }>(
      `SELECT b, bk, sumMap([bv], [c]) AS m FROM (
         SELECT day, bk, bv, toUInt64(finalizeAggregation(ids)) AS c FROM kpi_alerts_dm FINAL WHERE ${DAY_RANGE})
       GROUP BY ${dayBucketExpr(r.g)} AS b, bk ORDER BY b
       SETTINGS do_not_merge_across_partitions_select_final = 1`, params(r));
    const by = new Map<number, AlertBucket>();
    for (const x of rows) {
      const b = n(x.b);
      const cur = by.get(b) ?? { b, total: 0, ind: [[], []], cat: [[], []], sev: [[], []], bur: [[], []] };
      const m = pair(x.m);
      if (x.bk === 'total') cur.total = m[1].reduce((s2, v) => s2 + v, 0);
      else if (x.bk === 'indicator') cur.ind = m;
      else if (x.bk === 'category') cur.cat = m;
      else if (x.bk === 'severity') cur.sev = m;
      else if (x.bk === 'bureau') cur.bur = m;
      by.set(b, cur);
    }
    return [...by.values()].sort((a, b) => a.b - b.b);
  }
  // Hour rollup: distinct ids per cell (uniq states; FINAL merges a cell's rows in key order), summed per bucket.
  const rows = await store.query<AlertBucket>(
    `SELECT b, sum(c) AS total, sumMap([indicator], [c]) AS ind, sumMap([category], [c]) AS cat, sumMap([severity], [c]) AS sev, sumMap([bureau], [c]) AS bur
     FROM (
       SELECT hour, indicator, category, severity, bureau, toUInt64(finalizeAggregation(ids)) AS c FROM kpi_alerts_h2 FINAL WHERE ${RANGE})
     GROUP BY ${bucketExpr(r.g)} AS b ORDER BY b`, params(r));
  return rows.map((x) => ({ b: n(x.b), total: n(x.total), ind: pair(x.ind), cat: pair(x.cat), sev: pair(x.sev), bur: pair(x.bur) }));
}

/** b = null: the whole period; indicator = null: all indicators (GROUPING SETS). */
export interface TaskCell { b: number | null; indicator: string | null; resolved: number; confirmed: number; late: number; assigned: number; resolve_ms: number | null; assign_ms: number | null }

export async function taskKpis(store: Store, r: KpiRange): Promise<TaskCell[]> {
  const rows = await store.query<Record<string, unknown>>(
    `SELECT ${r.g === 'hour' ? bucketExpr(r.g) : dayBucketExpr(r.g)} AS b, indicator, grouping(b, indicator) AS g,
       uniqExactMerge(resolved) AS resolved, uniqExactMerge(confirmed) AS confirmed, uniqExactMerge(late) AS late, uniqExactMerge(assigned) AS assigned,
       quantileExactMerge(0.5)(resolve_ms) AS resolve_ms, quantileExactMerge(0.5)(assign_ms) AS assign_ms
     FROM ${r.g === 'hour' ? `kpi_tasks_h WHERE ${RANGE}` : `kpi_tasks_d WHERE ${DAY_RANGE}`} GROUP BY GROUPING SETS ((b), (indicator), ())`, params(r));
  // grouping(b, indicator), SQL-standard: bit 1 set = b is aggregated away, bit 0 set = indicator is aggregated away.
  return rows.map((x) => {
    const g = n(x.g);
    return {
      b: g & 2 ? null : n(x.b), indicator: g & 1 ? null : String(x.indicator), resolved: n(x.resolved), confirmed: n(x.confirmed), late: n(x.late),
      assigned: n(x.assigned), resolve_ms: n(x.resolved) ? n(x.resolve_ms) : null, assign_ms: n(x.assigned) ? n(x.assign_ms) : null,
    };
  });
}

export interface ReviewCell { b: number; outcome: string; aspect: string; c: number }

export async function reviewKpis(store: Store, r: KpiRange): Promise<ReviewCell[]> {
  const rows = await store.query<ReviewCell>(
    `SELECT ${bucketExpr(r.g)} AS b, outcome, aspect, uniqExactMerge(ids) AS c FROM kpi_reviews_h WHERE ${RANGE} GROUP BY b, outcome, aspect ORDER BY b`, params(r));
  return rows.map((x) => ({ ...x, b: n(x.b), c: n(x.c) }));
}

/** Resolved and confirmed risk tasks per indicator over all time (indicator precision). */
export async function confirmedShareByIndicator(store: Store): Promise<Map<string, { resolved: number; confirmed: number }>> {
  const rows = await store.query<{ indicator: string; resolved: number; confirmed: number }>(
    `SELECT indicator, uniqExactMerge(resolved) AS resolved, uniqExactMerge(confirmed) AS confirmed FROM kpi_tasks_h WHERE dim = 'all' GROUP BY indicator`);
  return new Map(rows.map((r) => [r.indicator, { resolved: n(r.resolved), confirmed: n(r.confirmed) }]));
}

export async function refreshOverdue(store: Store): Promise<void> {
  await store.command('SYSTEM REFRESH VIEW kpi_overdue_mv');
  await store.command('SYSTEM WAIT VIEW kpi_overdue_mv');
}

export async function replaceMatterHours(store: Store, rows: readonly { matter: string; hours: number }[]): Promise<void> {
  await store.command('TRUNCATE TABLE kpi_matter_hours');
  await store.insert('kpi_matter_hours', rows);
}

// Baselines for the benchmark: the same KPIs scanned from raw events (what the rollups avoid).
export async function eventKpisFromRaw(store: Store, r: KpiRange): Promise<number> {
  const where = r.dim === 'all' ? '' : `AND ${r.dim} = {key:String}`;
  const rows = await store.query<{ c: number }>(
    `SELECT count() AS c FROM (SELECT ${bucketExpr(r.g, 'toStartOfHour(ts)')} AS b, count() AS events, countIf(action = 'rate') AS rates,
       sumIf(JSONExtractInt(attrs, 'score'), action = 'rate') AS score_sum, countIf(action = 'petition') AS petitions
     FROM events WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) ${where} GROUP BY b)`, params(r));
  return n(rows[0]?.c);
}

export async function overdueFromRaw(store: Store, r: KpiRange): Promise<number> {
  const where = r.dim === 'all' ? '' : `AND ${r.dim} = {key:String}`;
  const rows = await store.query<{ c: number }>(
    `SELECT count() AS c FROM (
       SELECT ${bucketExpr(r.g, 'toStartOfHour(deadline)')} AS b, count() AS due, countIf(done IS NULL OR done > deadline) AS overdue FROM (
         SELECT it.item, addMilliseconds(it.iss, toInt64(mh.hours * 3600000)) AS deadline, it.done AS done FROM (
           SELECT item, any(matter) AS m, minIf(ts, action = 'issue') AS iss, minIf(toNullable(ts), action IN ('complete', 'cancel')) AS done
           FROM events WHERE action IN ('issue', 'complete', 'cancel') ${where} GROUP BY item HAVING countIf(action = 'issue') > 0) AS it
         INNER JOIN kpi_matter_hours AS mh ON mh.matter = it.m)
       WHERE deadline >= fromUnixTimestamp64Milli({from:Int64}) AND deadline < fromUnixTimestamp64Milli({to:Int64}) GROUP BY b)`, params(r));
  return n(rows[0]?.c);
}
