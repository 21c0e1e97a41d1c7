/**
 * Handovers to the discipline office (docs/handover.md): GET /api/handovers, GET /api/handovers/:id,
 * GET /api/handovers/:id/package (the evidence package, a zip), POST /api/handovers/:id/progress.
 */
import express, { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, notFound, sendFailure } from '../http/errors.js';
import { intParam, listParam } from '../http/params.js';
import { reply } from '../http/reply.js';
import { HANDOVER_STATES } from '../handover/service.js';
import { packageZip } from '../handover/archive.js';
import { findCjkFont } from '../reports/pdf.js';
import type { HandoverEventRow, HandoverRow } from '../../sql/queries/handovers.js';

const iso = (t: number) => new Date(t).toISOString();
export function handoverDTO(h: HandoverRow) {
  return {
    id: h.id, task_id: h.task_id, case_id: h.case_id || null, indicator: h.indicator, subject_officer: h.subject_officer, bureau: h.bureau, state: h.state,
    outcome: h.outcome || null, transferred_by: h.transferred_by, receipt_no: h.receipt_no || null, package_seq: h.package_seq, package_hash: h.package_hash,
    created_at: iso(h.created_at), updated_at: iso(h.updated_at),
  };
}
const stepDTO = (e: HandoverEventRow) => ({ seq: e.seq, ts: iso(e.ts), actor: e.actor, action: e.action, from: e.from_state || null, to: e.to_state, note: e.note || null, details: e.details ? JSON.parse(e.details) as unknown : null });

export function handoversRouter(ctx: AppContext): Router {
  const r = Router();
  const svc = () => ctx.services.handovers;
  const auth = requireUser(ctx.sessions, ['leader', 'discipline']);
  const json = express.json({ limit: '64kb' });
  const visible = async (req: Request) => {
    const h = await svc().get(String(req.params.id));
    const scope = bureauScope(req.user!);
    if (!h || (scope && h.bureau !== scope)) throw notFound('handover not found');
    return h;
  };

  r.get('/api/handovers', auth, async (req, res) => {
    const state = listParam(req, 'state');
    for (const s of state ?? []) if (!(HANDOVER_STATES as readonly string[]).includes(s)) throw badRequest(`state: unknown value ${s}`);
    const scope = bureauScope(req.user!);
    const rows = await svc().list({ state, bureau: scope ? [scope] : listParam(req, 'bureau'), limit: intParam(req.query.limit, 'limit', 1, 1000) ?? 100 });
    reply(res, 'GET /api/handovers', { handovers: rows.map(handoverDTO), next: null });
  });

  r.get('/api/handovers/:id', auth, async (req, res) => {
    const h = await visible(req);
    reply(res, 'GET /api/handovers/:id', { ...handoverDTO(h), history: (await svc().history(h.id)).map(stepDTO) });
  });

  r.get('/api/handovers/:id/package', auth, async (req, res) => {
    const h = await visible(req);
    const pkg = await svc().package(h.id);
    if (!pkg) throw notFound('the handover has no package');
    const zip = await packageZip(pkg, findCjkFont(ctx.config.REPORT_FONT));
    await ctx.audit.record({ actor: req.user!.username, action: 'handover_download', target: `handover:${h.id}`, details: { task: h.task_id, events: pkg.events.map((e) => e.id) } });
    res.setHeader('content-type', 'application/zip');
    res.setHeader('content-disposition', `attachment; filename="${h.id}.zip"`);
    res.send(Buffer.from(zip));
  });

  r.post('/api/handovers/:id/progress', auth, json, async (req, res) => {
    await visible(req);
    const out = await svc().advance(String(req.params.id), req.user!, (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>);
    if (!out.ok) return sendFailure(res, out.error);
    reply(res, 'POST /api/handovers/:id/progress', handoverDTO(out.value));
  });
  return r;
}
