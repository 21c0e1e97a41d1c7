/** GET /api/dead-letters (admin): what was sent and rejected, newest first, raw with its reason. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { listDeadLetters } from '../../sql/queries/events.js';

export function deadLettersRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/dead-letters', requireUser(ctx.sessions, ['admin']), async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const rows = await listDeadLetters(ctx.store, limit);
    res.json({ dead_letters: rows.map((d) => ({ ...d, received_at: new Date(Number(d.received_at)).toISOString() })) });
  });
  return r;
}
