/** Typed queries over alerts. Column names in filters come from an allow-list only. */
import type { Store } from '../store.js';
import { taxpayerTokenWhere, type TaxpayerTokenFilter } from './taxpayer-token.js';
import type { Alert, Category, Severity } from '../../streams/types.js';
import { WhereBuilder } from './where.js';

interface AlertRow {
  id: string; indicator: string; indicator_version: number; category: string; severity: string; ts: number; detected_at: number;
  ts_ms?: number; detected_ms?: number;
  bureau: string; officer: string; taxpayer: string; item: string; matter: string; evidence: string[]; message_zh: string; message_en: string;
  status: string; task_id: string; version: number; historical?: number; import_id?: string;
}

export interface StoredAlert extends Alert { task_id: string | null; import_id?: string | null }

const COLUMNS = `id, indicator, indicator_version, category, severity, toUnixTimestamp64Milli(ts) AS ts_ms, toUnixTimestamp64Milli(detected_at) AS detected_ms,
  bureau, officer, taxpayer, item, matter, evidence, message_zh, message_en, status, task_id, version, historical, import_id`;

const toRow = (a: Alert & { import_id?: string | null }, version: number, taskId = ''): AlertRow => ({
  id: a.id, indicator: a.indicator, indicator_version: a.indicator_version, category: a.category, severity: a.severity, ts: a.ts,
  detected_at: a.detected_at, bureau: a.bureau ?? '', officer: a.officer ?? '', taxpayer: a.taxpayer ?? '', item: a.item ?? '',
  matter: a.matter ?? '', evidence: a.evidence, message_zh: a.message.zh, message_en: a.message.en, status: a.status, task_id: taskId, version,
  historical: a.historical ? 1 : 0, import_id: a.import_id ?? '',
});

const fromRow = (r: AlertRow): StoredAlert => ({
  id: r.id, indicator: r.indicator, indicator_version: Number(r.indicator_version), category: r.category as Category,
  severity: r.severity as Severity, ts: Number(r.ts_ms), detected_at: Number(r.detected_ms), bureau: r.bureau || null, officer: r.officer || null,
  taxpayer: r.taxpayer || null, item: r.item || null, matter: r.matter || null, evidence: r.evidence,
  message: { zh: r.message_zh, en: r.message_en }, status: r.status as Alert['status'], task_id: r.task_id || null,
  historical: Number(r.historical ?? 0) === 1, import_id: r.import_id || null,
});

export async function insertAlerts(store: Store, alerts: readonly (Alert & { import_id?: string | null })[], version: number): Promise<void> {
  await store.insert('alerts', alerts.map((a) => toRow(a, version)));
}

/** Writes a new version of stored alerts (status / task link). */
export async function updateAlerts(store: Store, alerts: readonly StoredAlert[], version: number): Promise<void> {
  await store.insert('alerts', alerts.map((a) => toRow(a, version, a.task_id ?? '')));
}

export async function existingAlertIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.query<{ id: string }>('SELECT DISTINCT id FROM alerts WHERE id IN {ids:Array(String)}', { ids });
  return new Set(rows.map((r) => r.id));
}

export async function alertsByIds(store: Store, ids: readonly string[]): Promise<StoredAlert[]> {
  if (ids.length === 0) return [];
  const rows = await store.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts FINAL WHERE id IN {ids:Array(String)} ORDER BY ts`, { ids });
  return rows.map(fromRow);
}

export const ALERT_FILTERS = ['indicator', 'category', 'severity', 'bureau', 'officer', 'status', 'item', 'matter', 'taxpayer'] as const;
export type AlertFilterKey = (typeof ALERT_FILTERS)[number];

export interface AlertQuery {
  from?: number; to?: number;
  eq: Partial<Record<AlertFilterKey, string[]>>;
  /** Taxpayers by token (analysts, who never see or give ids). */
  taxpayerTokens?: TaxpayerTokenFilter;
  limit: number;
  before?: { ts: number; id: string };
  /** Detected after (ascending order): for catch-up after a reconnect. */
  detectedAfter?: number;
  /** Case-insensitive text search over the fields in `textFields` (see ALERT_TEXT_FIELDS). */
  text?: { q: string; fields: readonly AlertTextField[] };
  /** true: only alerts of imported history; false: only live ones; undefined: both. */
  historical?: boolean;
  /** Only the alerts one import raised. */
  importId?: string;
}

/** Fields the wall's search looks in; analysts get a list without the taxpayer and the messages (they name the taxpayer). */
export const ALERT_TEXT_FIELDS = ['indicator', 'officer', 'taxpayer', 'item', 'message_zh', 'message_en'] as const;
export type AlertTextField = (typeof ALERT_TEXT_FIELDS)[number];

function where(q: AlertQuery): { sql: string; params: Record<string, unknown> } {
  const cond = new WhereBuilder('f');
  if (q.from !== undefined) cond.raw('ts >= fromUnixTimestamp64Milli({from:Int64})', { from: q.from });
  if (q.to !== undefined) cond.raw('ts < fromUnixTimestamp64Milli({to:Int64})', { to: q.to });
  for (const key of ALERT_FILTERS) {
    const vals = q.eq[key];
    if (vals && vals.length) cond.in(key, vals);
  }
  if (q.historical !== undefined) cond.cmp('historical', '=', 'UInt64', q.historical ? 1 : 0);
  if (q.importId !== undefined) cond.cmp('import_id', '=', 'String', q.importId);
  if (q.before) cond.raw('(toUnixTimestamp64Milli(ts), id) < ({bts:Int64}, {bid:String})', { bts: q.before.ts, bid: q.before.id });
  if (q.taxpayerTokens) { const t = taxpayerTokenWhere('taxpayer', q.taxpayerTokens); cond.raw(t.sql, t.params); }
  if (q.detectedAfter !== undefined) cond.raw('detected_at >= fromUnixTimestamp64Milli({da:Int64})', { da: q.detectedAfter });
  if (q.text && q.text.q && q.text.fields.length) {
    const cols = q.text.fields.filter((f) => (ALERT_TEXT_FIELDS as readonly string[]).includes(f));
    cond.raw(cols.map((c) => `positionCaseInsensitiveUTF8(${c}, {q:String}) > 0`).join(' OR '), { q: q.text.q });
  }
  return cond.build();
}

export async function listAlerts(store: Store, q: AlertQuery): Promise<StoredAlert[]> {
  const w = where(q);
  const order = q.detectedAfter !== undefined ? 'detected_at ASC, id ASC' : 'ts DESC, id DESC';
  const rows = await store.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts FINAL ${w.sql} ORDER BY ${order} LIMIT {limit:UInt32}`, { ...w.params, limit: q.limit });
  return rows.map(fromRow);
}

export const ALERT_FACETS = ['severity', 'category', 'bureau'] as const;
export type AlertFacet = (typeof ALERT_FACETS)[number];

/**
 * Distinct alerts per value of one facet under the query's filters (no cursor, no limit);
 * the wall's counters. `FINAL`: a status update is a new version of the same alert.
 */
export async function alertFacetCounts(store: Store, q: Omit<AlertQuery, 'limit' | 'before'>, facet: AlertFacet): Promise<Map<string, number>> {
  const w = where({ ...q, limit: 0 });
  const rows = await store.query<{ k: string; c: number }>(`SELECT ${facet} AS k, count() AS c FROM alerts FINAL ${w.sql} GROUP BY k`, w.params);
  return new Map(rows.map((r) => [r.k, Number(r.c)]));
}

/** Alerts of these severities still open and linked to no task, oldest first. */
export async function alertsWithoutTask(store: Store, severities: readonly string[]): Promise<StoredAlert[]> {
  const rows = await store.query<AlertRow>(
    `SELECT ${COLUMNS} FROM alerts FINAL WHERE task_id = '' AND status = 'open' AND historical = 0 AND severity IN {sev:Array(String)} ORDER BY detected_at, id`,
    { sev: severities });
  return rows.map(fromRow);
}

export async function alertCountsByIndicator(store: Store): Promise<Map<string, number>> {
  const rows = await store.query<{ indicator: string; c: number }>('SELECT indicator, uniqExact(id) AS c FROM alerts GROUP BY indicator');
  return new Map(rows.map((r) => [r.indicator, Number(r.c)]));
}
