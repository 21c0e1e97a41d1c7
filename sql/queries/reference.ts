/** Reference data versions: each change stores the whole resulting set. */
import type { Store } from '../store.js';
import type { ReferenceData } from '../../streams/types.js';

/** `valid_from`: from when the version describes the world (history is judged by the version valid at each event's ts); default created_at. */
export interface ReferenceVersion { version: number; created_at: number; author: string; lists: string[]; data: ReferenceData; valid_from?: number }

type VersionRow = { version: number; created_at: number; valid_from: number; author: string; lists: string[]; data: string };
const fromVersionRow = (r: VersionRow): ReferenceVersion => ({
  version: Number(r.version), created_at: Number(r.created_at), valid_from: Number(r.valid_from), author: r.author, lists: r.lists, data: JSON.parse(r.data) as ReferenceData,
});
const VERSION_COLUMNS = 'version, toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(valid_from) AS valid_from, author, lists, data';

/** The version valid now: the latest validity start not after `now` (ties: the higher version); without `now`, the highest version. */
export async function latestReference(store: Store, now?: number): Promise<ReferenceVersion | null> {
  const rows = now === undefined
    ? await store.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM reference_versions ORDER BY version DESC LIMIT 1`)
    : await store.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM reference_versions ORDER BY valid_from <= fromUnixTimestamp64Milli({now:Int64}) DESC, valid_from DESC, version DESC LIMIT 1`, { now });
  return rows[0] ? fromVersionRow(rows[0]) : null;
}

/** Every version with its data, by validity start (the isolated replay's reference as of each event time). */
export async function referenceVersionsByValidity(store: Store): Promise<ReferenceVersion[]> {
  const rows = await store.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM reference_versions ORDER BY valid_from, version`);
  return rows.map(fromVersionRow);
}

export async function maxReferenceVersion(store: Store): Promise<number> {
  const [r] = await store.query<{ v: number }>('SELECT max(version) AS v FROM reference_versions');
  return Number(r?.v ?? 0);
}

export async function insertReferenceVersion(store: Store, v: ReferenceVersion): Promise<void> {
  await store.insert('reference_versions', [{ version: v.version, created_at: v.created_at, valid_from: v.valid_from ?? v.created_at, author: v.author, lists: v.lists, data: JSON.stringify(v.data) }]);
}

export async function listReferenceVersions(store: Store): Promise<Omit<ReferenceVersion, 'data'>[]> {
  const rows = await store.query<{ version: number; created_at: number; valid_from: number; author: string; lists: string[] }>(
    `SELECT version, toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(valid_from) AS valid_from, author, lists FROM reference_versions ORDER BY version DESC`);
  return rows.map((r) => ({ version: Number(r.version), created_at: Number(r.created_at), valid_from: Number(r.valid_from), author: r.author, lists: r.lists }));
}

/** One stored version (the data as it stood), or null. */
export async function referenceVersion(store: Store, version: number): Promise<ReferenceVersion | null> {
  const rows = await store.query<{ version: number; created_at: number; author: string; lists: string[]; data: string }>(
    `SELECT version, toUnixTimestamp64Milli(created_at) AS created_at, author, lists, data FROM reference_versions WHERE version = {version:UInt32} LIMIT 1`, { version });
  const r = rows[0];
  return r ? { version: Number(r.version), created_at: Number(r.created_at), author: r.author, lists: r.lists, data: JSON.parse(r.data) as ReferenceData } : null;
}
