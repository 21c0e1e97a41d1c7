/** Risk task rules (workflow.md): states, transitions, deadlines, overdue. Pure. */
import type { Severity } from '../types.js';

export const TASK_STATES = ['open', 'assigned', 'investigating', 'resolved', 'closed'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const TASK_RESULTS = ['confirmed', 'dismissed', 'transferred'] as const;
export type TaskResult = (typeof TASK_RESULTS)[number];

export const DEFAULT_DEADLINE_HOURS: Record<Severity, number> = { critical: 24, high: 72, medium: 120, low: 240 };
const SEV_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export const severityAtLeast = (s: Severity, min: Severity) => SEV_RANK[s] >= SEV_RANK[min];
export const maxSeverity = (a: Severity, b: Severity): Severity => (SEV_RANK[a] >= SEV_RANK[b] ? a : b);

/** A task is "open" for de-duplication of alerts while it is neither resolved nor closed. */
export const isUnfinished = (s: TaskState) => s === 'open' || s === 'assigned' || s === 'investigating';

export function deadlineFor(createdAt: number, severity: Severity, hours: Record<Severity, number> = DEFAULT_DEADLINE_HOURS): number {
  return createdAt + hours[severity] * 3600_000;
}

/** Overdue: not yet resolved (or closed) and past the deadline. */
export function isOverdue(t: { state: TaskState; deadline: number; resolved_at?: number | null }, now: number): boolean {
  return isUnfinished(t.state) && now > t.deadline;
}

const TRANSITIONS: Record<string, { from: TaskState[]; to: TaskState }> = {
  assign: { from: ['open'], to: 'assigned' },
  reassign: { from: ['open', 'assigned', 'investigating'], to: 'assigned' },
  accept: { from: ['assigned'], to: 'investigating' },
  resolve: { from: ['investigating'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  /** Sign-off sends the task back to its assignee with a reason (a second look, not a new case). */
  send_back: { from: ['resolved'], to: 'investigating' },
};

/** The next state, or an error naming why the action is not allowed now. */
export function transition(state: TaskState, action: keyof typeof TRANSITIONS): { ok: true; to: TaskState } | { ok: false; error: string } {
  const t = TRANSITIONS[action];
  if (!t) return { ok: false, error: `unknown action ${action}` };
  if (!t.from.includes(state)) return { ok: false, error: `cannot ${action} a task that is ${state}` };
  return { ok: true, to: t.to };
}
