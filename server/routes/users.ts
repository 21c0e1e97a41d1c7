/** GET/POST /api/users, PATCH /api/users/:username (admin). */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { ROLES } from '../../sql/queries/users.js';
import { publicUser } from '../users/service.js';
import { describeZodError } from '../reference/schema.js';
import { checkPassword } from '../auth/password-policy.js';

const role = z.enum(ROLES as ['admin', 'leader', 'discipline', 'analyst', 'tax']);
const createSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), password: z.string().max(256), role,
  bureau: z.string().min(1).max(16).default('HQ'), officer: z.string().max(32).optional(), display_name: z.string().max(64).optional(), active: z.boolean().optional(),
}).strict();
const patchSchema = createSchema.omit({ username: true }).partial().strict();

export function usersRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireUser(ctx.sessions, ['admin']);
  r.get('/api/users', admin, async (_req, res) => {
    res.json({ users: (await ctx.users.list()).map(publicUser) });
  });
  r.post('/api/users', admin, express.json(), async (req, res) => {
    const p = createSchema.safeParse(req.body);
    if (!p.success) throw badRequest(describeZodError(p.error));
    const pw = checkPassword(p.data.password, p.data.username);
    if (!pw.ok) throw badRequest(pw.error);
    const u = await ctx.users.create(p.data);
    if (!u) throw conflict(`username: ${p.data.username} exists`);
    await ctx.audit.record({ actor: req.user!.username, action: 'user_create', target: `user:${u.username}`, details: { role: u.role, bureau: u.bureau } });
    res.status(201).json({ user: publicUser(u) });
  });
  r.patch('/api/users/:username', admin, express.json(), async (req, res) => {
    const p = patchSchema.safeParse(req.body);
    if (!p.success) throw badRequest(describeZodError(p.error));
    if (p.data.password !== undefined) {
      const pw = checkPassword(p.data.password, String(req.params.username));
      if (!pw.ok) throw badRequest(pw.error);
    }
    const u = await ctx.users.update(String(req.params.username), p.data);
    if (!u) throw notFound('user not found');
    const { password: _pw, ...changed } = p.data;
    await ctx.audit.record({ actor: req.user!.username, action: 'user_update', target: `user:${u.username}`, details: { ...changed, password_changed: p.data.password !== undefined } });
    res.json({ user: publicUser(u) });
  });
  return r;
}
