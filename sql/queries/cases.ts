/** Typed queries over cases (docs/cases.md): one row version per change, read with FINAL. */
import type { Store } from '../store.js';
import { WhereBuilder } from './where.js';

export interface CaseRow {
  id: string; subject_officer: string; bureau: string; state: string; task_ids: string[]; alert_ids: string[];
  assignee: string; assigner: string;
  /** The draw that assigned the case, and the task it was made for. */
  draw_id: string; draw_task: string;
  created_at: number; updated_at: number; closed_at: number | null; version: number;
}

const ms = (c: string) => `toUnixTimestamp64Milli(${c}) AS ${c}`;
const CASE_COLS = `id, subject_officer, bureau, state, task_ids, alert_ids, assignee, assigner, draw_id, draw_task, ${ms('created_at')}, ${ms('updated_at')}, ${ms('closed_at')}, version`;

const norm = (r: CaseRow): CaseRow => ({
  ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at), closed_at: r.closed_at === null || r.closed_at === undefined ? null : Number(r.closed_at), version: Number(r.version),
});

export async function insertCaseVersions(store: Store, rows: readonly CaseRow[]): Promise<void> {
  await store.insert('cases', rows);
}

export async function getCase(store: Store, id: string): Promise<CaseRow | null> {
  const [r] = await store.query<CaseRow>(`SELECT ${CASE_COLS} FROM cases FINAL WHERE id = {id:String}`, { id });
  return r ? norm(r) : null;
}

/** Cases not yet closed (the working set of the grouping). */
export async function activeCases(store: Store): Promise<CaseRow[]> {
  return (await store.query<CaseRow>(`SELECT ${CASE_COLS} FROM cases FINAL WHERE state != 'closed'`)).map(norm);
}

/** The newest stored version of each of these cases (a retried batch inserts only newer ones). */
export async function storedCaseVersions(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await store.query<{ id: string; v: number }>('SELECT id, max(version) AS v FROM cases WHERE id IN {ids:Array(String)} GROUP BY id', { ids });
  return new Map(rows.map((r) => [r.id, Number(r.v)]));
}

export interface CaseQuery {
  officer?: string[]; bureau?: string[]; state?: string[]; assignee?: string[]; limit: number;
  /** Keyset cursor (created_at epoch ms, id) of the last row of the previous page; newest first. */
  before?: { ts: number; id: string };
}

export async function listCases(store: Store, q: CaseQuery): Promise<CaseRow[]> {
  const w = new WhereBuilder('c')
    .in('subject_officer', q.officer).in('bureau', q.bureau).in('state', q.state).in('assignee', q.assignee);
  // `cases.created_at`: the stored column, not CASE_COLS' epoch-ms alias of the same name.
  if (q.before) w.raw('(toUnixTimestamp64Milli(cases.created_at), id) < ({bts:Int64}, {bid:String})', { bts: q.before.ts, bid: q.before.id });
  const { sql, params } = w.build();
  const rows = await store.query<CaseRow>(
    `SELECT ${CASE_COLS} FROM cases FINAL ${sql} ORDER BY cases.created_at DESC, id DESC LIMIT {limit:UInt32}`, { ...params, limit: q.limit });
  return rows.map(norm);
}
