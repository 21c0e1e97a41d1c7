/**
 * The working set of cases (docs/cases.md), kept by the task service in step with its tasks: which
 * unfinished case a subject officer has, and the state of every task of each case not yet closed.
 * Every task version of a case gives the case its next version; the task service stores both in one
 * batch. Rebuilt from ClickHouse at start (a task of an open case that is not in the task working set
 * is closed).
 */
import type { CaseRow } from '../../sql/queries/cases.js';
import type { TaskRow } from '../../sql/queries/tasks.js';
import { acceptsTasks, caseState } from '../../streams/workflow/cases.js';
import type { TaskState } from '../../streams/workflow/tasks.js';

export class CaseBook {
  private readonly rows = new Map<string, CaseRow>();
  private readonly members = new Map<string, Map<string, TaskState>>();
  /** The newest case of each subject officer (the only one that may take new tasks). */
  private readonly bySubject = new Map<string, string>();

  constructor(private readonly windowMs: number) {}

  /** At start: the stored cases not closed, and the task working set (tasks not closed). */
  load(cases: readonly CaseRow[], activeTasks: readonly TaskRow[]): void {
    const states = new Map(activeTasks.map((t) => [t.id, t.state as TaskState]));
    for (const c of [...cases].sort((a, b) => a.created_at - b.created_at)) {
      this.rows.set(c.id, c);
      this.members.set(c.id, new Map(c.task_ids.map((id) => [id, states.get(id) ?? 'closed'])));
      this.bySubject.set(c.subject_officer, c.id);
    }
  }

  get(id: string): CaseRow | undefined { return this.rows.get(id); }

  /** The subject's case that a new task joins now, or null (a new case is opened). */
  joinable(subject: string, now: number): CaseRow | null {
    const id = this.bySubject.get(subject);
    const c = id ? this.rows.get(id) : undefined;
    if (!c) return null;
    return acceptsTasks(c, this.members.get(c.id)!.values(), now, this.windowMs) ? c : null;
  }

  /** A new, empty case for a subject (its first task follows through `apply`). */
  open(c: Pick<CaseRow, 'id' | 'subject_officer' | 'bureau' | 'created_at'>): void {
    this.rows.set(c.id, {
      ...c, state: 'open', task_ids: [], alert_ids: [], assignee: '', assigner: '', draw_id: '', draw_task: '', updated_at: c.created_at, closed_at: null, version: 0,
    });
    this.members.set(c.id, new Map());
    this.bySubject.set(c.subject_officer, c.id);
  }

  /**
   * A task version of a case: the case's next version (members, alerts, state; its assignee from the
   * first task assigned by a draw), or null when the task has no case in the working set.
   */
  apply(t: TaskRow, now: number, version: number): CaseRow | null {
    const prev = t.case_id ? this.rows.get(t.case_id) : undefined;
    if (!prev) return null;
    const members = this.members.get(prev.id)!;
    members.set(t.id, t.state as TaskState);
    const state = caseState(members.values());
    const byDraw = prev.assignee === '' && t.assignee !== '' && t.draw_id !== '' && t.assigner === 'system';
    const next: CaseRow = {
      ...prev, state,
      task_ids: prev.task_ids.includes(t.id) ? prev.task_ids : [...prev.task_ids, t.id],
      alert_ids: [...new Set([...prev.alert_ids, ...t.alert_ids])],
      ...(byDraw ? { assignee: t.assignee, assigner: 'system', draw_id: t.draw_id, draw_task: t.id } : {}),
      updated_at: now, closed_at: state === 'closed' ? now : null, version,
    };
    if (state === 'closed') {
      this.rows.delete(prev.id);
      this.members.delete(prev.id);
      if (this.bySubject.get(prev.subject_officer) === prev.id) this.bySubject.delete(prev.subject_officer);
    } else {
      this.rows.set(prev.id, next);
    }
    return next;
  }
}
