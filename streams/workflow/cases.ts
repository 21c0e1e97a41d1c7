/**
 * Cases (docs/cases.md), the pure part: a case's state follows its tasks, and which case a new task
 * of a subject officer joins.
 */
import { TASK_STATES, isUnfinished, type TaskState } from './tasks.js';

export const CASE_STATES = TASK_STATES;
export type CaseState = TaskState;

const RANK: Record<TaskState, number> = { open: 0, assigned: 1, investigating: 2, resolved: 3, closed: 4 };

/**
 * The least advanced state among the case's tasks: a case is `investigating` while any task is,
 * `resolved` once every task is resolved or closed, `closed` when every task is signed off.
 */
export function caseState(taskStates: Iterable<TaskState>): CaseState {
  let least: TaskState | null = null;
  for (const s of taskStates) if (least === null || RANK[s] < RANK[least]) least = s;
  return least ?? 'open';
}

/** A case takes a new task while some task of it is unfinished and it was opened within the grouping window. */
export function acceptsTasks(c: { created_at: number }, taskStates: Iterable<TaskState>, now: number, windowMs: number): boolean {
  if (now - c.created_at > windowMs) return false;
  for (const s of taskStates) if (isUnfinished(s)) return true;
  return false;
}
