/**
 * Cases (docs/cases.md): GET /api/cases, GET /api/cases/:id (tasks, alerts, timeline),
 * POST /api/cases/:id/accept | resolve | close (its tasks together, or those named in `tasks`).
 * Scope and masking as for alerts: leaders of a bureau see that bureau's cases, analysts masked taxpayers.
 */
import express, { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { reply } from '../http/reply.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, notFound, sendFailure } from '../http/errors.js';
import { decodeCursor, encodeCursor, intParam, listParam } from '../http/params.js';
import type { CaseQuery } from '../../sql/queries/cases.js';
import { CASE_STATES } from '../../streams/workflow/cases.js';
import { caseToDTO } from '../workflow/cases.js';
import { canSeeTask, taskToDTO } from '../workflow/dto.js';
import { alertToDTO } from '../engine/dto.js';
import type { Outcome } from '../outcome.js';
import type { CaseRow } from '../../sql/queries/cases.js';
import type { TaskRow } from '../../sql/queries/tasks.js';

const CASE_ROLES = ['leader', 'discipline', 'analyst'] as const;

export function casesRouter(ctx: AppContext): Router {
  const r = Router();
  const svc = () => ctx.services.cases;
  const auth = requireUser(ctx.sessions, CASE_ROLES);
  const json = express.json({ limit: '256kb' });

  const visible = async (req: Request) => {
    const c = await svc().get(String(req.params.id));
    if (!c || !canSeeTask(req.user!, c)) throw notFound('case not found');
    return c;
  };

  r.get('/api/cases', auth, async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 1, 1000) ?? 100;
    const q: CaseQuery = { limit: limit + 1, officer: listParam(req, 'officer'), bureau: listParam(req, 'bureau'), state: listParam(req, 'state'), assignee: listParam(req, 'assignee') };
    for (const s of q.state ?? []) if (!(CASE_STATES as readonly string[]).includes(s)) throw badRequest(`state: unknown value ${s}`);
    const scope = bureauScope(req.user!);
    if (scope) {
      if (q.bureau && !q.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
      q.bureau = [scope];
    }
    if (typeof req.query.cursor === 'string' && req.query.cursor) q.before = decodeCursor(req.query.cursor);
    const rows = await svc().list(q);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    reply(res, 'GET /api/cases', { cases: page.map(caseToDTO), next: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null });
  });

  r.get('/api/cases/:id', auth, async (req, res) => {
    const c = await visible(req);
    const d = await svc().detail(c.id);
    if (!d.ok) return sendFailure(res, d.error);
    const now = ctx.clock();
    reply(res, 'GET /api/cases/:id', {
      ...caseToDTO(d.value.case),
      task_list: d.value.tasks.map((t) => taskToDTO(t, now)),
      alert_list: d.value.alerts.map((a) => alertToDTO(a, req.user, ctx.taxpayers)),
      overdue: d.value.tasks.some((t) => taskToDTO(t, now).overdue),
      timeline: d.value.timeline,
    });
  });

  const post = (path: string, fn: (id: string, req: Request) => Promise<Outcome<{ case: CaseRow; tasks: TaskRow[] }>>) =>
    r.post(`/api/cases/:id/${path}`, requireUser(ctx.sessions, ['leader', 'discipline']), json, async (req, res) => {
      await visible(req);
      const out = await fn(String(req.params.id), req);
      if (!out.ok) return sendFailure(res, out.error);
      const now = ctx.clock();
      res.json({ case: caseToDTO(out.value.case), tasks: out.value.tasks.map((t) => taskToDTO(t, now)) });
    });
  const body = (req: Request) => (typeof req.body === 'object' && req.body !== null ? req.body as Record<string, unknown> : {});
  post('accept', (id, req) => svc().accept(id, req.user!, body(req)));
  post('resolve', (id, req) => svc().resolve(id, req.user!, body(req)));
  post('close', (id, req) => svc().close(id, req.user!, body(req)));
  return r;
}
