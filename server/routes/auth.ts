/** POST /api/auth/login (rate limited, docs/security.md), POST /api/auth/logout, GET /api/auth/me */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE, requireUser, tokenFrom } from '../http/auth.js';
import { HttpError, badRequest, unauthorized } from '../http/errors.js';
import { sessionIdOf } from '../auth/sessions.js';
import { jsonBody } from '../http/json-body.js';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** Secure when the request came over TLS (directly or, with TRUST_PROXY, through the proxy) or when configured. */
const cookieOptions = (ctx: AppContext, req: Request) => ({
  httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure || ctx.config.COOKIE_SECURE === '1',
});

function tooMany(res: Response, retryAfterSeconds: number, by: 'account' | 'address'): never {
  res.set('Retry-After', String(retryAfterSeconds));
  throw new HttpError(429, 'too_many_requests', `login: too many failed attempts for this ${by}; retry in ${retryAfterSeconds} s`);
}

export function authRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/api/auth/login', jsonBody({ limit: '64kb' }), async (req, res) => {
    const body = loginSchema.safeParse(req.body);
    if (!body.success) throw badRequest(`${String(body.error.issues[0]?.path[0] ?? 'body')}: is required`);
    const { username, password } = body.data;
    const address = req.ip ?? '';
    const locked = await ctx.loginGuard.locked(username, address);
    if (locked) tooMany(res, locked.retryAfterSeconds, locked.by);
    const user = await ctx.users.login(username, password);
    if (!user) {
      const lockout = await ctx.loginGuard.failed(username, address);
      await ctx.audit.recordAll([
        { actor: username, action: 'login_failed', target: `user:${username}`, details: { address } },
        ...(lockout ? [{ actor: 'system', action: 'login_lockout', target: lockout.by === 'account' ? `user:${username}` : `address:${address}`, details: { ...lockout, address } }] : []),
      ]);
      if (lockout) tooMany(res, lockout.seconds, lockout.by);
      throw unauthorized('username or password is wrong');
    }
    await ctx.loginGuard.succeeded(username);
    const session = await ctx.sessions.create(user.username, address);
    await ctx.audit.record({ actor: user.username, action: 'login', target: `user:${user.username}`, details: { address, session: session.sessionId.slice(0, 12) } });
    res.cookie(SESSION_COOKIE, session.token, { ...cookieOptions(ctx, req), maxAge: session.expiresAt - ctx.clock() });
    res.json({ token: session.token, user: { username: user.username, role: user.role, bureau: user.bureau, officer: user.officer || undefined } });
  });
  r.post('/api/auth/logout', async (req, res) => {
    const token = tokenFrom(req);
    const a = token ? await ctx.sessions.authenticate(token) : null;
    if (a && token) {
      await ctx.sessions.revoke(sessionIdOf(token), 'logout');
      await ctx.audit.record({ actor: a.user.username, action: 'logout', target: `user:${a.user.username}` });
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions(ctx, req));
    res.json({ ok: true });
  });
  r.get('/api/auth/me', requireUser(ctx.sessions), (req, res) => {
    res.json({ user: req.user });
  });
  return r;
}
