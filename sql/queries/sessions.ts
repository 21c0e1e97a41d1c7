/** Server-side sessions: the latest row per id is the session (sql/migrations/050_sessions.sql). */
import type { Store } from '../store.js';

export interface SessionRow {
  id: string; username: string; created_at: number; last_seen: number; expires_at: number;
  revoked_at: number; revoked_reason: string; address: string;
}

let seq = 0;
/** Versions grow within a millisecond too, so a revocation written right after a touch wins. */
const version = (now: number) => now * 1000 + (seq = (seq + 1) % 1000);

export async function saveSessions(store: Store, rows: readonly SessionRow[], now: number): Promise<void> {
  await store.insert('sessions', rows.map((r) => ({ ...r, version: version(now) })));
}

/** Sessions neither revoked nor past their absolute end at `now`. */
export async function liveSessions(store: Store, now: number): Promise<SessionRow[]> {
  const rows = await store.query<SessionRow>(
    `SELECT id, username, toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(last_seen) AS last_seen,
            toUnixTimestamp64Milli(expires_at) AS expires_at, toUnixTimestamp64Milli(revoked_at) AS revoked_at, revoked_reason, address
     FROM sessions FINAL WHERE revoked_reason = '' AND expires_at > fromUnixTimestamp64Milli({now:Int64})`, { now });
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at), last_seen: Number(r.last_seen), expires_at: Number(r.expires_at), revoked_at: Number(r.revoked_at) }));
}
