/**
 * Users: bootstrap of admin, login, and administration. The users are kept in memory as well
 * (written through), so every request and socket event reads the current role, scope and active
 * flag without a query; this process is the only writer of the users table.
 */
import type { Store } from '../../sql/store.js';
import { getUser, listUsers, upsertUser, type Role, type UserRow } from '../../sql/queries/users.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SessionUser } from '../auth/tokens.js';

export type PublicUser = Omit<UserRow, 'password_hash' | 'version' | 'updated_at' | 'active'> & { active: boolean; updated_at: string };

export const publicUser = (u: UserRow): PublicUser => ({
  username: u.username, role: u.role, bureau: u.bureau, officer: u.officer, display_name: u.display_name,
  active: u.active === 1, updated_at: new Date(u.updated_at).toISOString(),
});

export type UserPatch = { password?: string; role?: Role; bureau?: string; officer?: string; display_name?: string; active?: boolean };

/** A change that ends the user's sessions: what they may see or do, or who may log in as them. */
export function securityChange(u: UserRow, patch: UserPatch): string | null {
  if (patch.active === false && u.active === 1) return 'deactivated';
  if (patch.password !== undefined) return 'password_changed';
  if (patch.role !== undefined && patch.role !== u.role) return 'role_changed';
  if (patch.bureau !== undefined && patch.bureau !== u.bureau) return 'bureau_changed';
  if (patch.officer !== undefined && patch.officer !== u.officer) return 'officer_changed';
  return null;
}

export class UserService {
  private cache: Map<string, UserRow> | null = null;
  private readonly securityHooks: ((username: string, reason: string) => Promise<unknown>)[] = [];

  constructor(private readonly store: Store, private readonly clock: () => number) {}

  /** Runs before a change that must end the user's sessions (so a failed write leaves them logged out, not in). */
  beforeSecurityChange(fn: (username: string, reason: string) => Promise<unknown>): void { this.securityHooks.push(fn); }

  /** Loads the users into memory (again after a degraded start). */
  async load(): Promise<void> {
    this.cache = new Map((await listUsers(this.store)).map((u) => [u.username, u]));
  }

  private async users(): Promise<Map<string, UserRow>> {
    if (!this.cache) await this.load();
    return this.cache!;
  }

  /** The current user as sessions see it, or null (unknown, inactive, or users not loaded yet). */
  current(username: string): SessionUser | null {
    const u = this.cache?.get(username);
    if (!u || u.active !== 1) return null;
    return { username: u.username, role: u.role, bureau: u.bureau, officer: u.officer };
  }

  get loaded(): boolean { return this.cache !== null; }

  private async save(u: Omit<UserRow, 'version' | 'updated_at'>): Promise<UserRow> {
    // The replaced row's version: the new row wins even within one millisecond (or under a frozen test clock).
    const row = await upsertUser(this.store, u, this.clock(), (await this.users()).get(u.username)?.version ?? 0);
    (await this.users()).set(row.username, row);
    return row;
  }

  /** Creates admin on first start; with ADMIN_PASSWORD given, resets admin's password at every start. */
  async bootstrapAdmin(password: string, reset: boolean): Promise<'created' | 'reset' | 'kept'> {
    const admin = await getUser(this.store, 'admin');
    if (admin && !reset) return 'kept';
    if (admin && (await verifyPassword(password, admin.password_hash))) return 'kept';
    if (admin) for (const h of this.securityHooks) await h('admin', 'password_reset');
    await this.save({ username: 'admin', password_hash: await hashPassword(password), role: 'admin', bureau: 'HQ', officer: '', display_name: '管理员 Administrator', active: 1 });
    return admin ? 'reset' : 'created';
  }

  async login(username: string, password: string): Promise<SessionUser | null> {
    const u = (await this.users()).get(username);
    if (!u || u.active !== 1) {
      await hashPassword(password); // same cost whether or not the user exists
      return null;
    }
    if (!(await verifyPassword(password, u.password_hash))) return null;
    return { username: u.username, role: u.role, bureau: u.bureau, officer: u.officer };
  }

  async list() { return [...(await this.users()).values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)); }
  async get(username: string) { return (await this.users()).get(username) ?? null; }

  async create(input: { username: string; password: string; role: Role; bureau: string; officer?: string; display_name?: string; active?: boolean }): Promise<UserRow | null> {
    if ((await this.users()).has(input.username)) return null;
    return this.save({
      username: input.username, password_hash: await hashPassword(input.password), role: input.role, bureau: input.bureau,
      officer: input.officer ?? '', display_name: input.display_name ?? input.username, active: input.active === false ? 0 : 1,
    });
  }

  async update(username: string, patch: UserPatch): Promise<UserRow | null> {
    const u = (await this.users()).get(username);
    if (!u) return null;
    const reason = securityChange(u, patch);
    if (reason) for (const h of this.securityHooks) await h(username, reason);
    return this.save({
      username, password_hash: patch.password ? await hashPassword(patch.password) : u.password_hash,
      role: patch.role ?? u.role, bureau: patch.bureau ?? u.bureau, officer: patch.officer ?? u.officer,
      display_name: patch.display_name ?? u.display_name, active: patch.active === undefined ? u.active : patch.active ? 1 : 0,
    });
  }
}
