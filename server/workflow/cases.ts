/**
 * Cases (docs/cases.md): reading them (list, one case with its tasks, alerts and one timeline of task
 * steps, deadlines and audit records) and handling one as a whole (accept, resolve, sign off its
 * tasks together or a chosen few). Grouping and assignment happen in the task service, in the same
 * batch as the tasks (server/workflow/tasks.ts, case-book.ts).
 */
import type { Store } from '../../sql/store.js';
import type { SessionUser } from '../auth/tokens.js';
import { failure, success, type Outcome } from '../outcome.js';
import { getCase, listCases, type CaseQuery, type CaseRow } from '../../sql/queries/cases.js';
import { taskHistories, tasksByIds, type TaskRow } from '../../sql/queries/tasks.js';
import { auditRowsForTargets } from '../../sql/queries/audit.js';
import { alertsByIds, type StoredAlert } from '../../sql/queries/alerts.js';
import type { TaskService } from './tasks.js';
import { isOverdue, type TaskState } from '../../streams/workflow/tasks.js';
import type { CaseState } from '../../streams/workflow/cases.js';

export interface CaseDeps { store: Store; tasks: TaskService; clock: () => number }

/** One entry of a case's history: a task step, a deadline, or an audit record (draw commitments, evidence reads…). */
export interface CaseTimelineEntry {
  ts: string; kind: 'task' | 'deadline' | 'audit'; task: string | null; indicator: string | null; actor: string | null; action: string;
  from: string | null; to: string | null; reason: string | null; details: unknown;
}

export interface CaseDetail {
  case: CaseRow; tasks: TaskRow[]; alerts: StoredAlert[]; timeline: CaseTimelineEntry[];
}

const iso = (t: number) => new Date(t).toISOString();
const parse = (s: string): unknown => { if (!s) return null; try { return JSON.parse(s) as unknown; } catch { return s; } };

export class CaseService {
  constructor(private readonly deps: CaseDeps) {}

  list(q: CaseQuery): Promise<CaseRow[]> { return listCases(this.deps.store, q); }

  /** The case: the working set's version while it is open (same as stored once its batch is), else the stored one. */
  async get(id: string): Promise<CaseRow | null> {
    return this.deps.tasks.cases.get(id) ?? (await getCase(this.deps.store, id));
  }

  /** Its tasks as they stand now (the task working set first). */
  private async members(c: CaseRow): Promise<TaskRow[]> {
    const fromSet = c.task_ids.map((id) => this.deps.tasks.activeTask(id));
    const missing = c.task_ids.filter((_, i) => !fromSet[i]);
    const stored = new Map((await tasksByIds(this.deps.store, missing)).map((t) => [t.id, t]));
    return c.task_ids.flatMap((id, i) => fromSet[i] ?? stored.get(id) ?? []);
  }

  /** The case, its tasks and alerts, and one timeline: task steps, deadlines and the audit records about the case and its tasks. */
  async detail(id: string): Promise<Outcome<CaseDetail>> {
    const c = await this.get(id);
    if (!c) return failure('not_found', 'case not found');
    const tasks = await this.members(c);
    const [alerts, steps, audit] = await Promise.all([
      alertsByIds(this.deps.store, c.alert_ids),
      taskHistories(this.deps.store, c.task_ids),
      auditRowsForTargets(this.deps.store, [`case:${c.id}`, ...c.task_ids.map((t) => `task:${t}`)]),
    ]);
    const indicatorOf = new Map(tasks.map((t) => [t.id, t.indicator]));
    const entries: { at: number; order: number; e: CaseTimelineEntry }[] = [];
    for (const h of steps) {
      entries.push({ at: h.ts, order: 1, e: {
        ts: iso(h.ts), kind: 'task', task: h.task_id, indicator: h.indicator, actor: h.actor, action: h.action, from: h.from_state || null, to: h.to_state,
        reason: h.reason || null, details: parse(h.details),
      } });
    }
    // Task steps are in the audit trail too (task_*): shown once, from the task history.
    for (const a of audit) {
      if (a.action.startsWith('task_')) continue;
      const task = a.target.startsWith('task:') ? a.target.slice(5) : null;
      entries.push({ at: a.ts, order: 0, e: {
        ts: iso(a.ts), kind: 'audit', task, indicator: task ? indicatorOf.get(task) ?? null : null, actor: a.actor, action: a.action, from: null, to: null, reason: null,
        details: { ...(parse(a.details) as Record<string, unknown> | null ?? {}), seq: a.seq, hash: a.hash },
      } });
    }
    const now = this.deps.clock();
    for (const t of tasks) {
      entries.push({ at: t.deadline, order: 2, e: {
        ts: iso(t.deadline), kind: 'deadline', task: t.id, indicator: t.indicator, actor: null, action: 'deadline', from: null, to: null, reason: null,
        details: { overdue: isOverdue({ state: t.state as TaskState, deadline: t.deadline }, now), met: t.resolved_at !== null ? t.resolved_at <= t.deadline : null },
      } });
    }
    entries.sort((a, b) => a.at - b.at || a.order - b.order);
    return success({ case: c, tasks, alerts, timeline: entries.map((x) => x.e) });
  }

  /**
   * The case's tasks a step applies to: those named (each must be of the case), or every task of the
   * case in the state the step starts from; none → conflict.
   */
  private async targets(id: string, from: TaskState, named: unknown): Promise<Outcome<{ c: CaseRow; ids: string[] }>> {
    const c = await this.get(id);
    if (!c) return failure('not_found', 'case not found');
    if (named !== undefined) {
      if (!Array.isArray(named) || !named.length || !named.every((x) => typeof x === 'string')) return failure('bad_request', 'tasks: must be a non-empty list of task ids of this case');
      const foreign = (named as string[]).filter((t) => !c.task_ids.includes(t));
      if (foreign.length) return failure('bad_request', `tasks: not tasks of this case: ${foreign.join(', ')}`);
      return success({ c, ids: [...new Set(named as string[])] });
    }
    const ids = (await this.members(c)).filter((t) => t.state === from).map((t) => t.id);
    if (!ids.length) return failure('conflict', `the case has no task in state ${from}`);
    return success({ c, ids });
  }

  private async after(c: CaseRow, changed: Outcome<TaskRow[]>): Promise<Outcome<{ case: CaseRow; tasks: TaskRow[] }>> {
    if (!changed.ok) return changed;
    return success({ case: (await this.get(c.id)) ?? c, tasks: changed.value });
  }

  async accept(id: string, user: SessionUser, body: { tasks?: unknown }): Promise<Outcome<{ case: CaseRow; tasks: TaskRow[] }>> {
    const t = await this.targets(id, 'assigned', body.tasks);
    if (!t.ok) return t;
    return this.after(t.value.c, await this.deps.tasks.acceptMany(t.value.ids, user));
  }

  async resolve(id: string, user: SessionUser, body: { tasks?: unknown; result?: unknown; finding?: unknown }): Promise<Outcome<{ case: CaseRow; tasks: TaskRow[] }>> {
    const t = await this.targets(id, 'investigating', body.tasks);
    if (!t.ok) return t;
    return this.after(t.value.c, await this.deps.tasks.resolveMany(t.value.ids, user, body));
  }

  async close(id: string, user: SessionUser, body: { tasks?: unknown; note?: unknown }): Promise<Outcome<{ case: CaseRow; tasks: TaskRow[] }>> {
    const t = await this.targets(id, 'resolved', body.tasks);
    if (!t.ok) return t;
    return this.after(t.value.c, await this.deps.tasks.closeMany(t.value.ids, user, body));
  }
}

/** A case as the API shows it (the fixed interface of issue 13, plus times). */
export interface CaseDTO {
  id: string; officer: string; bureau: string; state: CaseState; alerts: string[]; tasks: string[]; assignee: string | null;
  assigner: string | null; draw_id: string | null; draw_task: string | null; created_at: string; updated_at: string; closed_at: string | null;
}

export function caseToDTO(c: CaseRow): CaseDTO {
  return {
    id: c.id, officer: c.subject_officer, bureau: c.bureau, state: c.state as CaseState, alerts: c.alert_ids, tasks: c.task_ids, assignee: c.assignee || null,
    assigner: c.assigner || null, draw_id: c.draw_id || null, draw_task: c.draw_task || null, created_at: iso(c.created_at), updated_at: iso(c.updated_at),
    closed_at: c.closed_at === null ? null : iso(c.closed_at),
  };
}
