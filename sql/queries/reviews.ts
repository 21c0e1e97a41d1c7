/** Typed queries over sampling review draws, reviews and their history, and the items they sample. */
import type { Store } from '../store.js';

export interface ReviewRow {
  id: string; draw_id: string; item: string; bureau: string; window: string; matter: string; power: number; handler: string; handlers: string[];
  kind: string; reviewers: string[]; submissions: string; state: string; outcome: string; aspect: string; task_id: string;
  created_at: number; decided_at: number | null; updated_at: number; version: number;
}

const COLS = `id, draw_id, item, bureau, window, matter, power, handler, handlers, kind, reviewers, submissions, state, outcome, aspect, task_id,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(decided_at) AS decided_at, toUnixTimestamp64Milli(updated_at) AS updated_at, version`;
const norm = (r: ReviewRow): ReviewRow => ({
  ...r, power: Number(r.power), created_at: Number(r.created_at), decided_at: r.decided_at === null ? null : Number(r.decided_at), updated_at: Number(r.updated_at), version: Number(r.version),
});

export async function insertReviewVersions(store: Store, rows: readonly ReviewRow[]): Promise<void> {
  await store.insert('reviews', rows);
}

export async function getReview(store: Store, id: string): Promise<ReviewRow | null> {
  const [r] = await store.query<ReviewRow>(`SELECT ${COLS} FROM reviews FINAL WHERE id = {id:String}`, { id });
  return r ? norm(r) : null;
}

export interface ReviewQuery {
  reviewer?: string; state?: string[]; bureau?: string[]; drawId?: string; limit: number; offset: number;
  /** Keyset cursor (created_at epoch ms, id) of the last row of the previous page; `asc` reverses the order. */
  before?: { ts: number; id: string }; asc?: boolean;
}

export async function listReviews(store: Store, q: ReviewQuery): Promise<ReviewRow[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit, offset: q.offset };
  if (q.reviewer) { parts.push('has(reviewers, {reviewer:String})'); params.reviewer = q.reviewer; }
  if (q.state?.length) { parts.push('state IN {state:Array(String)}'); params.state = q.state; }
  if (q.bureau?.length) { parts.push('bureau IN {bureau:Array(String)}'); params.bureau = q.bureau; }
  if (q.drawId) { parts.push('draw_id = {draw:String}'); params.draw = q.drawId; }
  const dir = q.asc ? 'ASC' : 'DESC';
  if (q.before) {
    parts.push(`(toUnixTimestamp64Milli(reviews.created_at), id) ${q.asc ? '>' : '<'} ({bts:Int64}, {bid:String})`);
    params.bts = q.before.ts; params.bid = q.before.id;
  }
  const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  const rows = await store.query<ReviewRow>(`SELECT ${COLS} FROM reviews FINAL ${where} ORDER BY reviews.created_at ${dir}, id ${dir} LIMIT {limit:UInt32} OFFSET {offset:UInt32}`, params);
  return rows.map(norm);
}

export interface ReviewEventRow { review_id: string; seq: number; ts: number; actor: string; action: string; bureau: string; window: string; handler: string; outcome: string; aspect: string; details: string }

export async function insertReviewEvents(store: Store, rows: readonly ReviewEventRow[]): Promise<void> {
  await store.insert('review_events', rows);
}

export async function reviewHistory(store: Store, id: string): Promise<ReviewEventRow[]> {
  const rows = await store.query<ReviewEventRow>(
    `SELECT review_id, seq, toUnixTimestamp64Milli(ts) AS ts, actor, action, bureau, window, handler, outcome, aspect, details
     FROM review_events WHERE review_id = {id:String} ORDER BY seq`, { id });
  return rows.map((r) => ({ ...r, seq: Number(r.seq), ts: Number(r.ts) }));
}

export interface ReviewDrawRow {
  id: string; ts: number; actor: string; period_from: number; period_to: number; algorithm: string; seed: string; rate: number; strata: string; items: string[];
  /** The draw's commitment in the audit chain (0: a draw made before commitments existed). */
  commit_seq: number; reference_version: number; events_seq: number; population_items: string[]; population_bureaus: string[];
}

const DRAW_COLS = `id, toUnixTimestamp64Milli(ts) AS ts, actor, toUnixTimestamp64Milli(period_from) AS period_from, toUnixTimestamp64Milli(period_to) AS period_to,
  algorithm, seed, rate, strata, items, commit_seq, reference_version, events_seq, population_items, population_bureaus`;
const normDraw = (r: ReviewDrawRow): ReviewDrawRow => ({
  ...r, ts: Number(r.ts), period_from: Number(r.period_from), period_to: Number(r.period_to), commit_seq: Number(r.commit_seq), reference_version: Number(r.reference_version), events_seq: Number(r.events_seq),
});

export async function insertReviewDraw(store: Store, row: ReviewDrawRow): Promise<void> {
  await store.insert('review_draws', [row]);
}

export async function reviewDrawForPeriod(store: Store, from: number, to: number): Promise<ReviewDrawRow | null> {
  const [r] = await store.query<ReviewDrawRow>(
    `SELECT ${DRAW_COLS} FROM review_draws
     WHERE period_from = fromUnixTimestamp64Milli({from:Int64}) AND period_to = fromUnixTimestamp64Milli({to:Int64}) LIMIT 1`, { from, to });
  return r ? normDraw(r) : null;
}

export async function getReviewDraw(store: Store, id: string): Promise<ReviewDrawRow | null> {
  const [r] = await store.query<ReviewDrawRow>(`SELECT ${DRAW_COLS} FROM review_draws WHERE id = {id:String} LIMIT 1`, { id });
  return r ? normDraw(r) : null;
}

export async function listReviewDraws(store: Store, limit: number): Promise<ReviewDrawRow[]> {
  const rows = await store.query<ReviewDrawRow>(
    `SELECT id, toUnixTimestamp64Milli(ts) AS ts, actor, toUnixTimestamp64Milli(period_from) AS period_from, toUnixTimestamp64Milli(period_to) AS period_to,
       algorithm, seed, rate, strata, items, commit_seq, reference_version, events_seq, [] AS population_items, [] AS population_bureaus
     FROM review_draws ORDER BY review_draws.ts DESC, id DESC LIMIT {limit:UInt32}`, { limit });
  return rows.map(normDraw);
}

/** The draw's reviews as first created (version 1 of each: the reviewers the draw itself picked). */
export async function reviewsOfDrawAsCreated(store: Store, drawId: string): Promise<ReviewRow[]> {
  const rows = await store.query<ReviewRow>(
    `SELECT ${COLS} FROM reviews WHERE draw_id = {draw:String} ORDER BY id, version LIMIT 1 BY id`, { draw: drawId });
  return rows.map(norm);
}

/**
 * Items with a `complete` event in [from, to), with the bureau of their first complete. `upToSeq`
 * (the draw's committed arrival sequence) keeps to the events stored by then, so the population
 * of a past draw can be re-derived exactly (docs/draws.md).
 */
export interface CompletedItem { bureau: string; /** a person (not `system`) acted on it between `handledFrom` and the period's end */ human: boolean }

/**
 * Items completed in [from, to) among the events stored up to `upToSeq`: each with its bureau and
 * whether a person acted on it in [handledFrom, to) (the review draw's strata, sampling v2).
 */
export async function completedItems(store: Store, from: number, to: number, handledFrom: number, upToSeq?: number): Promise<Map<string, CompletedItem>> {
  const seq = upToSeq === undefined ? '' : 'AND seq <= {upToSeq:UInt64}';
  const rows = await store.query<{ item: string; bureau: string; human: number }>(
    `SELECT c.item AS item, c.bureau AS bureau, h.human AS human
     FROM (SELECT item, argMin(bureau, ts) AS bureau FROM events
           WHERE action = 'complete' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) ${seq}
           GROUP BY item) AS c
     LEFT JOIN (SELECT item, toUInt8(1) AS human FROM events
           WHERE officer != 'system' AND ts >= fromUnixTimestamp64Milli({handledFrom:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) ${seq}
             AND item IN (SELECT item FROM events WHERE action = 'complete' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) ${seq})
           GROUP BY item) AS h ON h.item = c.item
     SETTINGS join_use_nulls = 0`, upToSeq === undefined ? { from, to, handledFrom } : { from, to, handledFrom, upToSeq });
  return new Map(rows.map((r) => [r.item, { bureau: r.bureau, human: Number(r.human) === 1 }]));
}

/** Items already sampled by an earlier draw (`before`: by a draw made before that time, for re-deriving a past draw). */
export async function sampledItems(store: Store, items: readonly string[], before?: number): Promise<Set<string>> {
  if (!items.length) return new Set();
  const rows = await store.query<{ item: string }>(
    `SELECT DISTINCT item FROM reviews WHERE item IN {items:Array(String)}${before === undefined ? '' : ' AND reviews.created_at < fromUnixTimestamp64Milli({before:Int64})'}`, before === undefined ? { items } : { items, before });
  return new Set(rows.map((r) => r.item));
}

export interface ItemFacts { item: string; officers: string[]; window: string; matter: string; handler: string }

/** Who acted on each item (events in [from, to)), its window, matter and main handler (the completer, else the latest actor). */
export async function itemFacts(store: Store, items: readonly string[], from: number, to: number): Promise<Map<string, ItemFacts>> {
  if (!items.length) return new Map();
  const rows = await store.query<ItemFacts>(
    `SELECT item, groupUniqArray(officer) AS officers, max(window) AS window, any(matter) AS matter,
       if(argMaxIf(officer, ts, action = 'complete' AND officer != 'system') != '', argMaxIf(officer, ts, action = 'complete' AND officer != 'system'),
          argMaxIf(officer, ts, officer != 'system')) AS handler
     FROM events WHERE item IN {items:Array(String)} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
     GROUP BY item`, { items, from, to });
  return new Map(rows.map((r) => [r.item, r]));
}

export async function reviewDrawSeed(store: Store, drawId: string): Promise<string | null> {
  const rows = await store.query<{ seed: string }>('SELECT seed FROM review_draws WHERE id = {id:String} LIMIT 1', { id: drawId });
  return rows[0]?.seed ?? null;
}

export async function countOpenReviews(store: Store, bureau: string | null): Promise<number> {
  const rows = await store.query<{ c: number }>(
    `SELECT count() AS c FROM reviews FINAL WHERE state != 'decided' ${bureau ? 'AND bureau = {bureau:String}' : ''}`, bureau ? { bureau } : {});
  return Number(rows[0]?.c ?? 0);
}
