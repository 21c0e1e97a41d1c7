/** Pure helpers of the workbench's task list: which pushed tasks belong in it and where they go. */
import type { TaskChangeDTO } from '../../../server/socket/events';

export const TASK_STATE_FILTERS = ['unfinished', 'open', 'assigned', 'investigating', 'resolved', 'closed', 'all'] as const;
export type TaskStateFilter = (typeof TASK_STATE_FILTERS)[number];
/** The orders GET /api/tasks `sort` accepts (sql/queries/tasks.ts TASK_ORDERS). */
export const TASK_SORTS = ['created_desc', 'created_asc', 'deadline_asc', 'deadline_desc'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

const UNFINISHED: readonly string[] = ['open', 'assigned', 'investigating', 'resolved'];

/** Whether a task belongs in a list of `mineOf`'s tasks (null: everyone's) in state filter `state`. */
export function taskBelongs(t: TaskChangeDTO, f: { mineOf: string | null; state: TaskStateFilter }): boolean {
  if (f.mineOf !== null && t.assignee !== f.mineOf) return false;
  if (f.state === 'all') return true;
  if (f.state === 'unfinished') return UNFINISHED.includes(t.state);
  return t.state === f.state;
}

/**
 * The list after a pushed change: updated in place, removed when it no longer belongs (done,
 * reassigned away), prepended when new and the list is newest first. A new task that would go
 * elsewhere in the order is not placed by guess: `outOfView` tells the caller to offer a reload.
 */
export function upsertTask(list: readonly TaskChangeDTO[], t: TaskChangeDTO, belongs: boolean, sort: TaskSort): { list: TaskChangeDTO[]; outOfView: boolean } {
  const i = list.findIndex((x) => x.id === t.id);
  if (i >= 0) {
    if (!belongs) return { list: list.filter((x) => x.id !== t.id), outOfView: false };
    const next = list.slice();
    next[i] = t;
    return { list: next, outOfView: false };
  }
  if (!belongs) return { list: list as TaskChangeDTO[], outOfView: false };
  if (sort === 'created_desc') return { list: [t, ...list], outOfView: false };
  return { list: list as TaskChangeDTO[], outOfView: true };
}
