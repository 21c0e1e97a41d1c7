/** The logged-in user and their token; survives a reload through localStorage. */
import { request, setApiToken } from '../api';

export interface SessionUser { username: string; role: string; bureau: string; officer?: string }

const KEY = 'im.session';

class Session {
  user = $state<SessionUser | null>(null);
  token = $state<string | null>(null);
  ready = $state(false);

  async restore() {
    try {
      const raw = localStorage.getItem(KEY);
      if (raw) {
        const s = JSON.parse(raw) as { token: string; user: SessionUser };
        setApiToken(s.token);
        // The token may have expired or the server's secret changed: ask before trusting it.
        const me = await request('GET /api/auth/me');
        this.token = s.token;
        this.user = me.user;
      }
    } catch {
      this.clear();
    }
    this.ready = true;
  }

  async login(username: string, password: string) {
    const r = await request('POST /api/auth/login', { body: { username, password } });
    setApiToken(r.token);
    this.token = r.token;
    this.user = r.user;
    try { localStorage.setItem(KEY, JSON.stringify(r)); } catch { /* private mode */ }
  }

  async logout() {
    try { await request('POST /api/auth/logout'); } catch { /* already gone */ }
    this.clear();
  }

  private clear() {
    setApiToken(null);
    this.token = null;
    this.user = null;
    try { localStorage.removeItem(KEY); } catch { /* private mode */ }
  }
}

export const session = new Session();
