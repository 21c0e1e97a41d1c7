/**
 * The logged-in user. The browser authenticates with the HttpOnly session cookie only: no token is
 * kept where a script could read it (docs/security.md). A reload asks the server who we are.
 */
import { request, onUnauthorized } from '../api';

export interface SessionUser { username: string; role: string; bureau: string; officer?: string }

class Session {
  user = $state<SessionUser | null>(null);
  ready = $state(false);

  constructor() {
    // The server ended the session (logout elsewhere, revocation, idle or absolute limit): back to the login.
    onUnauthorized(() => { this.user = null; });
  }

  async restore() {
    try {
      const me = await request('GET /api/auth/me');
      this.user = me.user;
    } catch {
      this.user = null;
    }
    this.ready = true;
  }

  async login(username: string, password: string) {
    // The answer's token is for API clients; the browser keeps the cookie the same answer sets.
    const r = await request('POST /api/auth/login', { body: { username, password } });
    this.user = r.user;
  }

  async logout() {
    try { await request('POST /api/auth/logout'); } catch { /* already gone */ }
    this.user = null;
  }

  /** The socket was refused or dropped by the server: ask whether the session still stands. */
  async recheck(): Promise<boolean> {
    try { await request('GET /api/auth/me'); return true; } catch { return false; /* a 401 clears the user */ }
  }
}

export const session = new Session();
