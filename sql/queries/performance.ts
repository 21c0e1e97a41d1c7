/**
 * Performance evaluation (绩效评价, docs/reports.md): the KPI rollups of migration 021 grouped by
 * scope key (one row per officer, window or bureau) over one period, in one query per rollup. The
 * ranges and tables are exactly those `GET /api/kpis?granularity=day` reads (sql/queries/kpis.ts),
 * so each row equals the KPI API's totals for that scope and period.
 */
import type { Store } from '../store.js';
import { WhereBuilder } from './where.js';

export const PERFORMANCE_DIMS = ['officer', 'window', 'bureau'] as const;
export type PerformanceDim = (typeof PERFORMANCE_DIMS)[number];

/** One period: `from` a day start (Asia/Shanghai), `to` exclusive; `keys` null = every key of the dim. */
export interface PerformanceRange { dim: PerformanceDim; keys: readonly string[] | null; from: number; to: number }

const TZ = `'Asia/Shanghai'`;
const HOURS = `hour >= toDateTime(intDiv({from:Int64}, 1000), 'UTC') AND hour < toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC')`;
const DAYS = `day >= toDate(fromUnixTimestamp64Milli({from:Int64}), ${TZ}) AND day <= toDate(fromUnixTimestamp64Milli({to:Int64} - 1), ${TZ})`;
const n = (v: unknown) => Number(v ?? 0);

function scoped(r: PerformanceRange): WhereBuilder {
  const w = new WhereBuilder('p').raw('dim = {dim:String}', { dim: r.dim, from: r.from, to: r.to });
  if (r.keys) w.in('key', r.keys);
  return w.raw("key != ''");
}

export interface EventTotals { key: string; events: number; rates: number; score_sum: number; low_scores: number }

export async function eventTotalsByKey(store: Store, r: PerformanceRange): Promise<EventTotals[]> {
  const w = scoped(r);
  const rows = await store.query<EventTotals>(
    `SELECT key, sum(events) AS events, sum(rates) AS rates, sum(score_sum) AS score_sum, sum(low_scores) AS low_scores
     FROM kpi_events_h WHERE ${w.conditions} AND ${HOURS} GROUP BY key`, w.params);
  return rows.map((x) => ({ key: String(x.key), events: n(x.events), rates: n(x.rates), score_sum: n(x.score_sum), low_scores: n(x.low_scores) }));
}

export interface OverdueTotals { key: string; due: number; overdue: number }

export async function overdueTotalsByKey(store: Store, r: PerformanceRange): Promise<OverdueTotals[]> {
  const w = scoped(r);
  const rows = await store.query<OverdueTotals>(
    `SELECT key, sum(due) AS due, sum(overdue) AS overdue FROM kpi_overdue_h WHERE ${w.conditions} AND ${HOURS} GROUP BY key`, w.params);
  return rows.map((x) => ({ key: String(x.key), due: n(x.due), overdue: n(x.overdue) }));
}

export interface TaskTotals { key: string; resolved: number; confirmed: number; late: number }

/** Risk tasks about the scope (the subject officer / their bureau); there is none for a window (alerts carry no window). */
export async function taskTotalsByKey(store: Store, r: PerformanceRange): Promise<TaskTotals[]> {
  if (r.dim === 'window') return [];
  const w = scoped(r);
  const rows = await store.query<TaskTotals>(
    `SELECT key, length(groupUniqArrayArray(resolved)) AS resolved, length(groupUniqArrayArray(confirmed)) AS confirmed, length(groupUniqArrayArray(late)) AS late
     FROM kpi_tasks_ids_d WHERE ${w.conditions} AND ${DAYS} GROUP BY key`, w.params);
  return rows.map((x) => ({ key: String(x.key), resolved: n(x.resolved), confirmed: n(x.confirmed), late: n(x.late) }));
}

export interface AlertTotals { key: string; alerts: number }

export async function alertTotalsByKey(store: Store, r: PerformanceRange): Promise<AlertTotals[]> {
  if (r.dim === 'window') return [];
  const w = scoped(r);
  const rows = await store.query<AlertTotals>(
    `SELECT key, sum(c) AS alerts FROM (
       SELECT key, day, toUInt64(finalizeAggregation(ids)) AS c FROM kpi_alerts_dm FINAL WHERE ${w.conditions} AND bk = 'total' AND ${DAYS})
     GROUP BY key SETTINGS do_not_merge_across_partitions_select_final = 1`, w.params);
  return rows.map((x) => ({ key: String(x.key), alerts: n(x.alerts) }));
}

export interface ReviewTotals { key: string; outcome: string; aspect: string; c: number }

export async function reviewTotalsByKey(store: Store, r: PerformanceRange): Promise<ReviewTotals[]> {
  const w = scoped(r);
  const rows = await store.query<ReviewTotals>(
    `SELECT key, outcome, aspect, length(groupUniqArrayArray(ids)) AS c FROM kpi_reviews_ids_h WHERE ${w.conditions} AND ${HOURS} GROUP BY key, outcome, aspect`, w.params);
  return rows.map((x) => ({ key: String(x.key), outcome: String(x.outcome), aspect: String(x.aspect), c: n(x.c) }));
}
