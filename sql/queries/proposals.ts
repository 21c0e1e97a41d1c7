/** Four-eyes proposals (server/proposals): one row per state change, the highest version wins. */
import type { Store } from '../store.js';

export interface ProposalRow {
  id: string; kind: string; target: string; payload: string; summary: string; reason: string;
  proposer: string; proposer_role: string; proposer_bureau: string; state: string; created_at: number; expires_at: number;
  decided_by: string; decided_at: number | null; decision_note: string; result: string; version: number;
}

const COLS = `id, kind, target, payload, summary, reason, proposer, proposer_role, proposer_bureau, state, toUnixTimestamp64Milli(created_at) AS created_at,
  toUnixTimestamp64Milli(expires_at) AS expires_at, decided_by, toUnixTimestamp64Milli(decided_at) AS decided_at, decision_note, result, version`;
const norm = (r: ProposalRow): ProposalRow => ({
  ...r, created_at: Number(r.created_at), expires_at: Number(r.expires_at), decided_at: r.decided_at === null ? null : Number(r.decided_at), version: Number(r.version),
});

export async function insertProposal(store: Store, row: ProposalRow): Promise<void> {
  await store.insert('proposals', [row]);
}

export async function getProposal(store: Store, id: string): Promise<ProposalRow | null> {
  const [r] = await store.query<ProposalRow>(`SELECT ${COLS} FROM proposals FINAL WHERE id = {id:String}`, { id });
  return r ? norm(r) : null;
}

export interface ProposalQuery { state?: string[]; kind?: string[]; target?: string; limit: number }

export async function listProposals(store: Store, q: ProposalQuery): Promise<ProposalRow[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit };
  if (q.state?.length) { parts.push('state IN {state:Array(String)}'); params.state = q.state; }
  if (q.kind?.length) { parts.push('kind IN {kind:Array(String)}'); params.kind = q.kind; }
  if (q.target) { parts.push('target = {target:String}'); params.target = q.target; }
  const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  const rows = await store.query<ProposalRow>(`SELECT ${COLS} FROM proposals FINAL ${where} ORDER BY created_at DESC, id LIMIT {limit:UInt32}`, params);
  return rows.map(norm);
}

/** Pending proposals whose expiry has passed. */
export async function expiredPending(store: Store, now: number): Promise<ProposalRow[]> {
  const rows = await store.query<ProposalRow>(
    `SELECT ${COLS} FROM proposals FINAL WHERE state = 'pending' AND expires_at <= fromUnixTimestamp64Milli({now:Int64}) ORDER BY created_at`, { now });
  return rows.map(norm);
}
