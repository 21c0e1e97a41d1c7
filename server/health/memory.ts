/**
 * The process's memory as GET /api/health reports it, and the warning before it runs out: the
 * engine's keyed state grows with the work items inside its retention horizons (docs/reliability.md,
 * "What is not guaranteed"), and a JS heap at V8's limit ends the process. Above HEAP_WARN_SHARE of
 * the limit, health is `degraded` with the reason, so an operator sees it coming.
 */
import { getHeapStatistics } from 'node:v8';

export const HEAP_WARN_SHARE = 0.85;
const MiB = 2 ** 20;

export interface MemoryFigures {
  rss_mib: number; heap_used_mib: number; heap_limit_mib: number; external_mib: number;
  /** V8's committed heap (used plus what it holds free for new objects: part of the rss the used figure does not show) */
  heap_total_mib: number;
  /** the store's memory tracker (embedded: inside this process's rss), as last sampled; null before the first sample */
  store_tracked_mib?: number | null;
}

export function memoryFigures(): MemoryFigures {
  const m = process.memoryUsage();
  return { rss_mib: Math.round(m.rss / MiB), heap_used_mib: Math.round(m.heapUsed / MiB), heap_total_mib: Math.round(m.heapTotal / MiB), heap_limit_mib: Math.round(getHeapStatistics().heap_size_limit / MiB), external_mib: Math.round(m.external / MiB) };
}

/** The degraded reason for a heap this full, or null. */
export function heapReason(m: Pick<MemoryFigures, 'heap_used_mib' | 'heap_limit_mib'>, keyedEntries: number): string | null {
  if (!(m.heap_limit_mib > 0) || m.heap_used_mib < HEAP_WARN_SHARE * m.heap_limit_mib) return null;
  return `memory: the JS heap holds ${m.heap_used_mib} of its ${m.heap_limit_mib} MiB (${Math.round((100 * m.heap_used_mib) / m.heap_limit_mib)} %), `
    + `the engine ${keyedEntries} keyed entries: start the server with a larger --max-old-space-size, or lower the load`;
}

/**
 * The store's tracked memory for health, without making health wait on the store: each read answers
 * the last sample and, when it is older than `everyMs`, starts the next one (one in flight at a time).
 */
export class StoreMemorySampler {
  private last: number | null = null;
  private at = -Infinity;
  private inFlight = false;
  constructor(private readonly read: () => Promise<number | null>, private readonly clock: () => number, private readonly everyMs = 5000) {}

  /** MiB at the last sample, or null. */
  mib(): number | null {
    if (!this.inFlight && this.clock() - this.at >= this.everyMs) {
      this.inFlight = true;
      this.read()
        .then((b) => { this.last = b === null ? null : Math.round(b / MiB); })
        .catch(() => { /* the store's reachability is health's own check */ })
        .finally(() => { this.inFlight = false; this.at = this.clock(); });
    }
    return this.last;
  }
}
