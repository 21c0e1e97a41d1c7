/**
 * The process's memory as GET /api/health reports it, and the warning before it runs out: the
 * engine's keyed state grows with the work items inside its retention horizons (docs/reliability.md,
 * "What is not guaranteed"), and a JS heap at V8's limit ends the process. Above HEAP_WARN_SHARE of
 * the limit, health is `degraded` with the reason, so an operator sees it coming.
 */
import { getHeapStatistics } from 'node:v8';

export const HEAP_WARN_SHARE = 0.85;
const MiB = 2 ** 20;

export interface MemoryFigures { rss_mib: number; heap_used_mib: number; heap_limit_mib: number; external_mib: number }

export function memoryFigures(): MemoryFigures {
  const m = process.memoryUsage();
  return { rss_mib: Math.round(m.rss / MiB), heap_used_mib: Math.round(m.heapUsed / MiB), heap_limit_mib: Math.round(getHeapStatistics().heap_size_limit / MiB), external_mib: Math.round(m.external / MiB) };
}

/** The degraded reason for a heap this full, or null. */
export function heapReason(m: Pick<MemoryFigures, 'heap_used_mib' | 'heap_limit_mib'>, keyedEntries: number): string | null {
  if (!(m.heap_limit_mib > 0) || m.heap_used_mib < HEAP_WARN_SHARE * m.heap_limit_mib) return null;
  return `memory: the JS heap holds ${m.heap_used_mib} of its ${m.heap_limit_mib} MiB (${Math.round((100 * m.heap_used_mib) / m.heap_limit_mib)} %), `
    + `the engine ${keyedEntries} keyed entries: start the server with a larger --max-old-space-size, or lower the load`;
}
