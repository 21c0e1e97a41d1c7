/**
 * Server-side sessions. A token is 32 random bytes; the server keeps only its SHA-256, in memory
 * and in ClickHouse (so a restart, kill -9 included, keeps everyone logged in). Every use checks
 * the session (not revoked, not idle past SESSION_IDLE_MINUTES, not older than
 * SESSION_ABSOLUTE_HOURS) and reads the user's current role, bureau and active flag: nothing the
 * token carries is trusted. Logout, deactivation, a role, bureau, officer or password change end
 * sessions at once; `ended$` tells the socket layer which connections to drop.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Subject } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { liveSessions, saveSessions, type SessionRow } from '../../sql/queries/sessions.js';
import type { SessionUser } from './tokens.js';
import type { Logger } from '../log.js';

export interface SessionLimits { idleMs: number; absoluteMs: number }

export interface Authenticated { user: SessionUser; sessionId: string }

export interface SessionDeps {
  store: Store;
  clock: () => number;
  log: Logger;
  /** The current user, or null when unknown or inactive. */
  currentUser(username: string): SessionUser | null;
  /** Loads what currentUser reads (the users), with the sessions. */
  loadUsers(): Promise<void>;
  limits: SessionLimits;
}

/** Sessions that ended, and why; sockets authenticated by them are disconnected. */
export interface SessionsEnded { ids: string[]; username: string; reason: string }

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionService {
  private readonly live = new Map<string, SessionRow & { persisted_seen: number }>();
  private loaded: Promise<void> | null = null;
  readonly ended$ = new Subject<SessionsEnded>();

  constructor(private readonly deps: SessionDeps) {}

  get limits(): SessionLimits { return this.deps.limits; }

  /** Loads live sessions from the store; retried on the next use while the store is down. */
  load(): Promise<void> {
    this.loaded ??= Promise.all([liveSessions(this.deps.store, this.deps.clock()), this.deps.loadUsers()]).then(
      ([rows]) => { for (const r of rows) if (!this.live.has(r.id)) this.live.set(r.id, { ...r, persisted_seen: r.last_seen }); },
      (err) => { this.loaded = null; throw err; },
    );
    return this.loaded;
  }

  async create(username: string, address: string): Promise<{ token: string; sessionId: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock();
    const row: SessionRow = { id: sessionIdOf(token), username, created_at: now, last_seen: now, expires_at: now + this.deps.limits.absoluteMs, revoked_at: 0, revoked_reason: '', address };
    await saveSessions(this.deps.store, [row], now);
    this.live.set(row.id, { ...row, persisted_seen: now });
    return { token, sessionId: row.id, expiresAt: row.expires_at };
  }

  /** The user a token acts as now, or null; a use counts as activity for the idle limit. */
  async authenticate(token: string): Promise<Authenticated | null> {
    if (!token) return null;
    await this.load().catch(() => undefined);
    return this.check(sessionIdOf(token), true);
  }

  /** Checks a session by id (sockets keep the id, not the token). */
  check(sessionId: string, touch: boolean): Authenticated | null {
    const s = this.live.get(sessionId);
    if (!s) return null;
    const now = this.deps.clock();
    const expired = now >= s.expires_at ? 'expired' : now - s.last_seen >= this.deps.limits.idleMs ? 'idle' : null;
    const user = this.deps.currentUser(s.username);
    if (expired || !user) {
      this.end([s.id], s.username, expired ?? 'user_inactive').catch((err) => this.deps.log.warn('session end not stored', err instanceof Error ? err.message : err));
      return null;
    }
    if (touch) {
      s.last_seen = now;
      // Persisted now and then, not on every request: after a crash the idle clock runs from a little earlier.
      if (now - s.persisted_seen >= Math.min(60_000, this.deps.limits.idleMs / 4)) {
        s.persisted_seen = now;
        saveSessions(this.deps.store, [stripped(s)], now).catch((err) => this.deps.log.warn('session touch not stored', err instanceof Error ? err.message : err));
      }
    }
    return { user, sessionId: s.id };
  }

  /** Ends one session (logout). */
  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const s = this.live.get(sessionId);
    if (!s) return false;
    await this.end([sessionId], s.username, reason);
    return true;
  }

  /** Ends every session of a user; stored before it returns. */
  async revokeUser(username: string, reason: string): Promise<number> {
    await this.load().catch(() => undefined);
    const ids = [...this.live.values()].filter((s) => s.username === username).map((s) => s.id);
    await this.end(ids, username, reason);
    return ids.length;
  }

  /** Sessions past a limit are ended (the socket layer calls this periodically). */
  sweep(): number {
    let n = 0;
    for (const id of [...this.live.keys()]) if (!this.check(id, false)) n++;
    return n;
  }

  sessionsOf(username: string): number { return [...this.live.values()].filter((s) => s.username === username).length; }

  private async end(ids: string[], username: string, reason: string): Promise<void> {
    const now = this.deps.clock();
    const rows: SessionRow[] = [];
    for (const id of ids) {
      const s = this.live.get(id);
      if (!s) continue;
      this.live.delete(id);
      rows.push({ ...stripped(s), revoked_at: now, revoked_reason: reason });
    }
    if (!rows.length) return;
    // Memory first: from here on no request or socket event passes, even while the store write runs.
    this.ended$.next({ ids: rows.map((r) => r.id), username, reason });
    await saveSessions(this.deps.store, rows, now);
  }
}

function stripped(s: SessionRow & { persisted_seen?: number }): SessionRow {
  const { persisted_seen: _p, ...row } = s;
  return row;
}
