/** Risk scores (docs/risk.md): GET /api/officers/:id/risk, GET /api/risk/bureaus. Scope as for alerts. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { reply } from '../http/reply.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, notFound } from '../http/errors.js';
import { localDate } from '../../streams/time.js';

const RISK_ROLES = ['leader', 'discipline', 'analyst'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayParam(v: unknown, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !DAY.test(v) || Number.isNaN(Date.parse(v))) throw badRequest(`${name}: must be a date YYYY-MM-DD`);
  return v;
}

export function riskRouter(ctx: AppContext): Router {
  const r = Router();
  const auth = requireUser(ctx.sessions, RISK_ROLES);

  r.get('/api/officers/:id/risk', auth, async (req, res) => {
    const id = String(req.params.id);
    const o = ctx.reference.current.officers.get(id);
    if (!o) throw notFound('officer not found');
    const scope = bureauScope(req.user!);
    if (scope && o.bureau !== scope) throw notFound('officer not found');
    const asOf = dayParam(req.query.as_of, 'as_of');
    const from = dayParam(req.query.from, 'from');
    reply(res, 'GET /api/officers/:id/risk', { ...(await ctx.services.risk.officer(id, asOf, from)), bureau: o.bureau });
  });

  r.get('/api/risk/bureaus', auth, async (req, res) => {
    const scope = bureauScope(req.user!);
    const wanted = typeof req.query.bureau === 'string' && req.query.bureau ? req.query.bureau : undefined;
    if (scope && wanted && wanted !== scope) throw badRequest(`bureau: outside your scope (${scope})`);
    const from = dayParam(req.query.from, 'from') ?? localDate(ctx.clock() - 365 * 86_400_000);
    reply(res, 'GET /api/risk/bureaus', { from, months: await ctx.services.risk.bureaus(from, scope ?? wanted) });
  });
  return r;
}
