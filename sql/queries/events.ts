/** Typed queries over events, the dedupe index and dead letters. */
import type { Store } from '../store.js';
import { taxpayerTokenWhere, type TaxpayerTokenFilter } from './taxpayer-token.js';
import { insertIsolating, type WriteHealth } from '../isolate.js';
import { WhereBuilder } from './where.js';
import type { AttrValue, IngestedEvent, OpEvent } from '../../streams/types.js';

export interface EventRow {
  id: string; ts: number; platform: string; bureau: string; officer: string; matter: string; item: string; action: string;
  taxpayer: string; window: string; amount: number | null; attrs: string; flags: string[]; seq: number; arrived_at: number;
}

export const toEventRow = (e: IngestedEvent): EventRow => ({
  id: e.id, ts: e.ts, platform: e.platform, bureau: e.bureau, officer: e.officer, matter: e.matter, item: e.item,
  action: e.action, taxpayer: e.taxpayer ?? '', window: e.window ?? '', amount: e.amount ?? null,
  attrs: e.attrs ? JSON.stringify(e.attrs) : '', flags: e.flags, seq: e.seq, arrived_at: e.arrivedAt,
});

const SELECT_EVENT = `SELECT id, toUnixTimestamp64Milli(ts) AS ts_ms, platform, bureau, officer, matter, item, action, taxpayer,
  window, amount, attrs, flags, seq, toUnixTimestamp64Milli(arrived_at) AS arrived_ms FROM events`;

type SelectedRow = Omit<EventRow, 'ts' | 'arrived_at'> & { ts_ms: number; arrived_ms: number };
const fromSelected = (r: SelectedRow): IngestedEvent => fromEventRow({ ...r, ts: Number(r.ts_ms), arrived_at: Number(r.arrived_ms) });

export function fromEventRow(r: EventRow): IngestedEvent {
  const e: IngestedEvent = {
    id: r.id, ts: Number(r.ts), platform: r.platform as OpEvent['platform'], bureau: r.bureau, officer: r.officer,
    matter: r.matter, item: r.item, action: r.action as OpEvent['action'], seq: Number(r.seq), arrivedAt: Number(r.arrived_at), flags: r.flags,
  };
  if (r.taxpayer) e.taxpayer = r.taxpayer;
  if (r.window) e.window = r.window;
  if (r.amount !== null && r.amount !== undefined) e.amount = Number(r.amount);
  if (r.attrs) e.attrs = JSON.parse(r.attrs) as Record<string, AttrValue>;
  return e;
}

/**
 * The event as the store gives it back (fromEventRow of its stored row), built without the JSON
 * round trip: empty taxpayer/window and a null amount absent, attrs as JSON would give them back
 * (−0 becomes 0; attrs values are scalars). What the replay read back from the store would see.
 */
export function storedForm(e: IngestedEvent): IngestedEvent {
  const o: IngestedEvent = {
    id: e.id, ts: e.ts, platform: e.platform, bureau: e.bureau, officer: e.officer, matter: e.matter, item: e.item,
    action: e.action, seq: e.seq, arrivedAt: e.arrivedAt, flags: e.flags,
  };
  if (e.taxpayer) o.taxpayer = e.taxpayer;
  if (e.window) o.window = e.window;
  if (e.amount !== null && e.amount !== undefined) o.amount = e.amount === 0 ? 0 : e.amount;
  if (e.attrs) {
    const attrs: Record<string, AttrValue> = {};
    for (const k in e.attrs) { const v = e.attrs[k]!; attrs[k] = v === 0 ? 0 : v; }
    o.attrs = attrs;
  }
  return o;
}

/** Events already encoded as event rows, one JSON object a line (the spool's text); the dedupe index `event_ids` is filled by its view. */
export async function insertEventRows(store: Store, text: string): Promise<void> {
  if (text.length === 0) return;
  await store.insertJsonEachRow('events', text);
}

/** The columns of an imported event row (toImportedRow) as ClickHouse reads them from a file: the types of `events` itself. */
const IMPORTED_ROW_STRUCTURE = `id String, ts DateTime64(3, 'UTC'), platform String, bureau String, officer String, matter String, item String,
  action String, taxpayer String, window String, amount Nullable(Float64), attrs String, flags Array(String), seq UInt64,
  arrived_at DateTime64(3, 'UTC'), import_id String`;
const IMPORTED_ROW_COLUMNS = 'id, ts, platform, bureau, officer, matter, item, action, taxpayer, window, amount, attrs, flags, seq, arrived_at, import_id';

/**
 * Imported event rows (toImportedRow, one JSON object a line) stored from a file on the ClickHouse
 * host with its own reader: with the embedded engine 1.4–2.0 × the rows/s of the same text sent
 * after the INSERT statement (docs/imports.md, "Measured"). The id index is filled by its view.
 */
export async function insertEventRowsFromFile(store: Store, path: string): Promise<void> {
  await store.command(
    `INSERT INTO events (${IMPORTED_ROW_COLUMNS}) SELECT ${IMPORTED_ROW_COLUMNS} FROM file({path:String}, 'JSONEachRow', {structure:String})`,
    { path, structure: IMPORTED_ROW_STRUCTURE });
}

/** Which of these ids are already stored. Reads the id-ordered index, so cost grows with the batch, not the history. */
export async function findKnownIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.query<{ id: string }>('SELECT id FROM event_ids WHERE id IN {ids:Array(String)}', { ids });
  return new Set(rows.map((r) => r.id));
}

export async function maxSeq(store: Store): Promise<number> {
  const [r] = await store.query<{ s: string | number }>('SELECT max(seq) AS s FROM event_ids');
  return Number(r?.s ?? 0);
}

/** Events accepted after `seq`, in arrival order, a page at a time (engine replay after a restart). */
export async function eventsAfterSeq(store: Store, seq: number, limit: number): Promise<IngestedEvent[]> {
  // One row per id: a copy stored twice (same seq, see idsInEvents) must not reach the engine twice.
  // Imported history (import_id set) is evaluated by its import's own replay, never by the live engine.
  const rows = await store.query<SelectedRow>(`${SELECT_EVENT} WHERE seq > {seq:UInt64} AND import_id = '' ORDER BY seq LIMIT 1 BY id LIMIT {limit:UInt32}`, { seq, limit });
  return rows.map(fromSelected);
}

/** What a replay reads (server/replay): stored events of one import, or of a time range narrowed by matter/action/bureau. */
export interface OrderedEventFilter {
  from: number; to: number;
  importId?: string;
  matters?: readonly string[];
  actions?: readonly string[];
  bureau?: string | null;
}

/**
 * Stored events in (ts, id) order, streamed a page at a time: the range is walked in windows of
 * event time (each query reads its partitions only and sorts a window, not the whole history),
 * a window paged by (ts, id). Windows widen while they come back sparse and narrow when full.
 */
export async function* eventsInOrder(store: Store, f: OrderedEventFilter, pageSize = 20_000): AsyncGenerator<IngestedEvent[]> {
  const w = new WhereBuilder('o');
  if (f.importId !== undefined) w.cmp('import_id', '=', 'String', f.importId);
  if (f.matters) w.in('matter', f.matters);
  if (f.actions) w.in('action', f.actions);
  if (f.bureau) w.cmp('bureau', '=', 'String', f.bureau);
  const extra = w.conditions;
  let span = 24 * 3600_000;
  let start = f.from;
  while (start < f.to) {
    const end = Math.min(f.to, start + span);
    let after: { ts: number; id: string } | null = null;
    let rowsInWindow = 0;
    for (;;) {
      const rows: SelectedRow[] = await store.query<SelectedRow>(
        `${SELECT_EVENT} WHERE ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({hi:Int64}) AND ${extra}
           AND (toUnixTimestamp64Milli(ts), id) > ({ats:Int64}, {aid:String})
         ORDER BY ts, id LIMIT 1 BY id LIMIT {limit:UInt32}`,
        { ...w.params, lo: after ? after.ts : start, hi: end, ats: after?.ts ?? -1, aid: after?.id ?? '', limit: pageSize });
      if (rows.length) yield rows.map(fromSelected);
      rowsInWindow += rows.length;
      if (rows.length < pageSize) break;
      const last = rows[rows.length - 1]!;
      after = { ts: Number(last.ts_ms), id: last.id };
    }
    start = end;
    if (rowsInWindow < pageSize / 4) span = Math.min(span * 4, 366 * 24 * 3600_000);
    else if (rowsInWindow > pageSize * 4) span = Math.max(3600_000, Math.floor(span / 2));
  }
}

/** toImportedRow as JSON text (the same keys in the same order), without the intermediate objects: the import's hot path. */
export const importedRowJson = (e: IngestedEvent, importId: string): string => JSON.stringify({
  id: e.id, ts: e.ts, platform: e.platform, bureau: e.bureau, officer: e.officer, matter: e.matter, item: e.item,
  action: e.action, taxpayer: e.taxpayer ?? '', window: e.window ?? '', amount: e.amount ?? null,
  attrs: e.attrs ? JSON.stringify(e.attrs) : '', flags: e.flags, seq: e.seq, arrived_at: e.arrivedAt, import_id: importId,
});

/** Event rows of an import (the event as stored, marked with the import that brought it). */
export const toImportedRow = (e: IngestedEvent, importId: string): EventRow & { import_id: string } => ({ ...toEventRow(e), import_id: importId });

export async function eventsByIds(store: Store, ids: readonly string[]): Promise<IngestedEvent[]> {
  if (ids.length === 0) return [];
  const rows = await store.query<SelectedRow>(`${SELECT_EVENT} WHERE id IN {ids:Array(String)} ORDER BY ts, id LIMIT 1 BY id`, { ids });
  return rows.map(fromSelected);
}

/** Stored events of a time range in (ts, id) order, a page at a time after (afterTs, afterId). */
export async function eventsInRange(store: Store, from: number, to: number, after: { ts: number; id: string } | null, limit: number, bureau: string | null = null): Promise<IngestedEvent[]> {
  const rows = await store.query<SelectedRow>(
    `${SELECT_EVENT} WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
       AND (toUnixTimestamp64Milli(ts), id) > ({ats:Int64}, {aid:String})${bureau === null ? '' : ' AND bureau = {bureau:String}'}
     ORDER BY ts, id LIMIT 1 BY id LIMIT {limit:UInt32}`,
    { from, to, ats: after?.ts ?? -1, aid: after?.id ?? '', limit, ...(bureau === null ? {} : { bureau }) },
  );
  return rows.map(fromSelected);
}

/** `raw_base64`: 1 when `raw` holds the input's bytes base64-encoded (they were not valid UTF-8 text). */
export interface DeadLetter { received_at: number; source: string; idx: number; event_id: string; reason: string; raw: string; raw_base64?: 0 | 1 }

export async function insertDeadLetters(store: Store, rows: readonly DeadLetter[]): Promise<void> {
  await store.insert('dead_letters', rows);
}

/** The same dead letter in a form any store takes: the row as JSON (ASCII-escaped by JSON.stringify), base64. */
const asBase64 = (d: DeadLetter, error: string): DeadLetter => ({
  received_at: d.received_at, source: d.source, idx: d.idx, event_id: '', raw_base64: 1,
  reason: `${d.reason} (the store refused it as text, kept as the dead-letter row in JSON, base64: ${error.slice(0, 200)})`,
  raw: Buffer.from(JSON.stringify(d)).toString('base64'),
});

/**
 * Dead letters, poison-isolated: a row the store refuses is stored again base64-encoded, so even a
 * dead letter that breaks the store's parser is kept. `false` when the store itself is failing
 * (the caller keeps the rows and retries).
 */
export async function storeDeadLetters(store: Store, rows: readonly DeadLetter[], health?: WriteHealth, text?: string): Promise<boolean> {
  let firstError: unknown;
  if (text !== undefined && rows.length) {
    // The rows already encoded (the spool's text): no second encoding on the main thread.
    try {
      await store.insertJsonEachRow('dead_letters', text);
      health?.succeeded('dead_letters');
      return true;
    } catch (err) { firstError = err; }
  }
  const out = await insertIsolating(store, rows, (part) => insertDeadLetters(store, part), { table: 'dead_letters', health, alreadyFailed: firstError });
  if (!out.ok) return false;
  if (out.refused.length === 0) return true;
  const again = await insertIsolating(store, out.refused.map((r) => asBase64(r.row, r.error)), (part) => insertDeadLetters(store, part), { table: 'dead_letters', health });
  return again.ok;
}

export async function listDeadLetters(store: Store, limit: number): Promise<DeadLetter[]> {
  const rows = await store.query<Omit<DeadLetter, 'received_at'> & { received_ms: number }>(
    `SELECT toUnixTimestamp64Milli(received_at) AS received_ms, source, idx, event_id, reason, raw, raw_base64
     FROM dead_letters ORDER BY received_at DESC LIMIT {limit:UInt32}`, { limit });
  return rows.map(({ received_ms, ...d }) => ({ ...d, raw_base64: Number(d.raw_base64) ? 1 : 0, received_at: Number(received_ms) }));
}

export const EVENT_FILTERS = ['bureau', 'officer', 'item', 'taxpayer', 'matter', 'action', 'window', 'platform'] as const;
export type EventFilterKey = (typeof EVENT_FILTERS)[number];

export interface EventQuery {
  from?: number; to?: number;
  eq: Partial<Record<EventFilterKey, string[]>>;
  idPrefix?: string;
  /** Taxpayers by token (analysts, who never see or give ids). */
  taxpayerTokens?: TaxpayerTokenFilter;
  limit: number;
  before?: { ts: number; id: string };
}

function eventWhere(q: EventQuery): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.from !== undefined) { parts.push('ts >= fromUnixTimestamp64Milli({from:Int64})'); params.from = q.from; }
  if (q.to !== undefined) { parts.push('ts < fromUnixTimestamp64Milli({to:Int64})'); params.to = q.to; }
  for (const key of EVENT_FILTERS) {
    const vals = q.eq[key];
    if (vals && vals.length) { parts.push(`${key} IN {f_${key}:Array(String)}`); params[`f_${key}`] = vals; }
  }
  if (q.idPrefix) { parts.push('startsWith(id, {pfx:String})'); params.pfx = q.idPrefix; }
  if (q.taxpayerTokens) { const t = taxpayerTokenWhere('taxpayer', q.taxpayerTokens); parts.push(t.sql); Object.assign(params, t.params); }
  if (q.before) { parts.push('(ts, id) < (fromUnixTimestamp64Milli({bts:Int64}), {bid:String})'); params.bts = q.before.ts; params.bid = q.before.id; }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Stored events, newest first, for drill-down and evidence. */
export async function listEvents(store: Store, q: EventQuery): Promise<IngestedEvent[]> {
  const w = eventWhere(q);
  const rows = await store.query<SelectedRow>(`${SELECT_EVENT} FINAL ${w.sql} ORDER BY ts DESC, id DESC LIMIT {limit:UInt32}`, { ...w.params, limit: q.limit });
  return rows.map(fromSelected);
}

export async function countEventsWhere(store: Store, q: EventQuery): Promise<number> {
  const w = eventWhere(q);
  const [r] = await store.query<{ c: number }>(`SELECT count() AS c FROM events FINAL ${w.sql}`, w.params);
  return Number(r?.c ?? 0);
}

/** Ids accepted after `seq`, a page at a time in id order (rebuilding the dedupe filter at start). */
export async function idsAfterSeq(store: Store, seq: number, afterId: string, limit: number): Promise<string[]> {
  const rows = await store.query<{ id: string }>(
    'SELECT id FROM event_ids WHERE seq > {seq:UInt64} AND id > {after:String} ORDER BY id LIMIT {limit:UInt32}', { seq, after: afterId, limit });
  return rows.map((r) => r.id);
}

/**
 * Which of these ids are in `events` itself, within their ts range: a kill -9 between the events
 * part and the `event_ids` part its view writes leaves rows the id index does not know (the drain
 * asks here before it inserts a spooled group again).
 */
export async function idsInEvents(store: Store, ids: readonly string[], fromTs: number, toTs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.query<{ id: string }>(
    `SELECT DISTINCT id FROM events WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64}) AND id IN {ids:Array(String)}`,
    { ids, from: Math.floor(fromTs), to: Math.ceil(toTs) });
  return new Set(rows.map((r) => r.id));
}

/** Index rows for events stored without them (see idsInEvents). */
export async function insertEventIds(store: Store, rows: readonly { id: string; seq: number }[]): Promise<void> {
  if (rows.length) await store.insert('event_ids', rows);
}
