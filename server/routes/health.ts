/**
 * GET /api/health: 200 `ok`; 200 `degraded` while the store answers but writes keep failing or
 * DATA_DIR refuses the spool (with the reasons and the spool size); 503 while the store is unreachable
 * or has not answered a ping for 10 s. Health never waits long behind the store's own work (StoreProbe).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { heapReason, memoryFigures, StoreMemorySampler } from '../health/memory.js';
import { storeTrackedMemoryBytes } from '../../sql/queries/store-memory.js';
import { StoreProbe } from '../health/store-probe.js';

export function healthRouter(ctx: AppContext): Router {
  const r = Router();
  const probe = new StoreProbe({ ping: () => ctx.store.ping(), clock: Date.now });
  const storeMemory = new StoreMemorySampler(() => storeTrackedMemoryBytes(ctx.store), Date.now);
  r.get('/api/health', async (_req, res) => {
    const { up, waitingMs } = await probe.check();
    const reasons: string[] = [];
    for (const f of ctx.storeWrites.failures()) reasons.push(`${f.table}: ${f.failures} write(s) failed since ${new Date(f.since).toISOString()}: ${f.error}`);
    const spoolError = ctx.ingest.spoolWriteError;
    if (spoolError) reasons.push(`spool: cannot write under DATA_DIR: ${spoolError}`);
    const memory = { ...memoryFigures(), store_tracked_mib: storeMemory.mib() };
    const services = ctx.services.health();
    const heap = heapReason(memory, Number(services.engine_keyed_entries ?? 0));
    if (heap) reasons.push(heap);
    const shed = ctx.services.engine.budget.reason();
    if (shed) reasons.push(shed);
    if (!up) reasons.unshift(waitingMs === undefined ? 'store: unreachable' : `store: has not answered a ping for ${Math.round(waitingMs / 1000)} s`);
    res.status(up ? 200 : 503).json({
      status: !up ? 'unavailable' : reasons.length ? 'degraded' : 'ok',
      ...(reasons.length ? { reasons } : {}),
      store: ctx.store.kind,
      // the store is busy: this answer is the previous ping's, the current one has waited this long
      ...(waitingMs !== undefined ? { store_ping_waiting_ms: waitingMs } : {}),
      spool_bytes: ctx.ingest.spoolBytes,
      spool_events_waiting: ctx.ingest.backlogEvents,
      rejected_by_store: ctx.storeWrites.refusedCounts(),
      reference_version: ctx.reference.current.version,
      rejects_by_reason: Object.fromEntries(ctx.ingest.rejectCounts),
      event_loop_delay: ctx.services.loopDelay.read(),
      // JS heap vs the rest of the process (the embedded store's memory is in rss, not in the heap)
      memory,
      ...services,
    });
  });
  return r;
}
