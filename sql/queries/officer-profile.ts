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
function officerRollup(s: ProfileScope, range: 'hours' | 'days'): WhereBuilder {
  return new WhereBuilder('f')
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

/**
 * Everyone's per-officer metrics: `inner` groups by officer as `o`; officers missing from it get
 * the column defaults (0). `metrics` are expressions over the inner columns (prefixed `x.`), named.
 */
async function distributions(
  store: Store, s: ProfileScope, inner: string, params: Record<string, unknown>, metrics: Record<string, string>,
  values: Record<string, string> = {}, extra = '',
): Promise<Record<string, unknown> | undefined> {
  const cols = Object.entries({ ...metrics, ...values }).map(([name, expr]) => `${expr} AS ${name}`).join(', ');
  const outer = [...Object.keys(metrics).map(dist), ...Object.keys(values).map((v) => `anyIf(${v}, o = {me:String}) AS ${v}_value`), ...(extra ? [extra] : [])];
  const [row] = await store.query<Record<string, unknown>>(
    `SELECT ${outer.join(', ')} FROM (
       SELECT p.o AS o, ${cols} FROM (SELECT arrayJoin({all:Array(String)}) AS o) AS p LEFT JOIN (${inner}) AS x ON x.o = p.o)`,
    { ...params, me: s.officer, all: everyone(s) });
  return row;
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
  const w = officerRollup(s, 'days').raw(`bk = 'indicator'`);
  const rows = await store.query<IndicatorCount>(
    `SELECT bv AS indicator, sumIf(c, key = {me:String}) AS alerts, if({np:UInt32} = 0, NULL, sumIf(c, key != {me:String}) / {np:UInt32}) AS peer_mean
     FROM (SELECT key, bv, toUInt64(finalizeAggregation(ids)) AS c FROM kpi_alerts_dm FINAL WHERE ${w.conditions})
     GROUP BY indicator ORDER BY alerts DESC, peer_mean DESC, indicator
     SETTINGS do_not_merge_across_partitions_select_final = 1`, { ...w.params, me: s.officer, np: everyone(s).length - 1 });
  return rows.map((r) => ({ indicator: String(r.indicator), alerts: n0(r.alerts), peer_mean: num(r.peer_mean) }));
}

/** Alerts about the officer in the period (distinct ids), against the peers'. */
export async function profileAlertTotal(store: Store, s: ProfileScope): Promise<PeerFigure> {
  const w = officerRollup(s, 'days').raw(`bk = 'total'`);
  const row = await distributions(store, s,
    `SELECT key AS o, sum(c) AS alerts FROM (SELECT key, day, toUInt64(finalizeAggregation(ids)) AS c FROM kpi_alerts_dm FINAL WHERE ${w.conditions})
     GROUP BY key`, w.params, { alerts: 'x.alerts' });
  return figure(row, 'alerts');
}

/** Cases about the officer: open now, and closed within the period; against the peers'. */
export async function profileCases(store: Store, s: ProfileScope): Promise<{ open: PeerFigure; closed: PeerFigure }> {
  const w = new WhereBuilder('c').in('subject_officer', everyone(s));
  const row = await distributions(store, s,
    `SELECT subject_officer AS o, countIf(state != 'closed') AS open,
       countIf(state = 'closed' AND closed_at >= fromUnixTimestamp64Milli({from:Int64}) AND closed_at < fromUnixTimestamp64Milli({to:Int64})) AS closed
     FROM cases FINAL WHERE ${w.conditions} GROUP BY subject_officer`,
    { ...w.params, from: s.from, to: s.to }, { open: 'x.open', closed: 'x.closed' });
  return { open: figure(row, 'open'), closed: figure(row, 'closed') };
}

export interface ReviewCount { outcome: string; aspect: string; reviews: number; peer_mean: number | null }

/** Reviews of the officer's work decided in the period, per outcome and aspect, and the peers' mean per cell. */
export async function profileReviewOutcomes(store: Store, s: ProfileScope): Promise<ReviewCount[]> {
  const w = officerRollup(s, 'hours');
  const rows = await store.query<ReviewCount>(
    `SELECT outcome, aspect, sumIf(c, key = {me:String}) AS reviews, if({np:UInt32} = 0, NULL, sumIf(c, key != {me:String}) / {np:UInt32}) AS peer_mean
     FROM (SELECT key, outcome, aspect, uniqExactMerge(ids) AS c FROM kpi_reviews_h WHERE ${w.conditions} GROUP BY key, outcome, aspect)
     GROUP BY outcome, aspect ORDER BY outcome, aspect`, { ...w.params, me: s.officer, np: everyone(s).length - 1 });
  return rows.map((r) => ({ outcome: String(r.outcome), aspect: String(r.aspect), reviews: n0(r.reviews), peer_mean: num(r.peer_mean) }));
}

/** The share of the officer's reviewed work found non-compliant or suspicious (none reviewed: no value), against the peers'. */
export async function profileReviewFindings(store: Store, s: ProfileScope): Promise<PeerFigure & { reviews: number; findings: number }> {
  const w = officerRollup(s, 'hours');
  const row = await distributions(store, s,
    `SELECT key AS o, sum(c) AS total, sumIf(c, outcome IN ('non_compliant', 'integrity_suspicion')) AS bad
     FROM (SELECT key, outcome, uniqExactMerge(ids) AS c FROM kpi_reviews_h WHERE ${w.conditions} GROUP BY key, outcome) GROUP BY key`,
    w.params, { share: 'if(x.total = 0, NULL, x.bad / x.total)' }, { reviews: 'x.total', findings: 'x.bad' });
  return { ...figure(row, 'share'), reviews: n0(row?.reviews_value), findings: n0(row?.findings_value) };
}

/** Work items whose deadline fell in the period, how many were overdue, and the overdue rate against the peers'. */
export async function profileOverdue(store: Store, s: ProfileScope): Promise<PeerFigure & { due: number; overdue: number; section_rate: number | null }> {
  const w = officerRollup(s, 'hours');
  const row = await distributions(store, s,
    `SELECT key AS o, sum(due) AS due, sum(overdue) AS overdue FROM kpi_overdue_h WHERE ${w.conditions} GROUP BY key`,
    w.params, { rate: 'if(x.due = 0, NULL, x.overdue / x.due)' }, { due: 'x.due', overdue: 'x.overdue' },
    // The section's pooled rate: the peers' overdue items over their due items.
    `if(sumIf(due, o != {me:String}) = 0, NULL, sumIf(overdue, o != {me:String}) / sumIf(due, o != {me:String})) AS section_rate`);
  return { ...figure(row, 'rate'), due: n0(row?.due_value), overdue: n0(row?.overdue_value), section_rate: num(row?.section_rate) };
}

/** Taxpayer ratings (1–5) of the officer's service in the period: the mean score against the peers', and the low (1–2) count. */
export async function profileSatisfaction(store: Store, s: ProfileScope): Promise<PeerFigure & { ratings: number; low: number; section_score: number | null }> {
  const w = officerRollup(s, 'hours');
  const row = await distributions(store, s,
    `SELECT key AS o, sum(rates) AS rates, sum(score_sum) AS score_sum, sum(low_scores) AS low FROM kpi_events_h WHERE ${w.conditions} GROUP BY key`,
    w.params, { score: 'if(x.rates = 0, NULL, x.score_sum / x.rates)' }, { ratings: 'x.rates', low: 'x.low', score_sum: 'x.score_sum' },
    // The section's pooled mean: every rating of the peers counts once.
    `if(sumIf(ratings, o != {me:String}) = 0, NULL, sumIf(score_sum, o != {me:String}) / sumIf(ratings, o != {me:String})) AS section_score`);
  return { ...figure(row, 'score'), ratings: n0(row?.ratings_value), low: n0(row?.low_value), section_score: num(row?.section_score) };
}

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
export async function profileRiskScore(store: Store, s: ProfileScope, asOf: string, p: RiskParams): Promise<PeerFigure> {
  const q = riskScoresOfQuery(asOf, p, 'all');
  const row = await distributions(store, s, q.sql, q.params, { score: 'x.score' });
  return figure(row, 'score');
}
