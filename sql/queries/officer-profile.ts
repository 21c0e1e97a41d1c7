/**
 * The officer profile (docs/officer-profile.md): one officer's figures over a period of whole
 * Asia/Shanghai days, each beside the same figure's distribution over the peers of their section,
 * computed inside ClickHouse from the rollups (kpi_* of migration 021, officer_lines_d of 110) and
 * the cases table. One function per figure; every filter through the one WHERE builder, every value
 * a query parameter.
 *
 * Per-officer figures are computed for "everyone" (the officer and the peers); an officer without a
 * row in a rollup counts 0 (counts) or has no value (rates: nothing due, nobody rated).
 */
import type { Store } from '../store.js';
import { WhereBuilder } from './where.js';
import { riskScoresOfQuery } from './risk.js';
import type { RiskParams } from '../../streams/risk/model.js';

const TZ = `'Asia/Shanghai'`;
const HOURS = `hour >= toDateTime(intDiv({from:Int64}, 1000), 'UTC') AND hour < toDateTime(intDiv({to:Int64} + 999, 1000), 'UTC')`;
const DAYS = `day >= toDate(fromUnixTimestamp64Milli({from:Int64}), ${TZ}) AND day <= toDate(fromUnixTimestamp64Milli({to:Int64} - 1), ${TZ})`;

/** One officer, their bureau and their peers (without the officer), over [from, to) (epoch ms, Asia/Shanghai day starts). */
export interface ProfileScope { officer: string; bureau: string; peers: readonly string[]; from: number; to: number }

/** An officer's value of a figure and the figure over their peers (`peers`: peers with a value; `rank`: 1 + peers above). */
export interface PeerFigure { value: number | null; peers: number; mean: number | null; median: number | null; min: number | null; max: number | null; rank: number | null }

const num = (v: unknown): number | null => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
const n0 = (v: unknown): number => num(v) ?? 0;
const everyone = (s: ProfileScope) => [s.officer, ...s.peers.filter((p) => p !== s.officer)];

/** Conditions on an officer-keyed KPI rollup (dim 'officer', key among everyone) and the period. */
function officerRollup(s: ProfileScope, range: 'hours' | 'days', prefix: string): WhereBuilder {
  return new WhereBuilder(prefix)
    .raw(`dim = 'officer'`)
    .in('key', everyone(s))
    .raw(range === 'hours' ? HOURS : DAYS, { from: s.from, to: s.to });
}

/** The distribution columns of a per-officer metric `m` (a column of the inner table, `o` the officer). */
function dist(m: string): string {
  const peer = `o != {me:String}`;
  return `anyIf(${m}, o = {me:String}) AS ${m}_value, countIf(${peer} AND ${m} IS NOT NULL) AS ${m}_peers,
    avgIf(${m}, ${peer}) AS ${m}_mean, quantileExactInclusiveIf(0.5)(${m}, ${peer}) AS ${m}_median,
    minIf(${m}, ${peer}) AS ${m}_min, maxIf(${m}, ${peer}) AS ${m}_max,
    1 + arrayCount(x -> x > ${m}_value, groupArrayIf(${m}, ${peer} AND ${m} IS NOT NULL)) AS ${m}_rank`;
}

function figure(row: Record<string, unknown> | undefined, m: string): PeerFigure {
  const value = num(row?.[`${m}_value`]);
  const peers = n0(row?.[`${m}_peers`]);
  return {
    value, peers,
    mean: peers ? num(row?.[`${m}_mean`]) : null, median: peers ? num(row?.[`${m}_median`]) : null,
    min: peers ? num(row?.[`${m}_min`]) : null, max: peers ? num(row?.[`${m}_max`]) : null,
    rank: value === null ? null : n0(row?.[`${m}_rank`]),
  };
}

/** One figure as a one-row SELECT (its columns named after its metrics, unique across figures), and how to read the row. */
export interface FigureQuery<T> { sql: string; params: Record<string, unknown>; parse(row: Record<string, unknown> | undefined): T }

/**
 * Everyone's per-officer metrics as a one-row SELECT: `inner` groups by officer as `o`; officers
 * missing from it get the column defaults (0). `metrics` (with the peers' distribution) and
 * `values` (the officer's value only) are expressions over the inner columns (prefixed `x.`), named.
 */
function distributions(
  s: ProfileScope, inner: string, metrics: Record<string, string>, values: Record<string, string> = {}, extra = '',
): string {
  const cols = Object.entries({ ...metrics, ...values }).map(([name, expr]) => `${expr} AS ${name}`).join(', ');
  const outer = [...Object.keys(metrics).map(dist), ...Object.keys(values).map((v) => `anyIf(${v}, o = {me:String}) AS ${v}_value`), ...(extra ? [extra] : [])];
  return `SELECT ${outer.join(', ')} FROM (
       SELECT p.o AS o, ${cols} FROM (SELECT arrayJoin({all:Array(String)}) AS o) AS p LEFT JOIN (${inner}) AS x ON x.o = p.o)`;
}
const scopeParams = (s: ProfileScope) => ({ me: s.officer, all: everyone(s), from: s.from, to: s.to });

/** One figure, one query. */
export async function runFigure<T>(store: Store, q: FigureQuery<T>): Promise<T> {
  const [row] = await store.query<Record<string, unknown>>(q.sql, q.params);
  return q.parse(row);
}

/**
 * Several figures of the same scope in one query (one round trip: the embedded store runs
 * parameterised queries one at a time, so each saved query is its fixed cost saved): the one-row
 * SELECTs side by side (CROSS JOIN), each figure read from its own columns.
 */
export async function runFigures<Q extends Record<string, FigureQuery<unknown>>>(store: Store, qs: Q): Promise<{ [K in keyof Q]: Q[K] extends FigureQuery<infer T> ? T : never }> {
  const list = Object.entries(qs);
  const [row] = await store.query<Record<string, unknown>>(
    `SELECT * FROM ${list.map(([, q], i) => `(${q.sql}) AS f${i}`).join(' CROSS JOIN ')}`,
    Object.assign({}, ...list.map(([, q]) => q.params)));
  return Object.fromEntries(list.map(([k, q]) => [k, q.parse(row)])) as { [K in keyof Q]: Q[K] extends FigureQuery<infer T> ? T : never };
}

export interface OfficerSection { line: string | null; peers: string[] }

/**
 * The officer's section: the business line (platform) most of their events of the period fall in
 * (ties: the later line name), and the bureau's other officers with the same main line. An officer
 * without events in the period has no line; their peers are then the bureau's officers with events.
 */
export async function officerSection(store: Store, q: { officer: string; bureau: string; from: number; to: number }): Promise<OfficerSection> {
  const w = new WhereBuilder('s').cmp('bureau', '=', 'String', q.bureau).raw(DAYS, { from: q.from, to: q.to });
  const [r] = await store.query<{ own: string; peers: string[] }>(
    `SELECT own, arraySort(arrayFilter((x, l) -> x != {me:String} AND (own = '' OR l = own), os, ls)) AS peers FROM (
       SELECT anyIf(line, officer = {me:String}) AS own, groupArray(officer) AS os, groupArray(line) AS ls FROM (
         SELECT officer, argMax(platform, (n, platform)) AS line FROM (
           SELECT officer, platform, sum(events) AS n FROM officer_lines_d WHERE ${w.conditions} GROUP BY officer, platform)
         GROUP BY officer))`, { ...w.params, me: q.officer });
  return { line: r?.own ? String(r.own) : null, peers: (r?.peers ?? []).map(String) };
}

export interface IndicatorCount { indicator: string; alerts: number; peer_mean: number | null }

/** The officer's alerts per indicator (distinct ids) and the peers' mean count of the same indicator. */
export async function profileAlertsByIndicator(store: Store, s: ProfileScope): Promise<IndicatorCount[]> {
  const w = officerRollup(s, 'days', 'ai').raw(`bk = 'indicator'`);
  // Distinct ids per cell (key, day, indicator): an alert lies in one cell, so the cells' sum is distinct alerts.
  const rows = await store.query<IndicatorCount>(
    `SELECT bv AS indicator, sumIf(c, key = {me:String}) AS alerts, if({np:UInt32} = 0, NULL, sumIf(c, key != {me:String}) / {np:UInt32}) AS peer_mean
     FROM (SELECT key, day, bv, uniqMerge(ids) AS c FROM kpi_alerts_dm WHERE ${w.conditions} GROUP BY key, day, bv)
     GROUP BY indicator ORDER BY alerts DESC, peer_mean DESC, indicator`, { ...w.params, me: s.officer, np: everyone(s).length - 1 });
  return rows.map((r) => ({ indicator: String(r.indicator), alerts: n0(r.alerts), peer_mean: num(r.peer_mean) }));
}

/** Alerts about the officer in the period (distinct ids), against the peers'. */
export function alertTotalQuery(s: ProfileScope): FigureQuery<PeerFigure> {
  const w = officerRollup(s, 'days', 'at').raw(`bk = 'total'`);
  return {
    sql: distributions(s, `SELECT key AS o, sum(c) AS alerts FROM (SELECT key, day, uniqMerge(ids) AS c FROM kpi_alerts_dm WHERE ${w.conditions} GROUP BY key, day) GROUP BY key`,
      { alerts: 'x.alerts' }),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => figure(row, 'alerts'),
  };
}
export const profileAlertTotal = (store: Store, s: ProfileScope) => runFigure(store, alertTotalQuery(s));

/** Cases about the officer: open now, and closed within the period; against the peers'. */
export function casesQuery(s: ProfileScope): FigureQuery<{ open: PeerFigure; closed: PeerFigure }> {
  const w = new WhereBuilder('cs').in('subject_officer', everyone(s));
  return {
    sql: distributions(s, `SELECT subject_officer AS o, countIf(state != 'closed') AS open,
       countIf(state = 'closed' AND closed_at >= fromUnixTimestamp64Milli({from:Int64}) AND closed_at < fromUnixTimestamp64Milli({to:Int64})) AS closed
     FROM cases FINAL WHERE ${w.conditions} GROUP BY subject_officer`, { open: 'x.open', closed: 'x.closed' }),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({ open: figure(row, 'open'), closed: figure(row, 'closed') }),
  };
}
export const profileCases = (store: Store, s: ProfileScope) => runFigure(store, casesQuery(s));

export interface ReviewCount { outcome: string; aspect: string; reviews: number; peer_mean: number | null }

/** Reviews of the officer's work decided in the period, per outcome and aspect, and the peers' mean per cell. */
export async function profileReviewOutcomes(store: Store, s: ProfileScope): Promise<ReviewCount[]> {
  const w = officerRollup(s, 'hours', 'ro');
  const rows = await store.query<ReviewCount>(
    `SELECT outcome, aspect, sumIf(c, key = {me:String}) AS reviews, if({np:UInt32} = 0, NULL, sumIf(c, key != {me:String}) / {np:UInt32}) AS peer_mean
     FROM (SELECT key, outcome, aspect, uniqExactMerge(ids) AS c FROM kpi_reviews_h WHERE ${w.conditions} GROUP BY key, outcome, aspect)
     GROUP BY outcome, aspect ORDER BY outcome, aspect`, { ...w.params, me: s.officer, np: everyone(s).length - 1 });
  return rows.map((r) => ({ outcome: String(r.outcome), aspect: String(r.aspect), reviews: n0(r.reviews), peer_mean: num(r.peer_mean) }));
}

/** The share of the officer's reviewed work found non-compliant or suspicious (none reviewed: no value), against the peers'. */
export function reviewFindingsQuery(s: ProfileScope): FigureQuery<PeerFigure & { reviews: number; findings: number }> {
  const w = officerRollup(s, 'hours', 'rf');
  return {
    sql: distributions(s, `SELECT key AS o, sum(c) AS total, sumIf(c, outcome IN ('non_compliant', 'integrity_suspicion')) AS bad
     FROM (SELECT key, outcome, uniqExactMerge(ids) AS c FROM kpi_reviews_h WHERE ${w.conditions} GROUP BY key, outcome) GROUP BY key`,
    { share: 'if(x.total = 0, NULL, x.bad / x.total)' }, { reviews: 'x.total', findings: 'x.bad' }),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({ ...figure(row, 'share'), reviews: n0(row?.reviews_value), findings: n0(row?.findings_value) }),
  };
}
export const profileReviewFindings = (store: Store, s: ProfileScope) => runFigure(store, reviewFindingsQuery(s));

/** Work items whose deadline fell in the period, how many were overdue, and the overdue rate against the peers'. */
export function overdueQuery(s: ProfileScope): FigureQuery<PeerFigure & { due: number; overdue: number; section_rate: number | null }> {
  const w = officerRollup(s, 'hours', 'od');
  return {
    sql: distributions(s, `SELECT key AS o, sum(due) AS due, sum(overdue) AS overdue FROM kpi_overdue_h WHERE ${w.conditions} GROUP BY key`,
      { rate: 'if(x.due = 0, NULL, x.overdue / x.due)' }, { due: 'x.due', overdue: 'x.overdue' },
      // The section's pooled rate: the peers' overdue items over their due items.
      `if(sumIf(due, o != {me:String}) = 0, NULL, sumIf(overdue, o != {me:String}) / sumIf(due, o != {me:String})) AS section_rate`),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({ ...figure(row, 'rate'), due: n0(row?.due_value), overdue: n0(row?.overdue_value), section_rate: num(row?.section_rate) }),
  };
}
export const profileOverdue = (store: Store, s: ProfileScope) => runFigure(store, overdueQuery(s));

/** Taxpayer ratings (1–5) of the officer's service in the period: the mean score against the peers', and the low (1–2) count. */
export function satisfactionQuery(s: ProfileScope): FigureQuery<PeerFigure & { ratings: number; low: number; section_score: number | null }> {
  const w = officerRollup(s, 'hours', 'sa');
  return {
    sql: distributions(s, `SELECT key AS o, sum(rates) AS rates, sum(score_sum) AS score_sum, sum(low_scores) AS low FROM kpi_events_h WHERE ${w.conditions} GROUP BY key`,
      { rating: 'if(x.rates = 0, NULL, x.score_sum / x.rates)' }, { ratings: 'x.rates', low: 'x.low', score_sum: 'x.score_sum' },
      // The section's pooled mean: every rating of the peers counts once.
      `if(sumIf(ratings, o != {me:String}) = 0, NULL, sumIf(score_sum, o != {me:String}) / sumIf(ratings, o != {me:String})) AS section_score`),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({ ...figure(row, 'rating'), ratings: n0(row?.ratings_value), low: n0(row?.low_value), section_score: num(row?.section_score) }),
  };
}
export const profileSatisfaction = (store: Store, s: ProfileScope) => runFigure(store, satisfactionQuery(s));

export interface RiskPeerPoint { day: string; score: number; peer_mean: number | null }

/** The officer's daily risk snapshots in the period and, for each such day, the peers' mean score (no snapshot row = 0). */
export async function profileRiskSeries(store: Store, s: ProfileScope): Promise<RiskPeerPoint[]> {
  const w = new WhereBuilder('r').in('officer', everyone(s)).raw(DAYS, { from: s.from, to: s.to });
  const rows = await store.query<{ d: string; own: number; peer_mean: number | null }>(
    `SELECT toString(risk_scores.day) AS d, sumIf(risk_scores.score, officer = {me:String}) AS own,
       if({np:UInt32} = 0, NULL, sumIf(risk_scores.score, officer != {me:String}) / {np:UInt32}) AS peer_mean
     FROM risk_scores FINAL WHERE ${w.conditions} GROUP BY risk_scores.day HAVING countIf(officer = {me:String}) > 0 ORDER BY risk_scores.day`,
    { ...w.params, me: s.officer, np: everyone(s).length - 1 });
  return rows.map((r) => ({ day: String(r.d), score: n0(r.own), peer_mean: num(r.peer_mean) }));
}

/** The risk score as of a day of the officer and of each peer (the model's SQL: sql/queries/risk.ts), as a peer figure. */
export function riskScoreQuery(s: ProfileScope, asOf: string, p: RiskParams): FigureQuery<PeerFigure> {
  const q = riskScoresOfQuery(asOf, p, 'all');
  return { sql: distributions(s, q.sql, { risk: 'x.score' }), params: { ...q.params, ...scopeParams(s) }, parse: (row) => figure(row, 'risk') };
}
export const profileRiskScore = (store: Store, s: ProfileScope, asOf: string, p: RiskParams) => runFigure(store, riskScoreQuery(s, asOf, p));
