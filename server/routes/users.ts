/** GET/POST /api/users, PATCH /api/users/:username (admin). */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { guardedPart, holdsPower, invalidResult, userChangeDraft } from '../users/changes.js';
import { outcomeValue, sendProposal } from './proposals.js';
import { proposalToDTO } from '../proposals/service.js';
import { ROLES } from '../../sql/queries/users.js';
import { publicUser } from '../users/service.js';
import { describeZodError } from '../reference/schema.js';
import { checkPassword } from '../auth/password-policy.js';
import { jsonBody } from '../http/json-body.js';

const role = z.enum(ROLES as ['admin', 'leader', 'discipline', 'analyst', 'tax']);
const createSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), password: z.string().max(256), role,
  bureau: z.string().min(1).max(16).default('HQ'), officer: z.string().max(32).optional(), display_name: z.string().max(64).optional(), active: z.boolean().optional(),
}).strict();
// No default bureau in a patch: a patch without `bureau` leaves the bureau as it is.
const patchSchema = createSchema.omit({ username: true, bureau: true }).partial().extend({ bureau: z.string().min(1).max(16).optional() }).strict();

export function usersRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireUser(ctx.sessions, ['admin']);
  r.get('/api/users', admin, async (_req, res) => {
    res.json({ users: (await ctx.users.list()).map(publicUser) });
  });
  r.post('/api/users', admin, jsonBody(), async (req, res) => {
    const { reason, ...body } = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const p = createSchema.safeParse(body);
    if (!p.success) throw badRequest(describeZodError(p.error));
    const pw = checkPassword(p.data.password, p.data.username);
    if (!pw.ok) throw badRequest(pw.error);
    const bad = invalidResult({ role: p.data.role, officer: p.data.officer ?? '' });
    if (bad) throw badRequest(bad);
    // A new account that holds four-eyes powers is created inactive; its activation is a proposal.
    const powerful = holdsPower(p.data) && p.data.active !== false;
    const u = await ctx.users.create(powerful ? { ...p.data, active: false } : p.data);
    if (!u) throw conflict(`username: ${p.data.username} exists`);
    await ctx.audit.record({ actor: req.user!.username, action: 'user_create', target: `user:${u.username}`, details: { role: u.role, bureau: u.bureau, pending_activation: powerful || undefined } });
    if (!powerful) { res.status(201).json({ user: publicUser(u) }); return; }
    const o = outcomeValue(await ctx.proposals.propose(userChangeDraft(u.username, { active: true }, typeof reason === 'string' && reason.trim() ? reason : `new ${u.role} account`, true), req.user!));
    res.status(202).json({ user: publicUser(u), proposal: proposalToDTO(o) });
  });
  r.patch('/api/users/:username', admin, jsonBody(), async (req, res) => {
    const { reason, ...body } = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const p = patchSchema.safeParse(body);
    if (!p.success) throw badRequest(describeZodError(p.error));
    const username = String(req.params.username);
    const cur = await ctx.users.get(username);
    if (!cur) throw notFound('user not found');
    const guarded = guardedPart(cur, p.data);
    if (Object.keys(guarded).length) {
      if (p.data.password !== undefined) throw badRequest('password: change it in a request of its own (role, bureau, officer and reactivation wait for a second person)');
      const bad = invalidResult({ role: guarded.role ?? cur.role, officer: guarded.officer ?? cur.officer });
      if (bad) throw badRequest(bad);
      const draft = userChangeDraft(username, { ...guarded, ...(p.data.display_name !== undefined ? { display_name: p.data.display_name } : {}) }, typeof reason === 'string' && reason.trim() ? reason : 'user change');
      sendProposal(res, await ctx.proposals.propose(draft, req.user!));
      return;
    }
    // Setting the password of another powerful account would let one person log in as the second.
    if (p.data.password !== undefined && holdsPower(cur) && username !== req.user!.username) throw forbidden('password: an administrator or HQ leader sets their own password');
    if (p.data.password !== undefined) {
      const pw = checkPassword(p.data.password, username);
      if (!pw.ok) throw badRequest(pw.error);
    }
    const u = await ctx.users.update(username, p.data);
    if (!u) throw notFound('user not found');
    const { password: _pw, ...changed } = p.data;
    await ctx.audit.record({ actor: req.user!.username, action: 'user_update', target: `user:${u.username}`, details: { ...changed, password_changed: p.data.password !== undefined } });
    res.json({ user: publicUser(u) });
  });
  return r;
}
