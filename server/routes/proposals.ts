/**
 * Four-eyes proposals: GET /api/proposals, GET /api/proposals/:id,
 * POST /api/proposals/:id/approve | reject | withdraw (administrators and HQ leaders).
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { requireUser } from '../http/auth.js';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors.js';
import { proposalToDTO, type Proposal } from '../proposals/service.js';
import type { FailureCode, Outcome } from '../outcome.js';
import { PROPOSAL_KINDS, PROPOSAL_STATES, isHqLeader } from '../../streams/workflow/four-eyes.js';
import { listParam } from '../http/params.js';
import { jsonBody } from '../http/json-body.js';

const STATUS: Record<FailureCode, number> = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** An outcome of the proposal service as the HTTP answer (an error becomes its status). */
export function outcomeValue<T>(o: Outcome<T>): T {
  if (!o.ok) throw new HttpError(STATUS[o.error.code], o.error.code, o.error.message);
  return o.value;
}

/** The 202 answer of a guarded endpoint: the change waits for a second person. */
export function sendProposal(res: Response, o: Outcome<Proposal>): void {
  const p = outcomeValue(o);
  res.status(202).json({ proposal: proposalToDTO(p), message: 'the change takes effect when a second authorised person approves it (POST /api/proposals/:id/approve)' });
}

/** After requireUser(…, ['leader']): lets administrators and HQ leaders through (they propose and decide), refuses bureau leaders. */
export const adminOrHqLeader = (req: Request, _res: Response, next: (err?: unknown) => void) =>
  next(req.user!.role === 'admin' || isHqLeader(req.user!) ? undefined : forbidden('only administrators and HQ leaders propose or decide guarded changes'));

export function proposalsRouter(ctx: AppContext): Router {
  const r = Router();
  const json = jsonBody({ limit: '64kb' });
  const auth = requireUser(ctx.sessions, ['leader']);
  // Bureau leaders neither propose nor decide; the role check above lets admin and every leader through.
  const hqOnly = adminOrHqLeader;
  const note = (req: Request) => {
    const n = (req.body as { note?: unknown } | undefined)?.note;
    if (n !== undefined && typeof n !== 'string') throw badRequest('note: must be a string');
    if (typeof n === 'string' && n.length > 4000) throw badRequest('note: at most 4,000 characters');
    return (n ?? '').trim();
  };

  r.get('/api/proposals', auth, hqOnly, async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit: must be an integer 1–1000');
    const state = listParam(req, 'state');
    const kind = listParam(req, 'kind');
    for (const s of state ?? []) if (!(PROPOSAL_STATES as readonly string[]).includes(s)) throw badRequest(`state: unknown value ${s}`);
    for (const k of kind ?? []) if (!(PROPOSAL_KINDS as readonly string[]).includes(k)) throw badRequest(`kind: unknown value ${k}`);
    const rows = await ctx.proposals.list({ state, kind, target: typeof req.query.target === 'string' ? req.query.target : undefined, limit });
    res.json({ proposals: rows.map(proposalToDTO) });
  });

  r.get('/api/proposals/:id', auth, hqOnly, async (req, res) => {
    const p = await ctx.proposals.get(String(req.params.id));
    if (!p) throw notFound('proposal not found');
    res.json({ proposal: proposalToDTO(p) });
  });

  r.post('/api/proposals/:id/approve', auth, hqOnly, json, async (req, res) => {
    res.json({ proposal: proposalToDTO(outcomeValue(await ctx.proposals.approve(String(req.params.id), req.user!, note(req)))) });
  });
  r.post('/api/proposals/:id/reject', auth, hqOnly, json, async (req, res) => {
    res.json({ proposal: proposalToDTO(outcomeValue(await ctx.proposals.reject(String(req.params.id), req.user!, note(req)))) });
  });
  r.post('/api/proposals/:id/withdraw', auth, hqOnly, json, async (req, res) => {
    res.json({ proposal: proposalToDTO(outcomeValue(await ctx.proposals.withdraw(String(req.params.id), req.user!))) });
  });
  return r;
}
