/** Users: the latest row per username is the user. */
import type { Store } from '../store.js';

export type Role = 'admin' | 'leader' | 'discipline' | 'analyst' | 'tax';
export const ROLES: readonly Role[] = ['admin', 'leader', 'discipline', 'analyst', 'tax'];

export interface UserRow {
  username: string; password_hash: string; role: Role; bureau: string; officer: string; display_name: string; active: number; updated_at: number; version: number;
}

export async function listUsers(store: Store): Promise<UserRow[]> {
  const rows = await store.query<UserRow>(
    `SELECT username, password_hash, role, bureau, officer, display_name, active, toUnixTimestamp64Milli(updated_at) AS updated_at, version
     FROM users FINAL ORDER BY username`);
  return rows.map((r) => ({ ...r, active: Number(r.active), updated_at: Number(r.updated_at), version: Number(r.version) }));
}

export async function getUser(store: Store, username: string): Promise<UserRow | null> {
  const rows = await store.query<UserRow>(
    `SELECT username, password_hash, role, bureau, officer, display_name, active, toUnixTimestamp64Milli(updated_at) AS updated_at, version
     FROM users FINAL WHERE username = {username:String}`, { username });
  const r = rows[0];
  return r ? { ...r, active: Number(r.active), updated_at: Number(r.updated_at), version: Number(r.version) } : null;
}

/** `prevVersion`: the version being replaced, so the new row wins even within one millisecond (or a frozen test clock). */
export async function upsertUser(store: Store, u: Omit<UserRow, 'version' | 'updated_at'>, now: number, prevVersion = 0): Promise<UserRow> {
  const row: UserRow = { ...u, updated_at: now, version: Math.max(now * 1000 + Math.floor(Math.random() * 1000), prevVersion + 1) };
  await store.insert('users', [row]);
  return row;
}
