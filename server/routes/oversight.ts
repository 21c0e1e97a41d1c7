/**
 * Oversight alerts (docs/security.md "Oversight indicators"): GET /api/oversight/alerts and
 * GET /api/oversight/indicators. HQ leaders only: the indicators watch administrators and
 * discipline staff, so those never read them; a bureau leader is outside the city-wide view.
 * An alert about the reader themselves (OVS-03: an HQ leader who approved the reassignments) is
 * never shown to them. Every read is audited.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest, forbidden } from '../http/errors.js';
import { reply } from '../http/reply.js';
import { decodeCursor, encodeCursor, intParam, listParam, parseInstant } from '../http/params.js';
import { countOversightAlerts, listOversightAlerts, type OversightAlertRow } from '../../sql/queries/oversight.js';
import { OVERSIGHT_INDICATORS } from '../../streams/oversight/indicators.js';
import { isHqLeader } from '../../streams/workflow/four-eyes.js';
import type { OversightAlertDTO } from '../http/contract.js';

const IDS = new Set(OVERSIGHT_INDICATORS.map((d) => d.id));

/** After requireUser(…, ['leader']): only HQ leaders (administrators pass requireUser, and are watched). */
const hqLeaderOnly = (req: Request, _res: Response, next: (err?: unknown) => void) =>
  next(isHqLeader(req.user!) ? undefined : forbidden('oversight alerts are for HQ leaders only: they watch administrators and discipline staff'));

export function oversightAlertDTO(r: OversightAlertRow): OversightAlertDTO {
  return {
    id: r.id, indicator: r.indicator, category: 'oversight', severity: r.severity, ts: new Date(r.ts).toISOString(), subject: r.subject, subject_role: r.subject_role,
    message: r.message, details: JSON.parse(r.details || '{}') as Record<string, unknown>, audit_seqs: r.audit_seqs,
  };
}

export function oversightRouter(ctx: AppContext): Router {
  const r = Router();
  const auth = requireUser(ctx.sessions, ['leader']);

  r.get('/api/oversight/alerts', auth, hqLeaderOnly, async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 1, 1000) ?? 100;
    const from = parseInstant(req.query.from, 'from');
    const to = parseInstant(req.query.to, 'to');
    const indicator = listParam(req, 'indicator');
    for (const i of indicator ?? []) if (!IDS.has(i)) throw badRequest(`indicator: unknown oversight indicator ${i}`);
    const filter = { viewer: req.user!.username, from, to, indicator };
    const before = typeof req.query.cursor === 'string' && req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
    const [rows, counts] = await Promise.all([listOversightAlerts(ctx.store, { ...filter, limit: limit + 1, before }), countOversightAlerts(ctx.store, filter)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    await ctx.audit.record({ actor: req.user!.username, action: 'oversight_read', target: 'oversight', details: { filters: { from: req.query.from, to: req.query.to, indicator }, alerts: page.map((a) => a.id) } });
    reply(res, 'GET /api/oversight/alerts', {
      alerts: page.map(oversightAlertDTO), next: rows.length > limit && last ? encodeCursor(last.ts, last.id) : null,
      counts: Object.fromEntries(OVERSIGHT_INDICATORS.map((d) => [d.id, counts.get(d.id) ?? 0])), total: [...counts.values()].reduce((a, b) => a + b, 0),
    });
  });

  r.get('/api/oversight/indicators', auth, hqLeaderOnly, async (req, res) => {
    const counts = await countOversightAlerts(ctx.store, { viewer: req.user!.username });
    reply(res, 'GET /api/oversight/indicators', { indicators: OVERSIGHT_INDICATORS.map((d) => ({ ...d, category: 'oversight' as const, hits: counts.get(d.id) ?? 0 })) });
  });
  return r;
}
