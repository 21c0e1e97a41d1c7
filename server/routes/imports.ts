/**
 * Imports of history (admin; docs/imports.md): POST /api/imports?format=ndjson|csv|parquet with the
 * file as the body (streamed to disk, no size limit) → 202 {id}; GET /api/imports/:id its progress;
 * GET /api/imports the history; DELETE /api/imports/:id cancels.
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { reply } from '../http/reply.js';
import type { ImportFormat } from '../../sql/queries/imports.js';
import { importToDTO } from '../imports/dto.js';

const FORMATS: readonly ImportFormat[] = ['ndjson', 'csv', 'parquet'];

export function importsRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireUser(ctx.sessions, []);
  const imports = () => ctx.services.imports;

  r.post('/api/imports', admin, async (req, res) => {
    const format = req.query.format;
    if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) throw badRequest(`format: must be one of ${FORMATS.join(', ')}`);
    const push = req.query.push_alerts;
    if (push !== undefined && push !== '0' && push !== '1') throw badRequest('push_alerts: must be 0 or 1');
    const name = req.query.name;
    if (name !== undefined && (typeof name !== 'string' || name.length > 500)) throw badRequest('name: must be a text of at most 500 characters');
    const out = await imports().start(req, { format: format as ImportFormat, fileName: typeof name === 'string' ? name : '', pushAlerts: push === '1', author: req.user!.username });
    if (!out.ok) throw badRequest(out.message);
    reply(res, 'POST /api/imports', { id: out.id }, 202);
  });

  r.get('/api/imports', admin, async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const rows = await imports().list(limit);
    reply(res, 'GET /api/imports', { imports: rows.map((x) => importToDTO(x)) });
  });

  r.get('/api/imports/:id', admin, async (req, res) => {
    const p = await imports().get(String(req.params.id));
    if (!p) throw notFound('import not found');
    reply(res, 'GET /api/imports/:id', importToDTO(p));
  });

  r.delete('/api/imports/:id', admin, async (req, res) => {
    const out = await imports().cancel(String(req.params.id), req.user!.username);
    if (!out.ok) throw out.code === 'not_found' ? notFound(out.message) : conflict(out.message);
    reply(res, 'DELETE /api/imports/:id', importToDTO(out.value));
  });
  return r;
}
