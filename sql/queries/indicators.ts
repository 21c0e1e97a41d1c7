/** Indicator definition versions. */
import type { Store } from '../store.js';

export interface IndicatorVersionRow { id: string; version: number; created_at: number; author: string; def: string }

export async function latestIndicatorDefs(store: Store): Promise<IndicatorVersionRow[]> {
  const rows = await store.query<IndicatorVersionRow>(
    `SELECT id, version, toUnixTimestamp64Milli(created_at) AS created_at, author, def
     FROM indicator_versions ORDER BY id, version DESC LIMIT 1 BY id`);
  return rows.map((r) => ({ ...r, version: Number(r.version), created_at: Number(r.created_at) }));
}

export async function indicatorHistory(store: Store, id: string): Promise<IndicatorVersionRow[]> {
  const rows = await store.query<IndicatorVersionRow>(
    `SELECT id, version, toUnixTimestamp64Milli(created_at) AS created_at, author, def
     FROM indicator_versions WHERE id = {id:String} ORDER BY version DESC`, { id });
  return rows.map((r) => ({ ...r, version: Number(r.version), created_at: Number(r.created_at) }));
}

export async function insertIndicatorVersions(store: Store, rows: readonly IndicatorVersionRow[]): Promise<void> {
  await store.insert('indicator_versions', rows);
}
