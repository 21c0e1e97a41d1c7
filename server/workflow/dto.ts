/** Tasks and reviews as the API and socket.io show them (ISO-8601 times, overdue computed against now). */
import type { SessionUser } from '../auth/tokens.js';
import type { TaskRow } from '../../sql/queries/tasks.js';
import type { ReviewRow } from '../../sql/queries/reviews.js';
import type { TaskDTO, ReviewDTO } from '../socket/events.js';
import { isOverdue, type TaskState } from '../../streams/workflow/tasks.js';
import type { Severity } from '../../streams/types.js';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function taskToDTO(t: TaskRow, now: number): TaskDTO {
  return {
    id: t.id, source: t.source as TaskDTO['source'], state: t.state as TaskState, indicator: t.indicator, category: t.category, severity: t.severity as Severity,
    subject_officer: t.subject_officer, bureau: t.bureau, item: t.item || null, matter: t.matter || null, review_id: t.review_id || null,
    assignee: t.assignee || null, assigner: t.assigner || null, draw_id: t.draw_id || null, case_id: t.case_id || null, override: t.override === 1,
    result: (t.result || null) as TaskDTO['result'], finding: t.finding || null, resolver: t.resolver || null, closer: t.closer || null, close_note: t.close_note || null,
    deadline: iso(t.deadline)!, overdue: isOverdue({ state: t.state as TaskState, deadline: t.deadline }, now),
    alert_count: t.alert_ids.length, alert_ids: t.alert_ids, evidence: t.evidence,
    created_at: iso(t.created_at)!, assigned_at: iso(t.assigned_at), accepted_at: iso(t.accepted_at), resolved_at: iso(t.resolved_at), closed_at: iso(t.closed_at),
    updated_at: iso(t.updated_at)!,
  };
}

/** Tasks: admin, discipline and analysts see all; leaders their bureau (HQ: all); tax officers none. */
export function canSeeTask(user: SessionUser, t: { bureau: string }): boolean {
  if (user.role === 'tax') return false;
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return t.bureau === user.bureau;
  return true;
}

export function reviewToDTO(r: ReviewRow): ReviewDTO {
  return {
    id: r.id, draw_id: r.draw_id, item: r.item, bureau: r.bureau, window: r.window || null, matter: r.matter, power: r.power === 1,
    handler: r.handler, handlers: r.handlers, kind: r.kind as ReviewDTO['kind'], reviewers: r.reviewers, state: r.state as ReviewDTO['state'],
    submissions: (JSON.parse(r.submissions || '[]') as { reviewer: string; outcome: string; aspect: string | null; note: string; at: number }[])
      .map((s) => ({ ...s, at: new Date(s.at).toISOString() })),
    outcome: (r.outcome || null) as ReviewDTO['outcome'], aspect: (r.aspect || null) as ReviewDTO['aspect'], task_id: r.task_id || null,
    created_at: iso(r.created_at)!, decided_at: iso(r.decided_at), updated_at: iso(r.updated_at)!,
  };
}

/** Reviews: tax officers and other reviewers see the ones they review; leaders their bureau; admin, discipline, analysts all. */
export function canSeeReview(user: SessionUser, r: { bureau: string; reviewers: string[] }): boolean {
  if (user.officer && r.reviewers.includes(user.officer)) return true;
  if (user.role === 'tax') return false;
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return r.bureau === user.bureau;
  return true;
}
