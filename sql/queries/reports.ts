/** Typed queries of the leader reports (migration 090) and the open-work snapshot they show. */
import type { Store } from '../store.js';
import { WhereBuilder } from './where.js';

export interface LeaderReportRow {
  id: string; kind: string; scope: string; period_from: number; period_to: number; created_at: number; trigger: string; created_by: string; data: string;
}
const COLS = `id, kind, scope, toUnixTimestamp64Milli(period_from) AS period_from, toUnixTimestamp64Milli(period_to) AS period_to,
  toUnixTimestamp64Milli(created_at) AS created_at, trigger, created_by`;
const norm = <T extends { period_from: number; period_to: number; created_at: number }>(r: T): T =>
  ({ ...r, period_from: Number(r.period_from), period_to: Number(r.period_to), created_at: Number(r.created_at) });

export async function insertLeaderReport(store: Store, row: LeaderReportRow): Promise<void> {
  await store.insert('leader_reports', [row]);
}

export async function getLeaderReport(store: Store, id: string): Promise<LeaderReportRow | null> {
  const [r] = await store.query<LeaderReportRow>(`SELECT ${COLS}, data FROM leader_reports FINAL WHERE id = {id:String}`, { id });
  return r ? norm(r) : null;
}

export type LeaderReportMeta = Omit<LeaderReportRow, 'data'>;

/** Newest period first; `scopes` null = any. */
export async function listLeaderReports(store: Store, q: { kind?: string; scopes: readonly string[] | null; limit: number }): Promise<LeaderReportMeta[]> {
  const w = new WhereBuilder('r');
  if (q.kind) w.in('kind', [q.kind]);
  if (q.scopes) w.in('scope', q.scopes);
  const rows = await store.query<LeaderReportMeta>(
    `SELECT ${COLS} FROM leader_reports FINAL WHERE ${w.conditions} ORDER BY period_from DESC, scope, created_at DESC LIMIT {limit:UInt32}`, { ...w.params, limit: q.limit });
  return rows.map(norm);
}

/** Which of these report ids are stored already (the schedule makes each scheduled report once). */
export async function existingReportIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  const rows = await store.query<{ id: string }>('SELECT DISTINCT id FROM leader_reports WHERE id IN {ids:Array(String)}', { ids });
  return new Set(rows.map((r) => r.id));
}

export interface OpenWork { open: number; overdue: number; by_state: Record<string, number> }

/** Unfinished risk tasks at `at` in a bureau (null: the city), and how many are past their deadline. */
export async function openTaskSummary(store: Store, bureau: string | null, at: number): Promise<OpenWork> {
  const w = new WhereBuilder('o').in('state', ['open', 'assigned', 'investigating']);
  if (bureau) w.in('bureau', [bureau]);
  const rows = await store.query<{ state: string; c: number; overdue: number }>(
    `SELECT state, count() AS c, countIf(deadline < fromUnixTimestamp64Milli({at:Int64})) AS overdue FROM tasks FINAL WHERE ${w.conditions} GROUP BY state`, { ...w.params, at });
  const by_state = Object.fromEntries(rows.map((r) => [r.state, Number(r.c)]));
  return { open: rows.reduce((s, r) => s + Number(r.c), 0), overdue: rows.reduce((s, r) => s + Number(r.overdue), 0), by_state };
}

export interface OverdueTaskRow { id: string; indicator: string; subject_officer: string; bureau: string; state: string; assignee: string; deadline: number }

/** The unfinished tasks longest past their deadline. */
export async function mostOverdueTasks(store: Store, bureau: string | null, at: number, limit: number): Promise<OverdueTaskRow[]> {
  const w = new WhereBuilder('m').in('state', ['open', 'assigned', 'investigating']);
  if (bureau) w.in('bureau', [bureau]);
  const rows = await store.query<OverdueTaskRow>(
    `SELECT id, indicator, subject_officer, bureau, state, assignee, toUnixTimestamp64Milli(deadline) AS deadline FROM tasks FINAL
     WHERE ${w.conditions} AND deadline < fromUnixTimestamp64Milli({at:Int64}) ORDER BY deadline, id LIMIT {limit:UInt32}`, { ...w.params, at, limit });
  return rows.map((r) => ({ ...r, deadline: Number(r.deadline) }));
}
