/** The built-in simulator feeding the real ingestion path (same validation, dedupe, spool, engine). */
import { LiveSimulator } from '../streams/simulator/live.js';
import { toWireEvent } from '../streams/ingest/wire.js';
import type { CoreContext } from './context.js';

export function startSimulator(ctx: CoreContext, ratePerSecond: number): { stop(): void } {
  const sim = new LiveSimulator({ reference: ctx.reference.current.data, ratePerSecond, clock: ctx.clock });
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const events = sim.next(ctx.clock());
    if (events.length === 0) return;
    busy = true;
    const items = events.map((e) => {
      const wire = toWireEvent(e);
      return { ok: true as const, value: wire, raw: JSON.stringify(wire) };
    });
    ctx.ingest.submit(items, 'simulator').catch((err) => ctx.log.warn('simulator submit failed', err)).finally(() => { busy = false; });
  }, 250);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
