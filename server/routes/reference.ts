/** GET/PUT /api/reference: read by anyone logged in, replaced list by list by an admin, versioned. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { reply } from '../http/reply.js';
import { describeZodError, referencePatchSchema } from '../reference/schema.js';
import { jsonBody } from '../http/json-body.js';

export function referenceRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/reference', requireUser(ctx.sessions), (_req, res) => {
    const cur = ctx.reference.current;
    res.set('X-Reference-Version', String(cur.version));
    reply(res, 'GET /api/reference', { version: cur.version, ...cur.data });
  });
  r.get('/api/reference/versions', requireUser(ctx.sessions, ['admin']), async (_req, res) => {
    const versions = await ctx.reference.versions();
    res.json({ versions: versions.map((v) => ({ ...v, created_at: new Date(v.created_at).toISOString(), valid_from: new Date(v.valid_from ?? v.created_at).toISOString() })) });
  });
  r.put('/api/reference', requireUser(ctx.sessions, ['admin']), jsonBody({ limit: '16mb' }), async (req, res) => {
    const { version: _ignored, valid_from: validRaw, ...body } = (req.body ?? {}) as Record<string, unknown>;
    // A version valid from a past time: reference data as it stood then, for imported history (docs/imports.md).
    let validFrom: number | undefined;
    if (validRaw !== undefined) {
      validFrom = typeof validRaw === 'string' ? Date.parse(validRaw) : NaN;
      if (!Number.isFinite(validFrom)) throw badRequest('valid_from: must be an ISO-8601 instant');
    }
    const parsed = referencePatchSchema.safeParse(body);
    if (!parsed.success) throw badRequest(describeZodError(parsed.error));
    const next = await ctx.reference.replace(parsed.data, req.user!.username, validFrom);
    await ctx.audit.record({ actor: req.user!.username, action: 'reference_change', target: `reference:v${next.version}`, details: { lists: Object.keys(parsed.data), ...(validFrom === undefined ? {} : { valid_from: new Date(validFrom).toISOString() }) } });
    res.json({ version: next.version, ...next.data });
  });
  return r;
}
