/** Session tokens: HMAC-signed, stateless, so a restart keeps everyone logged in. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../sql/queries/users.js';

export interface SessionUser { username: string; role: Role; bureau: string; officer: string }
interface Payload extends SessionUser { exp: number }

const TTL_MS = 12 * 3600 * 1000;

export class TokenSigner {
  constructor(private readonly secret: string, private readonly clock: () => number = Date.now) {}

  sign(user: SessionUser): string {
    const body = Buffer.from(JSON.stringify({ ...user, exp: this.clock() + TTL_MS } satisfies Payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string): SessionUser | null {
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (p.exp < this.clock()) return null;
      return { username: p.username, role: p.role, bureau: p.bureau, officer: p.officer ?? '' };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
