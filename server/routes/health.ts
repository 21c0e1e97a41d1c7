/** GET /api/health: 200 with the store kind, 503 while the store is unreachable. */
import { Router } from 'express';
import type { AppContext } from '../context.js';

export function healthRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/health', async (_req, res) => {
    const up = await ctx.store.ping();
    res.status(up ? 200 : 503).json({
      status: up ? 'ok' : 'unavailable',
      store: ctx.store.kind,
      spool_bytes: ctx.ingest.spoolBytes,
      reference_version: ctx.reference.current.version,
      rejects_by_reason: Object.fromEntries(ctx.ingest.rejectCounts),
      ...ctx.services.health(),
    });
  });
  return r;
}
