/**
 * GET /api/officers/:id/profile (docs/officer-profile.md): scope as for alerts — a bureau leader
 * reads officers of their own bureau only (another bureau's officer: 404, as an alert outside the
 * scope); discipline, analysts, admin and HQ leaders every officer; tax officers none (403).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { reply } from '../http/reply.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, notFound } from '../http/errors.js';
import { officerProfile } from '../officers/profile.js';
import { localDate } from '../../streams/time.js';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366 * 3;

function dayParam(v: unknown, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !DAY_RE.test(v) || Number.isNaN(Date.parse(v)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) throw badRequest(`${name}: must be a date YYYY-MM-DD`);
  return v;
}

export function officersRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/officers/:id/profile', requireUser(ctx.sessions, ['leader', 'discipline', 'analyst']), async (req, res) => {
    const o = ctx.reference.current.officers.get(String(req.params.id));
    const scope = bureauScope(req.user!);
    if (!o || (scope && o.bureau !== scope)) throw notFound('officer not found');
    const to = dayParam(req.query.to, 'to') ?? localDate(ctx.clock());
    const from = dayParam(req.query.from, 'from') ?? localDate(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000 + 12 * 3_600_000);
    if (from > to) throw badRequest('from: must not be after to');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS) throw badRequest(`from: a period of at most ${MAX_DAYS} days`);
    reply(res, 'GET /api/officers/:id/profile', await officerProfile({ store: ctx.store, risk: ctx.services.risk, clock: ctx.clock }, o, { from, to }));
  });
  return r;
}
