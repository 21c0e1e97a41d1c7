/** socket.io, tasks area: push every task (and review) change to the users who may see it; `tasks:mine`, `reviews:mine`. */
import type { TypedServer } from './index.js';
import type { TaskService } from '../workflow/tasks.js';
import type { ReviewService } from '../workflow/reviews.js';
import { canSeeReview, canSeeTask, reviewToDTO, taskToDTO } from '../workflow/dto.js';
import { listTasks } from '../../sql/queries/tasks.js';
import { listReviews } from '../../sql/queries/reviews.js';
import type { Store } from '../../sql/store.js';
import type { SocketData, TaskChangeDTO } from './events.js';

/**
 * Whether a task change is pushed to a user: a discipline officer gets only the tasks assigned
 * to them, and the change that takes one away (reassignment), so "my tasks" stays theirs;
 * other roles every task they may see.
 */
export function taskConcerns(user: SocketData['user'], t: { assignee: string }, previousAssignee: string | undefined): boolean {
  if (user.role !== 'discipline') return true;
  if (!user.officer) return false;
  return t.assignee === user.officer || previousAssignee === user.officer;
}

/** The ids of the authenticated sockets whose user passes `may` (each socket is in a room of its own id). */
function socketsWhere(io: TypedServer, may: (user: SocketData['user']) => boolean): string[] {
  const ids: string[] = [];
  for (const s of io.sockets.sockets.values()) if (s.data.user && may(s.data.user)) ids.push(s.id);
  return ids;
}

export function registerTaskHandlers(io: TypedServer, store: Store, tasks: TaskService, reviews: ReviewService, clock: () => number): () => void {
  // Assignee of each unfinished task as last pushed: a reassignment is pushed to the one who lost it too.
  const lastAssignee = new Map<string, string>();
  const subs = [
    tasks.changes$.subscribe((t) => {
      const before = lastAssignee.get(t.id);
      if (t.state === 'closed') lastAssignee.delete(t.id); else lastAssignee.set(t.id, t.assignee);
      const to = socketsWhere(io, (user) => canSeeTask(user as never, t) && taskConcerns(user, t, before));
      if (!to.length) return;
      const { evidence: _evidence, ...change } = taskToDTO(t, clock());
      // One broadcast: the packet is encoded once, not once per socket.
      io.to(to).emit('task', change satisfies TaskChangeDTO);
    }),
    reviews.changes$.subscribe((r) => {
      const to = socketsWhere(io, (user) => canSeeReview(user as never, r));
      if (to.length) io.to(to).emit('review', reviewToDTO(r));
    }),
  ];

  io.on('connection', (socket) => {
    socket.on('tasks:mine', async (q, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const user = socket.data.user;
        if (user.role === 'tax') return ack({ ok: false, error: 'forbidden: tax officers have review tasks only' });
        // "Mine" is what is assigned to the caller's officer. Administrators administer and never
        // investigate (docs/security.md): they are never assignees, so they have none.
        if (user.role === 'admin' || !user.officer) return ack({ ok: true, data: [] });
        const rows = await listTasks(store, {
          limit: 500, assignee: [user.officer],
          state: q?.include_closed ? undefined : ['open', 'assigned', 'investigating', 'resolved'],
        });
        const now = clock();
        ack({ ok: true, data: rows.map((t) => taskToDTO(t, now)) });
      } catch (err) {
        ack({ ok: false, error: err instanceof Error ? err.message : 'failed' });
      }
    });
    socket.on('reviews:mine', async (_q, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const user = socket.data.user;
        if (!user.officer) return ack({ ok: true, data: [] });
        const rows = await listReviews(store, { reviewer: user.officer, state: ['pending', 'escalated'], limit: 500, offset: 0 });
        ack({ ok: true, data: rows.filter((r) => !(JSON.parse(r.submissions || '[]') as { reviewer: string }[]).some((s) => s.reviewer === user.officer)).map(reviewToDTO) });
      } catch (err) {
        ack({ ok: false, error: err instanceof Error ? err.message : 'failed' });
      }
    });
  });
  return () => subs.forEach((s) => s.unsubscribe());
}
