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
import { riskScoresOfQuery, type RiskPartRow } from './risk.js';
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
const scopeParams = (s: ProfileScope) => ({ me: s.officer, all: everyone(s), from: s.from, to: s.to, np: everyone(s).length - 1 });

/**
 * A per-officer breakdown (`mk`, `mv`: the keys and counts of the officer's map) as columns `<p>_own_k`,
 * `<p>_own_v` (the officer's) and `<p>_peer_k`, `<p>_peer_mean` (the peers' sums per key over the number of peers).
 */
const breakdown = (p: string) => `anyIf(${p}_k, o = {me:String}) AS ${p}_own_k, anyIf(${p}_v, o = {me:String}) AS ${p}_own_v,
    tupleElement(sumMapIf(${p}_k, ${p}_v, o != {me:String}), 1) AS ${p}_peer_k,
    if({np:UInt32} = 0, [], arrayMap(v -> v / {np:UInt32}, tupleElement(sumMapIf(${p}_k, ${p}_v, o != {me:String}), 2))) AS ${p}_peer_mean, {np:UInt32} AS ${p}_np`;

/** The breakdown's rows: every key of the officer or a peer, the officer's count (0 when none) and the peers' mean (null without peers). */
function breakdownRows(row: Record<string, unknown> | undefined, p: string): { key: string; own: number; peer_mean: number | null }[] {
  const ownK = (row?.[`${p}_own_k`] as string[] | undefined) ?? [], ownV = (row?.[`${p}_own_v`] as unknown[] | undefined) ?? [];
  const peerK = (row?.[`${p}_peer_k`] as string[] | undefined) ?? [], peerM = (row?.[`${p}_peer_mean`] as unknown[] | undefined) ?? [];
  const keys = [...new Set([...ownK, ...peerK].map(String))];
  const noPeers = n0(row?.[`${p}_np`]) === 0;
  return keys.map((k) => {
    const i = ownK.indexOf(k), j = peerK.indexOf(k);
    return { key: k, own: i < 0 ? 0 : n0(ownV[i]), peer_mean: j >= 0 ? num(peerM[j]) : noPeers ? null : 0 };
  });
}

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

export interface ReviewCount { outcome: string; aspect: string; reviews: number; peer_mean: number | null }

export interface IndicatorCount { indicator: string; alerts: number; peer_mean: number | null }

/**
 * Alerts about the officer in the period (distinct ids), against the peers', and per indicator with
 * the peers' mean count: one read of the day rollup (each alert has one indicator, so the officer's
 * indicator cells sum to their distinct alerts).
 */
export function alertsQuery(s: ProfileScope): FigureQuery<{ total: PeerFigure; by_indicator: IndicatorCount[] }> {
  const w = officerRollup(s, 'days', 'at').raw(`bk = 'indicator'`);
  return {
    sql: distributions(s, `SELECT key AS o, sum(c) AS alerts, sumMap([toString(bv)], [c]) AS m
       FROM (SELECT key, day, bv, toUInt64(uniqMerge(ids)) AS c FROM kpi_alerts_dm WHERE ${w.conditions} GROUP BY key, day, bv) GROUP BY key`,
      { alerts: 'x.alerts' }, { ind_k: 'tupleElement(x.m, 1)', ind_v: 'tupleElement(x.m, 2)' }, breakdown('ind')),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({
      total: figure(row, 'alerts'),
      by_indicator: breakdownRows(row, 'ind').map((r) => ({ indicator: r.key, alerts: r.own, peer_mean: r.peer_mean }))
        .sort((a, b) => b.alerts - a.alerts || (b.peer_mean ?? 0) - (a.peer_mean ?? 0) || a.indicator.localeCompare(b.indicator)),
    }),
  };
}
export const profileAlerts = (store: Store, s: ProfileScope) => runFigure(store, alertsQuery(s));

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


/**
 * Reviews of the officer's work decided in the period: the share found non-compliant or suspicious
 * (none reviewed: no value) against the peers', and the count per outcome and aspect with the peers'
 * mean per cell; one read of the hour rollup.
 */
export function reviewsQuery(s: ProfileScope): FigureQuery<PeerFigure & { reviews: number; findings: number; by_outcome: ReviewCount[] }> {
  const w = officerRollup(s, 'hours', 'rf');
  return {
    sql: distributions(s, `SELECT key AS o, sum(c) AS total, sumIf(c, outcome IN ('non_compliant', 'integrity_suspicion')) AS bad,
       sumMap([concat(toString(outcome), '|', toString(aspect))], [c]) AS m
     FROM (SELECT key, outcome, aspect, toUInt64(length(groupUniqArrayArray(ids))) AS c FROM kpi_reviews_ids_h WHERE ${w.conditions} GROUP BY key, outcome, aspect) GROUP BY key`,
    { share: 'if(x.total = 0, NULL, x.bad / x.total)' }, { reviews: 'x.total', findings: 'x.bad', rv_k: 'tupleElement(x.m, 1)', rv_v: 'tupleElement(x.m, 2)' }, breakdown('rv')),
    params: { ...w.params, ...scopeParams(s) },
    parse: (row) => ({
      ...figure(row, 'share'), reviews: n0(row?.reviews_value), findings: n0(row?.findings_value),
      by_outcome: breakdownRows(row, 'rv').map((r) => { const [outcome = '', aspect = ''] = r.key.split('|'); return { outcome, aspect, reviews: r.own, peer_mean: r.peer_mean }; })
        .sort((a, b) => a.outcome.localeCompare(b.outcome) || a.aspect.localeCompare(b.aspect)),
    }),
  };
}
export const profileReviews = (store: Store, s: ProfileScope) => runFigure(store, reviewsQuery(s));

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

/**
 * The risk score as of a day of the officer and of each peer (the model's SQL: sql/queries/risk.ts),
 * as a peer figure, and the officer's parts (indicator, alerts, weight, confirmed, resolved) in the
 * order of `officerRiskParts` (largest alerts × weight first).
 */
export function riskScoreQuery(s: ProfileScope, asOf: string, p: RiskParams): FigureQuery<PeerFigure & { parts: RiskPartRow[] }> {
  const q = riskScoresOfQuery(asOf, p, 'all');
  return {
    sql: distributions(s, q.sql, { risk: 'x.score' }, { rk: 'x.ind', rn: 'x.n', rw: 'x.w', rc: 'x.nc', rr: 'x.nr' }),
    params: { ...q.params, ...scopeParams(s) },
    parse: (row) => {
      const col = (c: string) => (row?.[`${c}_value`] as unknown[] | undefined) ?? [];
      const [k, n, w, c, r] = ['rk', 'rn', 'rw', 'rc', 'rr'].map(col) as [unknown[], unknown[], unknown[], unknown[], unknown[]];
      const parts = k.map((ind, i) => ({ indicator: String(ind), alerts: n0(n[i]), weight: n0(w[i]), confirmed: n0(c[i]), resolved: n0(r[i]) }))
        .sort((a, b) => b.alerts * b.weight - a.alerts * a.weight || (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0));
      return { ...figure(row, 'risk'), parts };
    },
  };
}
export const profileRiskScore = (store: Store, s: ProfileScope, asOf: string, p: RiskParams) => runFigure(store, riskScoreQuery(s, asOf, p));
