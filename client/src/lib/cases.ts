/**
 * Pure rules of the Cases view (docs/cases.md, docs/handover.md): which steps a user is offered on
 * a case's tasks and handovers. They mirror the server's checks (server/workflow/tasks.ts
 * isAssignee/signOff, server/handover/service.ts advance) so that nobody is offered a button the
 * server would refuse; the server still decides.
 */
import type { HandoverDTO, TaskDTO } from './api';

export interface Who { username: string; role: string; bureau: string; officer?: string }

/** The states GET /api/cases filters by (streams/workflow/cases.ts CASE_STATES = the task states). */
export const CASE_STATES = ['open', 'assigned', 'investigating', 'resolved', 'closed'] as const;
export const CASE_STATE_FILTERS = ['unfinished', ...CASE_STATES, 'all'] as const;
export type CaseStateFilter = (typeof CASE_STATE_FILTERS)[number];

/** The `state` query of a list filter: unfinished is every state but closed. */
export const caseStateQuery = (f: CaseStateFilter): string | undefined =>
  f === 'all' ? undefined : f === 'unfinished' ? CASE_STATES.filter((s) => s !== 'closed').join(',') : f;

/** Only the assignee works on a task (accepts, resolves); administrators never investigate. */
export function mayWorkOn(u: Who | null, t: Pick<TaskDTO, 'assignee'>): boolean {
  return !!u && u.role !== 'admin' && !!u.officer && u.officer === t.assignee;
}

/** Sign-off (and send-back) is a second person's: a leader in scope or the assigner, never the resolver, the assignee or an admin. */
export function maySignOff(u: Who | null, t: Pick<TaskDTO, 'assignee' | 'resolver' | 'assigner' | 'bureau'>): boolean {
  if (!u || u.role === 'admin') return false;
  if (u.username === t.resolver || (!!u.officer && u.officer === t.assignee)) return false;
  const leaderInScope = u.role === 'leader' && (u.bureau === 'HQ' || u.bureau === t.bureau);
  return leaderInScope || u.username === t.assigner;
}

export type CaseStep = 'accept' | 'resolve' | 'close';
const FROM: Record<CaseStep, TaskDTO['state']> = { accept: 'assigned', resolve: 'investigating', close: 'resolved' };

/**
 * The tasks a case step would change for `u`: those in the step's starting state that `u` may act
 * on, limited to `selected` when the user ticked some. `together` is true when that is every task
 * of the case in that state and nothing was ticked: the request then names no tasks and the server
 * applies the step to the case as a whole (all or none).
 */
export function stepTargets(step: CaseStep, tasks: readonly TaskDTO[], u: Who | null, selected: readonly string[]): { ids: string[]; together: boolean } {
  const inState = tasks.filter((t) => t.state === FROM[step]);
  const allowed = inState.filter((t) => (step === 'close' ? maySignOff(u, t) : mayWorkOn(u, t)));
  const ids = (selected.length ? allowed.filter((t) => selected.includes(t.id)) : allowed).map((t) => t.id);
  return { ids, together: !selected.length && ids.length > 0 && ids.length === inState.length };
}

/** Follow-up states of a handover (docs/handover.md): 接收 → 初核 → 立案 → 处分 | 了结; 初核 may end in 了结. */
export const HANDOVER_STATES = ['transferred', 'received', 'preliminary', 'filed', 'sanctioned', 'closed'] as const;
export type HandoverState = (typeof HANDOVER_STATES)[number];
export const HANDOVER_NEXT: Record<HandoverState, readonly Exclude<HandoverState, 'transferred'>[]> = {
  transferred: ['received'], received: ['preliminary'], preliminary: ['filed', 'closed'], filed: ['sanctioned', 'closed'], sanctioned: [], closed: [],
};
const FINAL: readonly string[] = ['sanctioned', 'closed'];

/** The follow-up states `u` may record next on `h`: discipline officers and leaders in scope; the conclusion never by the transferrer. */
export function followUpsFor(u: Who | null, h: Pick<HandoverDTO, 'state' | 'bureau' | 'transferred_by'>): Exclude<HandoverState, 'transferred'>[] {
  if (!u || (u.role !== 'discipline' && u.role !== 'leader')) return [];
  if (u.role === 'leader' && u.bureau !== 'HQ' && u.bureau !== h.bureau) return [];
  return (HANDOVER_NEXT[h.state as HandoverState] ?? []).filter((s) => !(FINAL.includes(s) && u.username === h.transferred_by));
}

/** A transferred task's handover id (docs/handover.md: `ho-<task id>`, made when the task is resolved `transferred`). */
export const handoverIdOf = (taskId: string) => `ho-${taskId}`;
