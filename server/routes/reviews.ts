/**
 * Sampling reviews: GET /api/reviews, GET /api/reviews/:id, POST /api/reviews/:id/submit, POST /api/reviews/draw,
 * and the draws themselves: GET /api/review-draws, GET /api/review-draws/:id/verify | export (docs/draws.md).
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { reply } from '../http/reply.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { listReviews, type ReviewQuery } from '../../sql/queries/reviews.js';
import { canSeeReview, reviewToDTO } from '../workflow/dto.js';
import { decodeCursor, encodeCursor, intParam, parseInstant } from '../http/params.js';
import { jsonBody } from '../http/json-body.js';

export function reviewsRouter(ctx: AppContext): Router {
  const r = Router();
  const svc = () => ctx.services.reviews;
  const anyUser = requireUser(ctx.sessions);
  const json = jsonBody({ limit: '256kb' });

  r.get('/api/reviews', anyUser, async (req, res) => {
    const user = req.user!;
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    const offset = intParam(req.query.offset, 'offset', 0) ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset: must be a non-negative integer');
    const state = typeof req.query.state === 'string' ? req.query.state.split(',').filter(Boolean) : undefined;
    for (const s of state ?? []) if (!['pending', 'escalated', 'decided'].includes(s)) throw badRequest(`state: unknown value ${s}`);
    const sort = req.query.sort === undefined || req.query.sort === '' ? 'created_desc' : String(req.query.sort);
    if (sort !== 'created_desc' && sort !== 'created_asc') throw badRequest('sort: must be created_desc or created_asc');
    const q: ReviewQuery = { limit: limit + 1, offset, state, drawId: typeof req.query.draw === 'string' ? req.query.draw : undefined, asc: sort === 'created_asc' };
    if (typeof req.query.cursor === 'string' && req.query.cursor) q.before = decodeCursor(req.query.cursor);
    if (typeof req.query.bureau === 'string' && req.query.bureau) q.bureau = req.query.bureau.split(',');
    const mine = req.query.mine === '1' || req.query.mine === 'true';
    if (mine || user.role === 'tax') {
      if (!user.officer) { reply(res, 'GET /api/reviews', { reviews: [], next: null }); return; }
      q.reviewer = user.officer;
    } else {
      const scope = bureauScope(user);
      if (scope) {
        if (q.bureau && !q.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
        q.bureau = [scope];
      }
    }
    const rows = await listReviews(ctx.store, q);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    reply(res, 'GET /api/reviews', { reviews: page.map(reviewToDTO), next: rows.length > limit && last ? encodeCursor(Number(last.created_at), last.id) : null });
  });

  // Review draws are city-wide (every bureau's population): administrators, HQ leaders and discipline officers check them.
  const drawReader = requireUser(ctx.sessions, ['leader', 'discipline']);
  const cityWide = (req: Request) => { if (bureauScope(req.user!)) throw forbidden('review draws span every bureau: HQ leaders, discipline officers and administrators check them'); };
  r.get('/api/review-draws', drawReader, async (req, res) => {
    cityWide(req);
    const limit = intParam(req.query.limit, 'limit', 1, 1000) ?? 100;
    const rows = await svc().draws(limit);
    reply(res, 'GET /api/review-draws', {
      draws: rows.map((d) => ({
        id: d.id, ts: new Date(d.ts).toISOString(), actor: d.actor, from: new Date(d.period_from).toISOString(), to: new Date(d.period_to).toISOString(),
        algorithm: d.algorithm, seed: d.seed, rate: d.rate, strata: JSON.parse(d.strata) as { bureau: string; population: number; sampled: number }[],
        items: d.items.length, commit_seq: d.commit_seq || null, reference_version: d.reference_version || null,
      })),
    });
  });
  r.get('/api/review-draws/:id/verify', drawReader, async (req, res) => {
    cityWide(req);
    const v = await svc().verifyDraw(String(req.params.id));
    if (!v) throw notFound('review draw not found');
    reply(res, 'GET /api/review-draws/:id/verify', v);
  });
  r.get('/api/review-draws/:id/export', drawReader, async (req, res) => {
    cityWide(req);
    const x = await svc().drawExport(String(req.params.id));
    if (!x) throw notFound('review draw not found');
    await ctx.audit.record({ actor: req.user!.username, action: 'draw_export', target: `review_draw:${x.draw.id}` });
    res.setHeader('content-disposition', `attachment; filename="${x.draw.id}.json"`);
    res.json(x);
  });

  r.get('/api/reviews/:id', anyUser, async (req, res) => {
    const rv = await svc().get(String(req.params.id));
    if (!rv || !canSeeReview(req.user!, rv)) throw notFound('review not found');
    const history = await svc().history(rv.id);
    res.json({
      ...reviewToDTO(rv),
      history: history.map((h) => ({ seq: h.seq, ts: new Date(h.ts).toISOString(), actor: h.actor, action: h.action, outcome: h.outcome || null, aspect: h.aspect || null, details: h.details ? JSON.parse(h.details) as unknown : null })),
    });
  });

  r.post('/api/reviews/:id/submit', anyUser, json, async (req: Request, res) => {
    const rv = await svc().get(String(req.params.id));
    if (!rv || !canSeeReview(req.user!, rv)) throw notFound('review not found');
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    res.json(reviewToDTO(await svc().submit(rv.id, req.user!, body)));
  });

  r.post('/api/reviews/draw', requireUser(ctx.sessions, ['admin']), json, async (req, res) => {
    const body = (req.body ?? {}) as { from?: unknown; to?: unknown };
    const from = parseInstant(body.from, 'from');
    const to = parseInstant(body.to, 'to');
    if (from === undefined) throw badRequest('from: is required');
    if (to === undefined) throw badRequest('to: is required');
    if (to <= from) throw badRequest('to: must be after from');
    if (to - from > 366 * 86400_000) throw badRequest('to: a draw covers at most 366 days');
    const { draw, reviews } = await svc().draw(from, to, req.user!.username);
    res.status(201).json({
      draw: { id: draw.id, ts: new Date(draw.ts).toISOString(), from: new Date(draw.period_from).toISOString(), to: new Date(draw.period_to).toISOString(), algorithm: draw.algorithm, seed: draw.seed, rate: draw.rate, strata: JSON.parse(draw.strata) as unknown, items: draw.items, commit_seq: draw.commit_seq },
      reviews: reviews.map(reviewToDTO),
    });
  });
  return r;
}
