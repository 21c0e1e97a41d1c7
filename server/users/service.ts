/** Users: bootstrap of admin, login, and administration. */
import type { Store } from '../../sql/store.js';
import { getUser, listUsers, upsertUser, type Role, type UserRow } from '../../sql/queries/users.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SessionUser } from '../auth/tokens.js';

export type PublicUser = Omit<UserRow, 'password_hash' | 'version' | 'updated_at' | 'active'> & { active: boolean; updated_at: string };

export const publicUser = (u: UserRow): PublicUser => ({
  username: u.username, role: u.role, bureau: u.bureau, officer: u.officer, display_name: u.display_name,
  active: u.active === 1, updated_at: new Date(u.updated_at).toISOString(),
});

export class UserService {
  constructor(private readonly store: Store, private readonly clock: () => number) {}

  /** Creates admin on first start; with ADMIN_PASSWORD given, resets admin's password at every start. */
  async bootstrapAdmin(password: string, reset: boolean): Promise<'created' | 'reset' | 'kept'> {
    const admin = await getUser(this.store, 'admin');
    if (admin && !reset) return 'kept';
    if (admin && (await verifyPassword(password, admin.password_hash))) return 'kept';
    await upsertUser(this.store, { username: 'admin', password_hash: await hashPassword(password), role: 'admin', bureau: 'HQ', officer: '', display_name: '管理员 Administrator', active: 1 }, this.clock());
    return admin ? 'reset' : 'created';
  }

  async login(username: string, password: string): Promise<SessionUser | null> {
    const u = await getUser(this.store, username);
    if (!u || u.active !== 1) {
      await hashPassword(password); // same cost whether or not the user exists
      return null;
    }
    if (!(await verifyPassword(password, u.password_hash))) return null;
    return { username: u.username, role: u.role, bureau: u.bureau, officer: u.officer };
  }

  list() { return listUsers(this.store); }
  get(username: string) { return getUser(this.store, username); }

  async create(input: { username: string; password: string; role: Role; bureau: string; officer?: string; display_name?: string; active?: boolean }): Promise<UserRow | null> {
    if (await getUser(this.store, input.username)) return null;
    return upsertUser(this.store, {
      username: input.username, password_hash: await hashPassword(input.password), role: input.role, bureau: input.bureau,
      officer: input.officer ?? '', display_name: input.display_name ?? input.username, active: input.active === false ? 0 : 1,
    }, this.clock());
  }

  async update(username: string, patch: { password?: string; role?: Role; bureau?: string; officer?: string; display_name?: string; active?: boolean }): Promise<UserRow | null> {
    const u = await getUser(this.store, username);
    if (!u) return null;
    return upsertUser(this.store, {
      username, password_hash: patch.password ? await hashPassword(patch.password) : u.password_hash,
      role: patch.role ?? u.role, bureau: patch.bureau ?? u.bureau, officer: patch.officer ?? u.officer,
      display_name: patch.display_name ?? u.display_name, active: patch.active === undefined ? u.active : patch.active ? 1 : 0,
    }, this.clock(), u.version);
  }
}
