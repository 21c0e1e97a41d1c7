/** Typed queries over the hash-chained audit trail. */
import type { Store } from '../store.js';

export interface AuditRow { seq: number; ts: number; actor: string; action: string; target: string; details: string; prev_hash: string; hash: string }

const COLS = 'seq, toUnixTimestamp64Milli(ts) AS ts, actor, action, target, details, prev_hash, hash';
const norm = (r: AuditRow): AuditRow => ({ ...r, seq: Number(r.seq), ts: Number(r.ts) });

export async function insertAuditRows(store: Store, rows: readonly AuditRow[]): Promise<void> {
  await store.insert('audit_log', rows);
}

export async function lastAuditRow(store: Store): Promise<AuditRow | null> {
  const [r] = await store.query<AuditRow>(`SELECT ${COLS} FROM audit_log ORDER BY seq DESC LIMIT 1`);
  return r ? norm(r) : null;
}

/** Rows with after < seq ≤ upTo in seq order, every row of a seq included (a duplicated seq shows up). */
export async function auditRowsBetween(store: Store, after: number, upTo: number): Promise<AuditRow[]> {
  const rows = await store.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE seq > {after:Int64} AND seq <= {upTo:Int64} ORDER BY seq, hash`, { after, upTo });
  return rows.map(norm);
}

export async function maxAuditSeq(store: Store): Promise<number> {
  const [r] = await store.query<{ s: number }>('SELECT max(seq) AS s FROM audit_log');
  return Number(r?.s ?? 0);
}

export interface AuditQuery { actor?: string; action?: string; target?: string; from?: number; to?: number; before?: number; limit: number }

export async function listAuditRows(store: Store, q: AuditQuery): Promise<AuditRow[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit };
  if (q.actor) { parts.push('actor = {actor:String}'); params.actor = q.actor; }
  if (q.action) { parts.push('action = {action:String}'); params.action = q.action; }
  if (q.target) { parts.push('startsWith(target, {target:String})'); params.target = q.target; }
  // `audit_log.ts` names the column: the SELECT's alias `ts` (epoch ms) would shadow it.
  if (q.from !== undefined) { parts.push('audit_log.ts >= fromUnixTimestamp64Milli({from:Int64})'); params.from = q.from; }
  if (q.to !== undefined) { parts.push('audit_log.ts < fromUnixTimestamp64Milli({to:Int64})'); params.to = q.to; }
  if (q.before !== undefined) { parts.push('seq < {before:Int64}'); params.before = q.before; }
  const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  const rows = await store.query<AuditRow>(`SELECT ${COLS} FROM audit_log ${where} ORDER BY seq DESC LIMIT {limit:UInt32}`, params);
  return rows.map(norm);
}

/** How many records since `fromTs` carry this write batch's id in their details (a retried batch appends only if none). */
export async function countAuditOfBatch(store: Store, batchId: string, fromTs: number): Promise<number> {
  const [r] = await store.query<{ c: number }>(
    'SELECT count() AS c FROM audit_log WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND position(details, {needle:String}) > 0',
    { from: Math.floor(fromTs), needle: `"batch":${JSON.stringify(batchId)}` });
  return Number(r?.c ?? 0);
}

/** The record with this seq (the first stored one, if a seq was duplicated). */
export async function auditRowAt(store: Store, seq: number): Promise<AuditRow | null> {
  const [r] = await store.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE seq = {seq:Int64} ORDER BY hash LIMIT 1`, { seq });
  return r ? norm(r) : null;
}

/** Every record about these targets (`case:…`, `task:…`), in chain order: a case's timeline. */
export async function auditRowsForTargets(store: Store, targets: readonly string[]): Promise<AuditRow[]> {
  if (!targets.length) return [];
  const rows = await store.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE target IN {targets:Array(String)} ORDER BY seq`, { targets });
  return rows.map(norm);
}
