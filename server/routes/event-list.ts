/** GET /api/events: stored events for drill-down and evidence (newest first, cursor paging), `count=1` for a count. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { EVENT_FILTERS, countEventsWhere, listEvents, type EventQuery } from '../../sql/queries/events.js';
import { eventToDTO } from '../engine/dto.js';
import { reply } from '../http/reply.js';
import { taxpayerFilter } from '../http/scope.js';
import { decodeCursor, encodeCursor, listParam, parseInstant } from '../http/params.js';

export function eventListRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/events', requireUser(ctx.sessions, ['leader', 'discipline', 'analyst']), async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const q: EventQuery = { from: parseInstant(req.query.from, 'from'), to: parseInstant(req.query.to, 'to'), eq: {}, limit: limit + 1 };
    for (const k of EVENT_FILTERS) { const v = listParam(req, k); if (v) q.eq[k] = v; }
    if (typeof req.query.id_prefix === 'string' && req.query.id_prefix) q.idPrefix = req.query.id_prefix;
    const tp = taxpayerFilter(req.user!, q.eq.taxpayer, ctx.taxpayers);
    q.eq.taxpayer = tp.ids;
    q.taxpayerTokens = tp.byToken;
    const scope = bureauScope(req.user!);
    if (scope) {
      if (q.eq.bureau && !q.eq.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
      q.eq.bureau = [scope];
    }
    // Every read of events is in the audit trail: who asked what, and which events they got.
    const filters = Object.fromEntries(Object.entries(req.query).filter(([k]) => k !== 'cursor'));
    if (req.query.count === '1') {
      const count = await countEventsWhere(ctx.store, q);
      await ctx.audit.record({ actor: req.user!.username, action: 'events_read', target: 'events', details: { filters, count } });
      return reply(res, 'GET /api/events', { count });
    }
    if (typeof req.query.cursor === 'string' && req.query.cursor) q.before = decodeCursor(req.query.cursor);
    const rows = await listEvents(ctx.store, q);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    await ctx.audit.record({ actor: req.user!.username, action: 'events_read', target: 'events', details: { filters, events: page.map((e) => e.id) } });
    reply(res, 'GET /api/events', {
      events: page.map((e) => eventToDTO(e, req.user, ctx.taxpayers)),
      next: rows.length > limit && last ? encodeCursor(last.ts, last.id) : null,
    });
  });
  return r;
}
