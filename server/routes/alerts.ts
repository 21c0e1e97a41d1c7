/** GET /api/alerts (filters, cursor paging, newest first) and GET /api/alerts/:id (with its evidence events). */
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, notFound } from '../http/errors.js';
import { decodeCursor, encodeCursor, listParam, parseInstant } from '../http/params.js';
import { ALERT_FACETS, ALERT_FILTERS, ALERT_TEXT_FIELDS, alertFacetCounts, alertsByIds, listAlerts, type AlertFacet, type AlertQuery } from '../../sql/queries/alerts.js';
import { eventsByIds } from '../../sql/queries/events.js';
import { alertToDTO, canSeeAlert, eventToDTO } from '../engine/dto.js';
import { CATEGORIES, SEVERITIES } from '../../streams/types.js';
import { reply } from '../http/reply.js';
import { taxpayerFilter } from '../http/scope.js';
import { alertStatsAnswer } from '../dashboard/alert-stats.js';

const ALERT_ROLES = ['leader', 'discipline', 'analyst'] as const;

export function alertsRouter(ctx: AppContext): Router {
  const r = Router();
  const auth = requireUser(ctx.sessions, ALERT_ROLES);

  /** Filters shared by the list and the counters: window, the ALERT_FILTERS, `q` text search, the caller's scope. */
  function alertFilters(req: Request): Omit<AlertQuery, 'limit'> {
    const q: Omit<AlertQuery, 'limit'> = { from: parseInstant(req.query.from, 'from'), to: parseInstant(req.query.to, 'to'), eq: {} };
    for (const key of ALERT_FILTERS) {
      const vals = listParam(req, key);
      if (vals) q.eq[key] = vals;
    }
    const tp = taxpayerFilter(req.user!, q.eq.taxpayer, ctx.taxpayers);
    q.eq.taxpayer = tp.ids;
    q.taxpayerTokens = tp.byToken;
    for (const c of q.eq.category ?? []) if (!(CATEGORIES as readonly string[]).includes(c)) throw badRequest(`category: unknown value ${c}`);
    for (const s of q.eq.severity ?? []) if (!(SEVERITIES as readonly string[]).includes(s)) throw badRequest(`severity: unknown value ${s}`);
    const scope = bureauScope(req.user!);
    if (scope) {
      if (q.eq.bureau && !q.eq.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
      q.eq.bureau = [scope];
    }
    const hist = req.query.historical;
    if (hist !== undefined) {
      if (hist !== '0' && hist !== '1') throw badRequest('historical: must be 0 or 1');
      q.historical = hist === '1';
    }
    const text = req.query.q;
    if (text !== undefined) {
      if (typeof text !== 'string' || text.length > 200) throw badRequest('q: must be a text of at most 200 characters');
      const trimmed = text.trim();
      // Analysts see taxpayer ids masked, and the messages name the taxpayer: they may not search on them.
      if (trimmed) q.text = { q: trimmed, fields: req.user!.role === 'analyst' ? ['indicator', 'officer', 'item'] : ALERT_TEXT_FIELDS };
    }
    return q;
  }

  r.get('/api/alerts', auth, async (req, res) => {
    const limitRaw = req.query.limit;
    const limit = limitRaw === undefined ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const q: AlertQuery = { ...alertFilters(req), limit: limit + 1 };
    if (typeof req.query.cursor === 'string' && req.query.cursor) q.before = decodeCursor(req.query.cursor);
    const rows = await listAlerts(ctx.store, q);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    reply(res, 'GET /api/alerts', { alerts: page.map((a) => alertToDTO(a, req.user, ctx.taxpayers)), next: rows.length > limit && last ? encodeCursor(last.ts, last.id) : null });
  });

  // Before /api/alerts/:id, which would take 'stats' for an id.
  r.get('/api/alerts/stats', auth, async (req, res) => {
    reply(res, 'GET /api/alerts/stats', await alertStatsAnswer(ctx, req));
  });

  // The wall's counters: distinct alerts per severity, category and bureau over a stated window
  // (`from`, default the last 24 h; `to`, default now). Each facet is counted under the other
  // filters (as search facets are), so the severity tiles still show every severity while one is chosen.
  r.get('/api/alerts/counts', auth, async (req, res) => {
    const f = alertFilters(req);
    const to = f.to ?? ctx.clock();
    const from = f.from ?? to - 24 * 3600_000;
    if (from >= to) throw badRequest('from: must be before to');
    const counts: Partial<Record<AlertFacet, Record<string, number>>> = {};
    for (const facet of ALERT_FACETS) {
      const eq = { ...f.eq };
      // A bureau leader's scope is not a filter to lift.
      if (facet !== 'bureau' || !bureauScope(req.user!)) delete eq[facet];
      counts[facet] = Object.fromEntries(await alertFacetCounts(ctx.store, { ...f, eq, from, to }, facet));
    }
    // Every alert has one severity: the total under all filters is the severity facet's sum over the chosen severities.
    const own = f.eq.severity;
    const total = Object.entries(counts.severity!).reduce((sum, [k, n]) => sum + (!own || own.includes(k) ? n : 0), 0);
    reply(res, 'GET /api/alerts/counts', {
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), total,
      by_severity: counts.severity!, by_category: counts.category!, by_bureau: counts.bureau!,
    });
  });

  r.get('/api/alerts/:id', auth, async (req, res) => {
    const id = String(req.params.id);
    let [a] = await alertsByIds(ctx.store, [id]);
    // Alerts are shown live before their batched insert: one just shown is waited for, not a 404.
    const sink = ctx.services.sink;
    if (!a && sink.isPending(id)) {
      await sink.flush();
      [a] = await alertsByIds(ctx.store, [id]);
    }
    if (!a || !canSeeAlert(req.user!, a)) throw notFound('alert not found');
    const events = await eventsByIds(ctx.store, a.evidence);
    const order = new Map(a.evidence.map((id, i) => [id, i]));
    events.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
    await ctx.audit.record({ actor: req.user!.username, action: 'evidence_read', target: `alert:${a.id}`, details: { events: a.evidence } });
    reply(res, 'GET /api/alerts/:id', {
      ...alertToDTO(a, req.user, ctx.taxpayers),
      events: events.map((e) => eventToDTO(e, req.user, ctx.taxpayers)),
    });
  });
  return r;
}
