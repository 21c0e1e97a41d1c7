/**
 * Risk scores (docs/risk.md) computed inside ClickHouse from the rollups of migration 086: indicator
 * weights from `risk_resolutions_d` (Beta prior, decayed by day), alerts per officer from
 * `risk_alerts_d`; daily snapshots in `risk_scores`. Mirrors streams/risk/model.ts exactly.
 */
import type { Store } from '../store.js';
import type { RiskParams } from '../../streams/risk/model.js';

export interface RiskPartRow { indicator: string; alerts: number; weight: number; confirmed: number; resolved: number }

const AGE = `dateDiff('day', day, {asof:Date})`;
/** Per indicator: decayed confirmed and resolved sums, and the plain counts (for the explanation). */
const WEIGHTS = `SELECT indicator, sum(confirmed * exp2(-${AGE} / {hl:Float64})) AS c, sum(resolved * exp2(-${AGE} / {hl:Float64})) AS r,
  sum(confirmed) AS nc, sum(resolved) AS nr
  FROM risk_resolutions_d WHERE day <= {asof:Date} GROUP BY indicator`;
const WEIGHT = '({pa:Float64} + w.c) / ({pa:Float64} + {pb:Float64} + w.r)';
const IN_WINDOW = 'day > subtractDays({asof:Date}, {win:UInt32}) AND day <= {asof:Date}';

const params = (p: RiskParams, asOf: string) => ({ asof: asOf, hl: p.halfLifeDays, pa: p.priorAlpha, pb: p.priorBeta, win: p.windowDays });

/** One officer's parts as of a day (Asia/Shanghai date 'YYYY-MM-DD'): alerts in the window per indicator × its weight. */
export async function officerRiskParts(store: Store, officer: string, asOf: string, p: RiskParams): Promise<RiskPartRow[]> {
  const rows = await store.query<RiskPartRow>(
    `SELECT a.indicator AS indicator, a.n AS alerts, ${WEIGHT} AS weight, w.nc AS confirmed, w.nr AS resolved
     FROM (SELECT indicator, uniqExactMerge(ids) AS n FROM risk_alerts_d WHERE officer = {officer:String} AND ${IN_WINDOW} GROUP BY indicator) AS a
     LEFT JOIN (${WEIGHTS}) AS w ON w.indicator = a.indicator
     ORDER BY alerts * weight DESC, indicator`, { ...params(p, asOf), officer });
  return rows.map((r) => ({ indicator: r.indicator, alerts: Number(r.alerts), weight: Number(r.weight), confirmed: Number(r.confirmed), resolved: Number(r.resolved) }));
}

/**
 * Every officer's score as of a day, written as that day's snapshot (one INSERT … SELECT inside
 * ClickHouse; a later computation of the same day replaces it). Returns the number of officers scored.
 */
export async function recomputeScores(store: Store, asOf: string, p: RiskParams, now: number): Promise<void> {
  await store.command(
    `INSERT INTO risk_scores (officer, bureau, day, score, alerts, computed_at)
     SELECT a.officer, any(a.bureau), toDate({asof:Date}), sum(a.n * ${WEIGHT}), sum(a.n), fromUnixTimestamp64Milli({now:Int64})
     FROM (SELECT officer, indicator, any(bureau) AS bureau, uniqExactMerge(ids) AS n FROM risk_alerts_d WHERE ${IN_WINDOW} GROUP BY officer, indicator) AS a
     LEFT JOIN (${WEIGHTS}) AS w ON w.indicator = a.indicator
     GROUP BY a.officer`, { ...params(p, asOf), now });
}

/**
 * The scores as of a day of the officers in the array parameter `{<officersParam>:Array(String)}`
 * (the same sum as `recomputeScores`, not stored): SQL selecting `o` (officer), `score` and the
 * parts as parallel arrays `ind`, `n`, `w`, `nc`, `nr` (indicator, alerts, weight, confirmed,
 * resolved, as `officerRiskParts` gives them); officers without alerts in the window have no row (score 0).
 */
export function riskScoresOfQuery(asOf: string, p: RiskParams, officersParam: string): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `SELECT a.officer AS o, sum(a.n * ${WEIGHT}) AS score,
        groupArray(toString(a.indicator)) AS ind, groupArray(a.n) AS n, groupArray(${WEIGHT}) AS w, groupArray(w.nc) AS nc, groupArray(w.nr) AS nr
      FROM (SELECT officer, indicator, uniqExactMerge(ids) AS n FROM risk_alerts_d WHERE officer IN {${officersParam}:Array(String)} AND ${IN_WINDOW} GROUP BY officer, indicator) AS a
      LEFT JOIN (${WEIGHTS}) AS w ON w.indicator = a.indicator
      GROUP BY a.officer`,
    params: params(p, asOf),
  };
}

export interface RiskPoint { day: string; score: number; alerts: number }

/** An officer's daily snapshots, oldest first. */
export async function officerRiskSeries(store: Store, officer: string, fromDay: string): Promise<RiskPoint[]> {
  const rows = await store.query<{ day: string; score: number; alerts: number }>(
    `SELECT toString(risk_scores.day) AS day, score, alerts FROM risk_scores FINAL WHERE officer = {officer:String} AND risk_scores.day >= {from:Date} ORDER BY risk_scores.day`, { officer, from: fromDay });
  return rows.map((r) => ({ day: r.day, score: Number(r.score), alerts: Number(r.alerts) }));
}

export interface BureauRiskPoint { month: string; bureau: string; mean_score: number; officers: number }

/** A bureau's (or every bureau's) risk by month: the mean over officer-days of the officers' daily scores. */
export async function bureauRiskByMonth(store: Store, fromDay: string, bureau?: string): Promise<BureauRiskPoint[]> {
  const rows = await store.query<BureauRiskPoint>(
    `SELECT toString(toStartOfMonth(day)) AS month, bureau, avg(score) AS mean_score, uniqExact(officer) AS officers
     FROM risk_scores FINAL WHERE day >= {from:Date} ${bureau ? 'AND bureau = {bureau:String}' : ''} GROUP BY month, bureau ORDER BY month, bureau`,
    { from: fromDay, ...(bureau ? { bureau } : {}) });
  return rows.map((r) => ({ month: r.month, bureau: r.bureau, mean_score: Number(r.mean_score), officers: Number(r.officers) }));
}
