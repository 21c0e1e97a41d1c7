/** Typed queries over risk tasks, their append-only history and assignment draws. */
import type { ResolvedFinding } from '../../streams/engine/replay.js';
import type { Store } from '../store.js';

export interface TaskRow {
  id: string; source: string; state: string; indicator: string; category: string; severity: string; subject_officer: string; bureau: string;
  item: string; matter: string; alert_ids: string[]; evidence: string[]; review_id: string; assignee: string; assigner: string; draw_id: string;
  override: number; resolver: string; result: string; finding: string; closer: string; close_note: string;
  created_at: number; deadline: number; assigned_at: number | null; accepted_at: number | null; resolved_at: number | null; closed_at: number | null;
  updated_at: number; version: number;
  /** The case the task belongs to (docs/cases.md); '' for tasks made before cases. */
  case_id: string;
}

const ms = (c: string) => `toUnixTimestamp64Milli(${c}) AS ${c}`;
const TASK_COLS = `id, source, state, indicator, category, severity, subject_officer, bureau, item, matter, alert_ids, evidence, review_id, assignee,
  assigner, draw_id, override, resolver, result, finding, closer, close_note, ${ms('created_at')}, ${ms('deadline')}, ${ms('assigned_at')},
  ${ms('accepted_at')}, ${ms('resolved_at')}, ${ms('closed_at')}, ${ms('updated_at')}, version, case_id`;

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const normTask = (r: TaskRow): TaskRow => ({
  ...r, override: Number(r.override), created_at: Number(r.created_at), deadline: Number(r.deadline), assigned_at: numOrNull(r.assigned_at),
  accepted_at: numOrNull(r.accepted_at), resolved_at: numOrNull(r.resolved_at), closed_at: numOrNull(r.closed_at), updated_at: Number(r.updated_at), version: Number(r.version),
});

export async function insertTaskVersion(store: Store, row: TaskRow): Promise<void> {
  await insertTaskVersions(store, [row]);
}

/** Several task versions with one insert (a later version of the same task wins on merge: `version`). */
export async function insertTaskVersions(store: Store, rows: readonly TaskRow[]): Promise<void> {
  await store.insert('tasks', rows);
}

export async function getTask(store: Store, id: string): Promise<TaskRow | null> {
  const [r] = await store.query<TaskRow>(`SELECT ${TASK_COLS} FROM tasks FINAL WHERE id = {id:String}`, { id });
  return r ? normTask(r) : null;
}

/** Tasks not yet closed (the workflow's working set). */
export async function activeTasks(store: Store): Promise<TaskRow[]> {
  const rows = await store.query<TaskRow>(`SELECT ${TASK_COLS} FROM tasks FINAL WHERE state != 'closed'`);
  return rows.map(normTask);
}

/** The last history sequence number of each task. */
export async function lastTaskSeqs(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await store.query<{ task_id: string; s: number }>('SELECT task_id, max(seq) AS s FROM task_events WHERE task_id IN {ids:Array(String)} GROUP BY task_id', { ids });
  return new Map(rows.map((r) => [r.task_id, Number(r.s)]));
}

/** List orders of GET /api/tasks `sort`: a time column and a direction, ties by id in the same direction. */
export const TASK_ORDERS = {
  created_desc: { col: 'created_at', dir: 'DESC' }, created_asc: { col: 'created_at', dir: 'ASC' },
  deadline_asc: { col: 'deadline', dir: 'ASC' }, deadline_desc: { col: 'deadline', dir: 'DESC' },
  updated_desc: { col: 'updated_at', dir: 'DESC' },
} as const;
export type TaskOrder = keyof typeof TASK_ORDERS;

export interface TaskQuery {
  state?: string[]; assignee?: string[]; bureau?: string[]; indicator?: string[]; source?: string[];
  overdueAt?: number; limit: number;
  /** Keyset cursor: the sort column's value (epoch ms) and id of the last row of the previous page. */
  before?: { ts: number; id: string };
  order?: TaskOrder;
}

export async function listTasks(store: Store, q: TaskQuery): Promise<TaskRow[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit };
  const inList = (col: 'state' | 'assignee' | 'bureau' | 'indicator' | 'source', vals?: string[]) => {
    if (vals && vals.length) { parts.push(`${col} IN {f_${col}:Array(String)}`); params[`f_${col}`] = vals; }
  };
  inList('state', q.state); inList('assignee', q.assignee); inList('bureau', q.bureau); inList('indicator', q.indicator); inList('source', q.source);
  if (q.overdueAt !== undefined) {
    parts.push(`state IN ('open', 'assigned', 'investigating') AND tasks.deadline < fromUnixTimestamp64Milli({now:Int64})`);
    params.now = q.overdueAt;
  }
  // `tasks.<col>`: the stored DateTime64 column, not TASK_COLS' epoch-ms alias of the same name.
  const order = TASK_ORDERS[q.order ?? 'created_desc'];
  if (q.before) {
    parts.push(`(toUnixTimestamp64Milli(tasks.${order.col}), id) ${order.dir === 'DESC' ? '<' : '>'} ({bts:Int64}, {bid:String})`);
    params.bts = q.before.ts; params.bid = q.before.id;
  }
  const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  const rows = await store.query<TaskRow>(`SELECT ${TASK_COLS} FROM tasks FINAL ${where} ORDER BY tasks.${order.col} ${order.dir}, id ${order.dir} LIMIT {limit:UInt32}`, params);
  return rows.map(normTask);
}

export interface TaskEventRow {
  task_id: string; seq: number; ts: number; actor: string; action: string; from_state: string; to_state: string; reason: string; details: string;
  indicator: string; severity: string; bureau: string; subject_officer: string; result: string; task_created_at: number; deadline: number; first_assign: number;
}

export async function insertTaskEvents(store: Store, rows: readonly TaskEventRow[]): Promise<void> {
  await store.insert('task_events', rows);
}

export async function taskHistory(store: Store, taskId: string): Promise<TaskEventRow[]> {
  const rows = await store.query<TaskEventRow>(
    `SELECT task_id, seq, toUnixTimestamp64Milli(ts) AS ts, actor, action, from_state, to_state, reason, details, indicator, severity, bureau,
       subject_officer, result, toUnixTimestamp64Milli(task_created_at) AS task_created_at, toUnixTimestamp64Milli(deadline) AS deadline, first_assign
     FROM task_events WHERE task_id = {id:String} ORDER BY seq`, { id: taskId });
  return rows.map((r) => ({ ...r, seq: Number(r.seq), ts: Number(r.ts), task_created_at: Number(r.task_created_at), deadline: Number(r.deadline), first_assign: Number(r.first_assign) }));
}

export interface DrawRow {
  id: string; task_id: string; ts: number; algorithm: string; seed: string; needed_level: number; candidates: string[]; levels: number[];
  loads: number[]; weights: number[]; excluded: string; pick: string; pick_index: number;
  /** The audit record that committed the draw before it was made (0: a draw made before commitments), and the reference version it used. */
  commit_seq: number; reference_version: number;
}

export async function insertDraw(store: Store, row: DrawRow): Promise<void> {
  await insertDraws(store, [row]);
}

export async function insertDraws(store: Store, rows: readonly DrawRow[]): Promise<void> {
  await store.insert('assignment_draws', rows);
}

/** One draw by its id (a task assigned through its case carries the case's draw). */
export async function drawById(store: Store, id: string): Promise<DrawRow | null> {
  const [r] = await store.query<{ task_id: string }>('SELECT task_id FROM assignment_draws WHERE id = {id:String} LIMIT 1', { id });
  return r ? (await drawsForTask(store, r.task_id)).find((d) => d.id === id) ?? null : null;
}

/** The history of several tasks (a case's timeline), in time order. */
export async function taskHistories(store: Store, taskIds: readonly string[]): Promise<TaskEventRow[]> {
  if (!taskIds.length) return [];
  const rows = await store.query<TaskEventRow>(
    `SELECT task_id, seq, toUnixTimestamp64Milli(ts) AS ts, actor, action, from_state, to_state, reason, details, indicator, severity, bureau,
       subject_officer, result, toUnixTimestamp64Milli(task_created_at) AS task_created_at, toUnixTimestamp64Milli(deadline) AS deadline, first_assign
     FROM task_events WHERE task_id IN {ids:Array(String)} ORDER BY task_events.ts, task_id, seq`, { ids: taskIds });
  return rows.map((r) => ({ ...r, seq: Number(r.seq), ts: Number(r.ts), task_created_at: Number(r.task_created_at), deadline: Number(r.deadline), first_assign: Number(r.first_assign) }));
}

/** Several tasks by id. */
export async function tasksByIds(store: Store, ids: readonly string[]): Promise<TaskRow[]> {
  if (!ids.length) return [];
  const rows = await store.query<TaskRow>(`SELECT ${TASK_COLS} FROM tasks FINAL WHERE id IN {ids:Array(String)}`, { ids });
  return rows.map(normTask);
}

export async function drawsForTask(store: Store, taskId: string): Promise<DrawRow[]> {
  const rows = await store.query<DrawRow>(
    `SELECT id, task_id, toUnixTimestamp64Milli(ts) AS ts, algorithm, seed, needed_level, candidates, levels, loads, weights, excluded, pick, pick_index, commit_seq, reference_version
     FROM assignment_draws WHERE task_id = {id:String} ORDER BY ts, id`, { id: taskId });
  return rows.map((r) => ({ ...r, ts: Number(r.ts), needed_level: Number(r.needed_level), levels: r.levels.map(Number), loads: r.loads.map(Number), weights: r.weights.map(Number), pick_index: Number(r.pick_index), commit_seq: Number(r.commit_seq), reference_version: Number(r.reference_version) }));
}

/**
 * The newest stored version of each of these tasks: a retried or recovered batch inserts only newer
 * ones (ReplacingMergeTree keeps the newest, also within one insert, so older ones are not kept anyway).
 */
export async function storedTaskVersions(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await store.query<{ id: string; v: number }>('SELECT id, max(version) AS v FROM tasks WHERE id IN {ids:Array(String)} GROUP BY id', { ids });
  return new Map(rows.map((r) => [r.id, Number(r.v)]));
}

/** Which history rows of these tasks are stored (`task_id|seq`). */
export async function storedTaskEventKeys(store: Store, taskIds: readonly string[]): Promise<Set<string>> {
  if (!taskIds.length) return new Set();
  const rows = await store.query<{ task_id: string; seq: number }>('SELECT DISTINCT task_id, seq FROM task_events WHERE task_id IN {ids:Array(String)}', { ids: taskIds });
  return new Set(rows.map((r) => `${r.task_id}|${Number(r.seq)}`));
}

/** Which draws of these tasks are stored (by draw id). */
export async function storedDrawIds(store: Store, taskIds: readonly string[]): Promise<Set<string>> {
  if (!taskIds.length) return new Set();
  const rows = await store.query<{ id: string }>('SELECT DISTINCT id FROM assignment_draws WHERE task_id IN {ids:Array(String)}', { ids: taskIds });
  return new Set(rows.map((r) => r.id));
}

/**
 * The tasks of an indicator resolved with a result whose alerts fall in [from, to) (a bureau's
 * only, when given): confirmed means `confirmed` or `transferred`, as the risk weights count it.
 */
export async function resolvedFindings(store: Store, indicator: string, from: number, to: number, bureau: string | null): Promise<ResolvedFinding[]> {
  const rows = await store.query<{ task: string; confirmed: number; evidence: string[] }>(
    `SELECT id AS task, toUInt8(result IN ('confirmed', 'transferred')) AS confirmed, evidence FROM tasks FINAL
     WHERE indicator = {indicator:String} AND result != '' AND state IN ('resolved', 'closed')
       AND id IN (SELECT task_id FROM alerts WHERE indicator = {indicator:String} AND task_id != ''
                  AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}))
       ${bureau === null ? '' : 'AND bureau = {bureau:String}'}
     ORDER BY id`, bureau === null ? { indicator, from, to } : { indicator, from, to, bureau });
  return rows.map((r) => ({ task: r.task, confirmed: Number(r.confirmed) === 1, evidence: r.evidence }));
}
