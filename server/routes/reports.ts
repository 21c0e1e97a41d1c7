/** Leader reports (docs/reports.md): list, produce on demand, read, and the printable PDF. */
import express, { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, forbidden, notFound, sendError, sendFailure } from '../http/errors.js';
import { intParam, parseInstant } from '../http/params.js';
import { reply } from '../http/reply.js';
import { REPORT_KINDS, type ReportKind } from '../reports/leader.js';
import { leaderReportPdf } from '../reports/leader-pdf.js';
import { findCjkFont } from '../reports/pdf.js';
import type { LeaderReportMeta } from '../../sql/queries/reports.js';
import { parseLang } from './exports.js';

export function reportMetaDTO(m: LeaderReportMeta) {
  return { id: m.id, kind: m.kind as ReportKind, scope: m.scope, from: new Date(m.period_from).toISOString(), to: new Date(m.period_to).toISOString(), created_at: new Date(m.created_at).toISOString(), trigger: m.trigger, created_by: m.created_by };
}

export function reportsRouter(ctx: AppContext): Router {
  const r = Router();
  const svc = () => ctx.services.reports;
  const auth = requireUser(ctx.sessions, ['leader']);
  const json = express.json({ limit: '16kb' });
  /** A bureau leader reads and makes only their bureau's reports. */
  const scopesOf = (req: Request) => { const b = bureauScope(req.user!); return b ? [b] : null; };
  const kindOf = (v: unknown, required: boolean): ReportKind | undefined => {
    if (v === undefined || v === '') { if (required) throw badRequest(`kind: required, one of ${REPORT_KINDS.join(', ')}`); return undefined; }
    if (typeof v !== 'string' || !(REPORT_KINDS as readonly string[]).includes(v)) throw badRequest(`kind: one of ${REPORT_KINDS.join(', ')}`);
    return v as ReportKind;
  };
  const visible = async (req: Request) => {
    const rep = await svc().get(String(req.params.id));
    const scopes = scopesOf(req);
    if (!rep || (scopes && !scopes.includes(rep.meta.scope))) throw notFound('report not found');
    return rep;
  };

  r.get('/api/reports', auth, async (req, res) => {
    const kind = kindOf(req.query.kind, false);
    const limit = intParam(req.query.limit, 'limit', 1, 1000) ?? 100;
    let scopes = scopesOf(req);
    if (typeof req.query.scope === 'string' && req.query.scope) {
      if (scopes && !scopes.includes(req.query.scope)) throw forbidden(`scope: outside your scope (${scopes[0]})`);
      scopes = [req.query.scope];
    }
    reply(res, 'GET /api/reports', { reports: (await svc().list({ kind, scopes, limit })).map(reportMetaDTO) });
  });

  r.post('/api/reports', auth, json, async (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const kind = kindOf(body.kind, true)!;
    const own = bureauScope(req.user!);
    const scope = body.scope === undefined ? own ?? 'city' : body.scope;
    if (typeof scope !== 'string' || !scope) throw badRequest('scope: city or a bureau code');
    if (own && scope !== own) throw forbidden(`scope: outside your scope (${own})`);
    const at = parseInstant(body.at, 'at');
    const out = await svc().create(kind, scope, at, req.user!.username);
    if (!out.ok) return sendFailure(res, out.error);
    reply(res, 'POST /api/reports', { ...reportMetaDTO(out.value.meta), report: out.value.data }, 201);
  });

  r.get('/api/reports/:id', auth, async (req, res) => {
    const rep = await visible(req);
    reply(res, 'GET /api/reports/:id', { ...reportMetaDTO(rep.meta), report: rep.data });
  });

  r.get('/api/reports/:id/pdf', auth, async (req, res) => {
    const lang = parseLang(req.query.lang);
    const rep = await visible(req);
    const font = findCjkFont(ctx.config.REPORT_FONT);
    if (!font) return sendError(res, 503, 'font_missing', 'REPORT_FONT: no CJK font found (install fonts-noto-cjk or set REPORT_FONT)');
    const pdf = await leaderReportPdf(rep.data, lang, font);
    await ctx.audit.record({ actor: req.user!.username, action: 'report_read', target: `report:${rep.meta.id}`, details: { format: 'pdf', lang } });
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `attachment; filename="${rep.meta.id}-${lang}.pdf"`);
    res.send(pdf);
  });
  return r;
}
