/** POST /api/auth/login, /api/auth/logout, GET /api/auth/me */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE, requireUser } from '../http/auth.js';
import { badRequest, unauthorized } from '../http/errors.js';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export function authRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/api/auth/login', express.json({ limit: '64kb' }), async (req, res) => {
    const body = loginSchema.safeParse(req.body);
    if (!body.success) throw badRequest(`${String(body.error.issues[0]?.path[0] ?? 'body')}: is required`);
    const user = await ctx.users.login(body.data.username, body.data.password);
    await ctx.audit.record({ actor: body.data.username, action: user ? 'login' : 'login_failed', target: `user:${body.data.username}` });
    if (!user) throw unauthorized('username or password is wrong');
    const token = ctx.signer.sign(user);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
    res.json({ token, user: { username: user.username, role: user.role, bureau: user.bureau, officer: user.officer || undefined } });
  });
  r.post('/api/auth/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });
  r.get('/api/auth/me', requireUser(ctx.signer), (req, res) => {
    res.json({ user: req.user });
  });
  return r;
}
