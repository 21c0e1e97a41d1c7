/** GET /api/audit (admin; filters actor, action, target prefix, from, to, before, limit) and GET /api/audit/verify. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import type { AuditLog } from '../audit/service.js';
import { intParam, parseInstant } from '../http/params.js';

export function auditRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireUser(ctx.sessions, ['admin']);
  const log = () => ctx.audit as AuditLog;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

  r.get('/api/audit', admin, async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const before = intParam(req.query.before, 'before', 0);
    const rows = await log().list({
      actor: str(req.query.actor), action: str(req.query.action), target: str(req.query.target),
      from: parseInstant(req.query.from, 'from'), to: parseInstant(req.query.to, 'to'), before, limit,
    });
    res.json({
      records: rows.map((x) => ({ ...x, ts: new Date(x.ts).toISOString(), details: x.details ? JSON.parse(x.details) as unknown : null })),
      next: rows.length === limit ? rows[rows.length - 1]!.seq : null,
    });
  });

  r.get('/api/audit/verify', admin, async (_req, res) => {
    res.json(await log().verify());
  });
  return r;
}
