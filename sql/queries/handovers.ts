/** Typed queries of the handovers to the discipline office (migration 091). */
import type { Store } from '../store.js';
import { WhereBuilder } from './where.js';

export interface HandoverRow {
  id: string; task_id: string; case_id: string; indicator: string; subject_officer: string; bureau: string; state: string; outcome: string;
  transferred_by: string; receipt_no: string; package_seq: number; package_hash: string; task_resolved_at: number; created_at: number; updated_at: number; version: number;
}
export interface HandoverEventRow {
  handover_id: string; seq: number; ts: number; actor: string; action: string; from_state: string; to_state: string; note: string; details: string;
  task_id: string; indicator: string; bureau: string; subject_officer: string; outcome: string; task_resolved_at: number;
}

const ms = (c: string) => `toUnixTimestamp64Milli(${c}) AS ${c}`;
const COLS = `id, task_id, case_id, indicator, subject_officer, bureau, state, outcome, transferred_by, receipt_no, package_seq, package_hash,
  ${ms('task_resolved_at')}, ${ms('created_at')}, ${ms('updated_at')}, version`;
const norm = (r: HandoverRow): HandoverRow => ({
  ...r, package_seq: Number(r.package_seq), task_resolved_at: Number(r.task_resolved_at), created_at: Number(r.created_at), updated_at: Number(r.updated_at), version: Number(r.version),
});

export async function insertHandover(store: Store, row: HandoverRow): Promise<void> { await store.insert('handovers', [row]); }
export async function insertHandoverEvent(store: Store, row: HandoverEventRow): Promise<void> { await store.insert('handover_events', [row]); }
export async function insertHandoverPackage(store: Store, row: { handover_id: string; created_at: number; json: string }): Promise<void> {
  await store.insert('handover_packages', [row]);
}

export async function getHandover(store: Store, id: string): Promise<HandoverRow | null> {
  const [r] = await store.query<HandoverRow>(`SELECT ${COLS} FROM handovers FINAL WHERE id = {id:String}`, { id });
  return r ? norm(r) : null;
}

export async function listHandovers(store: Store, q: { state?: readonly string[]; bureau?: readonly string[]; limit: number }): Promise<HandoverRow[]> {
  const w = new WhereBuilder('h').in('state', q.state).in('bureau', q.bureau);
  const rows = await store.query<HandoverRow>(`SELECT ${COLS} FROM handovers FINAL WHERE ${w.conditions} ORDER BY created_at DESC, id LIMIT {limit:UInt32}`, { ...w.params, limit: q.limit });
  return rows.map(norm);
}

export async function handoverHistory(store: Store, id: string): Promise<HandoverEventRow[]> {
  const rows = await store.query<HandoverEventRow>(
    `SELECT handover_id, seq, ${ms('ts')}, actor, action, from_state, to_state, note, details, task_id, indicator, bureau, subject_officer, outcome, ${ms('task_resolved_at')}
     FROM handover_events WHERE handover_id = {id:String} ORDER BY seq`, { id });
  return rows.map((r) => ({ ...r, seq: Number(r.seq), ts: Number(r.ts), task_resolved_at: Number(r.task_resolved_at) }));
}

/** The package as produced (the first one stored for the handover). */
export async function handoverPackage(store: Store, id: string): Promise<string | null> {
  const [r] = await store.query<{ json: string }>('SELECT json FROM handover_packages WHERE handover_id = {id:String} ORDER BY created_at LIMIT 1', { id });
  return r?.json ?? null;
}

/** Transferred tasks that have no handover yet (taken up at start: a stop between resolve and handover). */
export async function transferredWithoutHandover(store: Store): Promise<string[]> {
  const rows = await store.query<{ id: string }>(
    `SELECT id FROM tasks FINAL WHERE result = 'transferred' AND state IN ('resolved', 'closed') AND id NOT IN (SELECT task_id FROM handovers) ORDER BY id`);
  return rows.map((r) => r.id);
}

/** The first audit record about a target (the start of a package's chain segment). */
export async function firstAuditSeqOf(store: Store, target: string): Promise<number | null> {
  const [r] = await store.query<{ s: number | null }>('SELECT minOrNull(seq) AS s FROM audit_log WHERE target = {target:String}', { target });
  return r?.s === null || r?.s === undefined ? null : Number(r.s);
}
