/** The store's own memory, as its memory tracker counts it (GET /api/health beside the process RSS). */
import type { Store } from '../store.js';

/** Bytes ClickHouse's memory tracker holds now (queries, merges, inserts in flight; not the OS's page cache). */
export async function storeTrackedMemoryBytes(store: Store): Promise<number | null> {
  const rows = await store.query<{ value: number | string }>("SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'");
  return rows[0] === undefined ? null : Number(rows[0].value);
}
