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

/** A row of a multi-range query: `p` is the index of its range. */
export type InRange<T> = T & { p: number };

/**
 * One statement over several ranges of one scope and granularity (a period and the periods it is
 * compared with): a UNION ALL branch per range, its rows tagged `p`. The embedded engine runs one
 * statement at a time at a fixed cost each (~3–5 ms), so the board's three periods cost six
 * statements instead of eighteen. `branch` uses {from:Int64} and {to:Int64} for its range.
 */
async function overRanges<T>(store: Store, rs: readonly KpiRange[], branch: string, settings = ''): Promise<InRange<T>[]> {
  if (!rs.length) return [];
  const scope = rs[0]!;
  const params: Record<string, unknown> = { dim: scope.dim, key: scope.dim === 'all' ? '' : scope.key };
  const sql = rs.map((r, i) => {
    params[`from${i}`] = r.from;
    params[`to${i}`] = r.to;
    return `SELECT ${i} AS p, * FROM (${branch.replaceAll('{from:Int64}', `{from${i}:Int64}`).replaceAll('{to:Int64}', `{to${i}:Int64}`)})`;
  }).join('\nUNION ALL\n');
  const rows = await store.query<InRange<T>>(`${sql}${settings ? `\nSETTINGS ${settings}` : ''}`, params);
  for (const r of rows) r.p = Number(r.p);
  return rows;
}

export interface EventBucket { b: number; events: number; rates: number; score_sum: number; low_scores: number; petitions: number }

export async function eventKpis(store: Store, r: KpiRange, shiftYears = 0): Promise<EventBucket[]> {
  return eventKpisOver(store, [r], shiftYears);
}

export async function eventKpisOver(store: Store, rs: readonly KpiRange[], shiftYears = 0): Promise<InRange<EventBucket>[]> {
  // shiftYears = 1: the same period a year earlier, bucketed as the current period's buckets.
  const y = Math.trunc(shiftYears);
  const h = y ? `addYears(hour, ${y})` : 'hour';
  const range = y
    ? `dim = {dim:String} AND key = {key:String} AND hour >= addYears(toDateTime(intDiv({from:Int64}, 1000), 'UTC'), ${-y})
       AND hour < addYears(toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC'), ${-y})`
    : RANGE;
  const rows = await overRanges<EventBucket>(store, rs,
    `SELECT ${bucketExpr(rs[0]?.g ?? 'day', h)} AS b, sum(events) AS events, sum(rates) AS rates, sum(score_sum) AS score_sum, sum(low_scores) AS low_scores, sum(petitions) AS petitions
     FROM kpi_events_h WHERE ${range} GROUP BY b`);
  return rows.map((x) => ({ p: x.p, b: n(x.b), events: n(x.events), rates: n(x.rates), score_sum: n(x.score_sum), low_scores: n(x.low_scores), petitions: n(x.petitions) }));
}

export interface OverdueBucket { b: number; due: number; overdue: number }

export async function overdueKpis(store: Store, r: KpiRange): Promise<OverdueBucket[]> {
  return overdueKpisOver(store, [r]);
}

export async function overdueKpisOver(store: Store, rs: readonly KpiRange[]): Promise<InRange<OverdueBucket>[]> {
  const rows = await overRanges<OverdueBucket>(store, rs,
    `SELECT ${bucketExpr(rs[0]?.g ?? 'day')} AS b, sum(due) AS due, sum(overdue) AS overdue FROM kpi_overdue_h WHERE ${RANGE} GROUP BY b`);
  return rows.map((x) => ({ p: x.p, b: n(x.b), due: n(x.due), overdue: n(x.overdue) }));
}

/** Alerts of one bucket: the total and the four breakdowns as parallel key/count arrays. */
export interface AlertBucket { b: number; total: number; ind: [string[], number[]]; cat: [string[], number[]]; sev: [string[], number[]]; bur: [string[], number[]] }

export async function alertKpis(store: Store, r: KpiRange): Promise<AlertBucket[]> {
  return alertKpisOver(store, [r]);
}

/**
 * Alerts per bucket, in total and by indicator, category, severity and bureau, from the alert cube
 * (migration 130: the distinct ids of each hour cell, the same cells as GET /api/alerts/stats, so
 * the board's cards, ranking and heat map agree). An alert lies in one cell: FINAL merges each
 * cell's id arrays, their lengths sum to distinct counts; one scan answers the five breakdowns as
 * grouping sets. Scope: all, a bureau or an officer (a window has no alerts).
 */
export async function alertKpisOver(store: Store, rs: readonly KpiRange[]): Promise<InRange<AlertBucket>[]> {
  const g = rs[0]?.g ?? 'day';
  const dim = rs[0]?.dim ?? 'all';
  if (dim === 'window') return [];
  const scope = dim === 'bureau' ? 'AND bureau = {key:String}' : dim === 'officer' ? 'AND officer = {key:String}' : '';
  const rows = await overRanges<{ b: number; ind: string; cat: string; sev: string; bur: string; g: number; n: number }>(store, rs,
    `SELECT ${bucketExpr(g)} AS b, toString(indicator) AS ind, toString(category) AS cat, toString(severity) AS sev, toString(bureau) AS bur,
       grouping(b, ind, cat, sev, bur) AS g, sum(c) AS n
     FROM (
       SELECT hour, indicator, category, severity, bureau, length(ids) AS c FROM alert_cube_ids_h FINAL
       WHERE hour >= toDateTime(intDiv({from:Int64}, 1000), 'UTC') AND hour < toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC') ${scope})
     GROUP BY GROUPING SETS ((b), (b, ind), (b, cat), (b, sev), (b, bur))`, 'do_not_merge_across_partitions_select_final = 1');
  // grouping(b, ind, cat, sev, bur), SQL-standard: a set bit is a key aggregated away (b is bit 4).
  const by = new Map<string, InRange<AlertBucket>>();
  const add = (m: [string[], number[]], k: string, v: number) => { m[0].push(k); m[1].push(v); };
  for (const x of rows) {
    const b = n(x.b);
    const key = `${x.p}|${b}`;
    const cur = by.get(key) ?? { p: x.p, b, total: 0, ind: [[], []], cat: [[], []], sev: [[], []], bur: [[], []] };
    const c = n(x.n);
    switch (n(x.g)) {
      case 0b01111: cur.total = c; break;
      case 0b00111: add(cur.ind, x.ind, c); break;
      case 0b01011: add(cur.cat, x.cat, c); break;
      case 0b01101: add(cur.sev, x.sev, c); break;
      case 0b01110: add(cur.bur, x.bur, c); break;
    }
    by.set(key, cur);
  }
  return [...by.values()].sort((a, b) => a.p - b.p || a.b - b.b);
}

/** b = null: the whole period; indicator = null: all indicators (GROUPING SETS). */
export interface TaskCell { b: number | null; indicator: string | null; resolved: number; confirmed: number; late: number; assigned: number; resolve_ms: number | null; assign_ms: number | null }

export async function taskKpis(store: Store, r: KpiRange): Promise<TaskCell[]> {
  return taskKpisOver(store, [r]);
}

export async function taskKpisOver(store: Store, rs: readonly KpiRange[]): Promise<InRange<TaskCell>[]> {
  const g = rs[0]?.g ?? 'day';
  // The hour rollup holds uniqExact states, the day rollup arrays of distinct ids (migration 130).
  const distinct = (c: string) => (g === 'hour' ? `uniqExactMerge(${c})` : `length(groupUniqArrayArray(${c}))`);
  const rows = await overRanges<Record<string, unknown>>(store, rs,
    `SELECT ${g === 'hour' ? bucketExpr(g) : dayBucketExpr(g)} AS b, indicator, grouping(b, indicator) AS g,
       ${distinct('resolved')} AS resolved, ${distinct('confirmed')} AS confirmed, ${distinct('late')} AS late, ${distinct('assigned')} AS assigned,
       quantileExactMerge(0.5)(resolve_ms) AS resolve_ms, quantileExactMerge(0.5)(assign_ms) AS assign_ms
     FROM ${g === 'hour' ? `kpi_tasks_h WHERE ${RANGE}` : `kpi_tasks_ids_d WHERE ${DAY_RANGE}`} GROUP BY GROUPING SETS ((b), (indicator), ())`);
  // grouping(b, indicator), SQL-standard: bit 1 set = b is aggregated away, bit 0 set = indicator is aggregated away.
  return rows.map((x) => {
    const gs = n(x.g);
    return {
      p: Number(x.p), b: gs & 2 ? null : n(x.b), indicator: gs & 1 ? null : String(x.indicator), resolved: n(x.resolved), confirmed: n(x.confirmed), late: n(x.late),
      assigned: n(x.assigned), resolve_ms: n(x.resolved) ? n(x.resolve_ms) : null, assign_ms: n(x.assigned) ? n(x.assign_ms) : null,
    };
  });
}

export interface ReviewCell { b: number; outcome: string; aspect: string; c: number }

export async function reviewKpis(store: Store, r: KpiRange): Promise<ReviewCell[]> {
  return reviewKpisOver(store, [r]);
}

export async function reviewKpisOver(store: Store, rs: readonly KpiRange[]): Promise<InRange<ReviewCell>[]> {
  const rows = await overRanges<ReviewCell>(store, rs,
    `SELECT ${bucketExpr(rs[0]?.g ?? 'day')} AS b, outcome, aspect, length(groupUniqArrayArray(ids)) AS c FROM kpi_reviews_ids_h WHERE ${RANGE} GROUP BY b, outcome, aspect`);
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
