/**
 * Risk tasks: GET /api/tasks, GET /api/tasks/:id, GET /api/tasks/:id/history, GET /api/tasks/:id/draw/verify | export,
 * POST /api/tasks/:id/accept | resolve | close | send-back, POST /api/tasks/:id/reassign (a four-eyes proposal).
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { reply } from '../http/reply.js';
import { requireUser, bureauScope } from '../http/auth.js';
import { badRequest, notFound, sendFailure } from '../http/errors.js';
import { listTasks, taskHistory, TASK_ORDERS, type TaskOrder, type TaskQuery, type TaskRow } from '../../sql/queries/tasks.js';
import type { Outcome } from '../outcome.js';
import { alertsByIds } from '../../sql/queries/alerts.js';
import { eventsByIds } from '../../sql/queries/events.js';
import { alertToDTO, eventToDTO } from '../engine/dto.js';
import { canSeeTask, taskToDTO } from '../workflow/dto.js';
import { TASK_STATES } from '../../streams/workflow/tasks.js';
import { decodeCursor, encodeCursor, listParam } from '../http/params.js';
import { adminOrHqLeader, sendProposal } from './proposals.js';
import { jsonBody } from '../http/json-body.js';

const TASK_ROLES = ['leader', 'discipline', 'analyst'] as const;

export function tasksRouter(ctx: AppContext): Router {
  const r = Router();
  const svc = () => ctx.services.tasks;
  const auth = requireUser(ctx.sessions, TASK_ROLES);
  const json = jsonBody({ limit: '256kb' });

  const visible = async (req: Request) => {
    const t = await svc().get(String(req.params.id));
    if (!t || !canSeeTask(req.user!, t)) throw notFound('task not found');
    return t;
  };

  r.get('/api/tasks', auth, async (req, res) => {
    const limitRaw = req.query.limit;
    const limit = limitRaw === undefined ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const q: TaskQuery = { limit: limit + 1, state: listParam(req, 'state'), assignee: listParam(req, 'assignee'), bureau: listParam(req, 'bureau'), indicator: listParam(req, 'indicator'), source: listParam(req, 'source') };
    for (const s of q.state ?? []) if (!(TASK_STATES as readonly string[]).includes(s)) throw badRequest(`state: unknown value ${s}`);
    const overdue = req.query.overdue;
    if (overdue !== undefined && !['0', '1', 'true', 'false'].includes(String(overdue))) throw badRequest('overdue: must be 1 or 0');
    if (overdue === '1' || overdue === 'true') q.overdueAt = ctx.clock();
    const sort = req.query.sort === undefined || req.query.sort === '' ? 'created_desc' : String(req.query.sort);
    if (!(sort in TASK_ORDERS)) throw badRequest(`sort: must be one of ${Object.keys(TASK_ORDERS).join(', ')}`);
    q.order = sort as TaskOrder;
    const mine = req.query.mine;
    if (mine === '1' || mine === 'true') {
      // Administrators are never assignees: their "mine" is empty, not everyone's.
      if (req.user!.role === 'admin') { reply(res, 'GET /api/tasks', { tasks: [], next: null }); return; }
      if (!req.user!.officer) throw badRequest('mine: your user is not linked to an officer');
      else q.assignee = [req.user!.officer];
    }
    const scope = bureauScope(req.user!);
    if (scope) {
      if (q.bureau && !q.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
      q.bureau = [scope];
    }
    if (typeof req.query.cursor === 'string' && req.query.cursor) q.before = decodeCursor(req.query.cursor);
    const rows = await listTasks(ctx.store, q);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const now = ctx.clock();
    const key = TASK_ORDERS[q.order].col;
    reply(res, 'GET /api/tasks', { tasks: page.map((t) => taskToDTO(t, now)), next: rows.length > limit && last ? encodeCursor(last[key], last.id) : null });
  });

  r.get('/api/tasks/:id', auth, async (req, res) => {
    const t = await visible(req);
    const [alerts, events, history, draws] = await Promise.all([
      alertsByIds(ctx.store, t.alert_ids), eventsByIds(ctx.store, t.evidence), taskHistory(ctx.store, t.id), svc().draws(t.id),
    ]);
    if (t.evidence.length) await ctx.audit.record({ actor: req.user!.username, action: 'evidence_read', target: `task:${t.id}`, details: { events: t.evidence } });
    const draw = draws.find((d) => d.id === t.draw_id) ?? draws[0];
    res.json({
      ...taskToDTO(t, ctx.clock()),
      alerts: alerts.map((a) => alertToDTO(a, req.user, ctx.taxpayers)),
      events: events.map((e) => eventToDTO(e, req.user, ctx.taxpayers)),
      draw: draw ? drawDTO(draw) : null,
      draws: draws.map(drawDTO),
      history: history.map(historyDTO),
    });
  });

  r.get('/api/tasks/:id/history', auth, async (req, res) => {
    const t = await visible(req);
    res.json({ task_id: t.id, history: (await taskHistory(ctx.store, t.id)).map(historyDTO) });
  });

  // A self-contained export of a draw for an outside auditor: `npm run verify -- draw <file>` checks it without the server.
  r.get('/api/tasks/:id/draw/export', auth, async (req, res) => {
    const t = await visible(req);
    const out = await svc().drawExports(t.id);
    if (!out.ok) return sendFailure(res, out.error);
    const wanted = typeof req.query.draw === 'string' ? req.query.draw : t.draw_id;
    const x = out.value.find((d) => d.draw.id === wanted) ?? out.value[out.value.length - 1];
    if (!x) throw notFound('the task has no draw');
    await ctx.audit.record({ actor: req.user!.username, action: 'draw_export', target: `task:${t.id}`, details: { draw: x.draw.id } });
    res.setHeader('content-disposition', `attachment; filename="${x.draw.id}.json"`);
    res.json(x);
  });

  r.get('/api/tasks/:id/draw/verify', auth, async (req, res) => {
    const t = await visible(req);
    const out = await svc().verifyDraws(t.id);
    if (!out.ok) return sendFailure(res, out.error);
    reply(res, 'GET /api/tasks/:id/draw/verify', out.value);
  });

  const post = (path: string, fn: (id: string, req: Request) => Promise<Outcome<TaskRow>>) =>
    r.post(`/api/tasks/:id/${path}`, requireUser(ctx.sessions, ['leader', 'discipline']), json, async (req, res) => {
      await visible(req);
      const out = await fn(String(req.params.id), req);
      if (!out.ok) return sendFailure(res, out.error);
      res.json(taskToDTO(out.value, ctx.clock()));
    });
  const body = (req: Request) => (typeof req.body === 'object' && req.body !== null ? req.body as Record<string, unknown> : {});
  post('accept', (id, req) => svc().accept(id, req.user!));
  post('resolve', (id, req) => svc().resolve(id, req.user!, body(req)));
  post('close', (id, req) => svc().close(id, req.user!, body(req)));
  post('send-back', (id, req) => svc().sendBack(id, req.user!, body(req)));
  // Four eyes: a reassignment is a proposal (202) that takes effect when a second person approves it.
  r.post('/api/tasks/:id/reassign', requireUser(ctx.sessions, ['leader']), adminOrHqLeader, json, async (req, res) => {
    await visible(req);
    sendProposal(res, await svc().proposeReassign(String(req.params.id), req.user!, body(req)));
  });
  return r;
}

function drawDTO(d: { id: string; ts: number; algorithm: string; seed: string; needed_level: number; candidates: string[]; levels: number[]; loads: number[]; weights: number[]; excluded: string; pick: string; pick_index: number }) {
  return {
    id: d.id, ts: new Date(d.ts).toISOString(), algorithm: d.algorithm, seed: d.seed, needed_level: d.needed_level,
    candidates: d.candidates.map((id, i) => ({ officer: id, level: d.levels[i], open_tasks: d.loads[i], weight: d.weights[i] })),
    excluded: JSON.parse(d.excluded || '{}') as Record<string, string>, pick: d.pick || null, pick_index: d.pick_index,
  };
}

function historyDTO(h: { seq: number; ts: number; actor: string; action: string; from_state: string; to_state: string; reason: string; details: string }) {
  return {
    seq: h.seq, ts: new Date(h.ts).toISOString(), actor: h.actor, action: h.action, from: h.from_state || null, to: h.to_state,
    reason: h.reason || null, details: h.details ? JSON.parse(h.details) as unknown : null,
  };
}
