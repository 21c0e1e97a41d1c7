/** Reference data versions: each change stores the whole resulting set. */
import type { Store } from '../store.js';
import type { ReferenceData } from '../../streams/types.js';

export interface ReferenceVersion { version: number; created_at: number; author: string; lists: string[]; data: ReferenceData }

export async function latestReference(store: Store): Promise<ReferenceVersion | null> {
  const rows = await store.query<{ version: number; created_at: number; author: string; lists: string[]; data: string }>(
    `SELECT version, toUnixTimestamp64Milli(created_at) AS created_at, author, lists, data
     FROM reference_versions ORDER BY version DESC LIMIT 1`);
  const r = rows[0];
  return r ? { version: Number(r.version), created_at: Number(r.created_at), author: r.author, lists: r.lists, data: JSON.parse(r.data) as ReferenceData } : null;
}

export async function insertReferenceVersion(store: Store, v: ReferenceVersion): Promise<void> {
  await store.insert('reference_versions', [{ version: v.version, created_at: v.created_at, author: v.author, lists: v.lists, data: JSON.stringify(v.data) }]);
}

export async function listReferenceVersions(store: Store): Promise<Omit<ReferenceVersion, 'data'>[]> {
  const rows = await store.query<{ version: number; created_at: number; author: string; lists: string[] }>(
    `SELECT version, toUnixTimestamp64Milli(created_at) AS created_at, author, lists FROM reference_versions ORDER BY version DESC`);
  return rows.map((r) => ({ version: Number(r.version), created_at: Number(r.created_at), author: r.author, lists: r.lists }));
}

/** One stored version (the data as it stood), or null. */
export async function referenceVersion(store: Store, version: number): Promise<ReferenceVersion | null> {
  const rows = await store.query<{ version: number; created_at: number; author: string; lists: string[]; data: string }>(
    `SELECT version, toUnixTimestamp64Milli(created_at) AS created_at, author, lists, data FROM reference_versions WHERE version = {version:UInt32} LIMIT 1`, { version });
  const r = rows[0];
  return r ? { version: Number(r.version), created_at: Number(r.created_at), author: r.author, lists: r.lists, data: JSON.parse(r.data) as ReferenceData } : null;
}
