/** Typed queries over the oversight alerts (migration 055, 101) and the audit records the oversight indicators read. */
import type { Store } from '../store.js';
import type { AuditRow } from './audit.js';

export interface OversightAlertRow {
  id: string; indicator: string; severity: string; ts: number; subject: string; subject_role: string; message: string; details: string; audit_seqs: number[]; watched: string[];
}

export async function insertOversightAlerts(store: Store, rows: readonly OversightAlertRow[]): Promise<void> {
  if (rows.length) await store.insert('oversight_alerts', rows);
}

/** Which of these ids are stored already (a replay raises the same alerts again). */
export async function knownOversightIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await store.query<{ id: string }>('SELECT DISTINCT id FROM oversight_alerts WHERE id IN {ids:Array(String)}', { ids });
  return new Set(rows.map((r) => r.id));
}

export interface OversightQuery {
  /** The reader: alerts about them are never returned. */
  viewer: string;
  from?: number; to?: number; indicator?: string[];
  limit: number;
  /** Keyset cursor (ts epoch ms, id) of the last row of the previous page. */
  before?: { ts: number; id: string };
}

/** The one WHERE of the oversight reads: the viewer is never among the watched. */
function where(q: Omit<OversightQuery, 'limit' | 'before'>): { sql: string; params: Record<string, unknown> } {
  const parts = ['NOT has(watched, {viewer:String})'];
  const params: Record<string, unknown> = { viewer: q.viewer };
  if (q.from !== undefined) { parts.push('oversight_alerts.ts >= fromUnixTimestamp64Milli({from:Int64})'); params.from = q.from; }
  if (q.to !== undefined) { parts.push('oversight_alerts.ts < fromUnixTimestamp64Milli({to:Int64})'); params.to = q.to; }
  if (q.indicator?.length) { parts.push('indicator IN {indicator:Array(String)}'); params.indicator = q.indicator; }
  return { sql: `WHERE ${parts.join(' AND ')}`, params };
}

export async function listOversightAlerts(store: Store, q: OversightQuery): Promise<OversightAlertRow[]> {
  const w = where(q);
  const params: Record<string, unknown> = { ...w.params, limit: q.limit };
  let sql = w.sql;
  if (q.before) { sql += ' AND (toUnixTimestamp64Milli(oversight_alerts.ts), id) < ({bts:Int64}, {bid:String})'; params.bts = q.before.ts; params.bid = q.before.id; }
  const rows = await store.query<OversightAlertRow>(
    `SELECT id, indicator, severity, toUnixTimestamp64Milli(ts) AS ts, subject, subject_role, message, details, audit_seqs, watched
     FROM oversight_alerts FINAL ${sql} ORDER BY oversight_alerts.ts DESC, id DESC LIMIT {limit:UInt32}`, params);
  return rows.map((r) => ({ ...r, ts: Number(r.ts), audit_seqs: r.audit_seqs.map(Number) }));
}

/** Exact counts per indicator under the same filter (what the page shows beside the list). */
export async function countOversightAlerts(store: Store, q: Omit<OversightQuery, 'limit' | 'before'>): Promise<Map<string, number>> {
  const w = where(q);
  const rows = await store.query<{ indicator: string; n: string | number }>(`SELECT indicator, count() AS n FROM oversight_alerts FINAL ${w.sql} GROUP BY indicator`, w.params);
  return new Map(rows.map((r) => [r.indicator, Number(r.n)]));
}

/** Audit records of the given actions since `from` (epoch ms), in chain order: what a restart replays. */
export async function auditRowsForOversight(store: Store, from: number, actions: readonly string[]): Promise<AuditRow[]> {
  const rows = await store.query<AuditRow>(
    `SELECT seq, toUnixTimestamp64Milli(ts) AS ts, actor, action, target, details, prev_hash, hash FROM audit_log
     WHERE audit_log.ts >= fromUnixTimestamp64Milli({from:Int64}) AND action IN {actions:Array(String)} ORDER BY seq`, { from, actions });
  return rows.map((r) => ({ ...r, seq: Number(r.seq), ts: Number(r.ts) }));
}

/** The assignee of every unfinished task (seeds OVS-01 before the replay: an assignment may be older than the replayed trail). */
export async function openTaskAssignees(store: Store): Promise<{ id: string; assignee: string }[]> {
  return store.query<{ id: string; assignee: string }>(
    `SELECT id, assignee FROM tasks FINAL WHERE state IN ('assigned', 'investigating', 'resolved') AND assignee != ''`);
}
