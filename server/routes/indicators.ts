/** The catalog: list with versions and hit counts, change (a new version, picked up live), history, backtest. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { alertToDTO, canSeeAlert } from '../engine/dto.js';
import { badRequest, notFound } from '../http/errors.js';
import { alertCountsByIndicator } from '../../sql/queries/alerts.js';
import { indicatorHistory } from '../../sql/queries/indicators.js';
import { indicatorChangeDraft } from '../engine/indicator-changes.js';
import { adminOrHqLeader, sendProposal } from './proposals.js';
import { validateCatalog } from '../../streams/catalog/index.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import { runBacktest } from '../replay/backtest.js';
import { resolvedFindings } from '../../sql/queries/tasks.js';
import { parseInstant } from '../http/params.js';
import { inputCoverage } from '../../sql/queries/input-coverage.js';
import { coverageOf } from '../../streams/catalog/coverage.js';
import { jsonBody } from '../http/json-body.js';

/** input coverage looks back this many days unless ?inputs_days= says otherwise */
const COVERAGE_DAYS = 30;
const PAGE = 50_000;

export function indicatorsRouter(ctx: AppContext): Router {
  const r = Router();
  const engine = () => ctx.services.engine;
  const anyUser = requireUser(ctx.sessions);
  const admin = requireUser(ctx.sessions, ['admin']);
  const confirmed = () => ctx.services.confirmedShare();

  r.get('/api/indicators', anyUser, async (req, res) => {
    const rawDays = req.query.inputs_days;
    const days = rawDays === undefined ? COVERAGE_DAYS : Number(rawDays);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw badRequest('inputs_days: must be an integer 1–366');
    const [hits, conf, seen] = await Promise.all([alertCountsByIndicator(ctx.store), confirmed(), inputCoverage(ctx.store, ctx.clock() - days * 86_400_000)]);
    const ref = ctx.reference.current;
    res.json({
      indicators: engine().catalog.map((d) => {
        const c = conf.get(d.id);
        return { ...d, hits: hits.get(d.id) ?? 0, resolved: c?.resolved ?? 0, confirmed: c?.confirmed ?? 0, confirmed_share: c && c.resolved ? c.confirmed / c.resolved : null, ...coverageOf(d, seen, ref, days) };
      }),
    });
  });

  r.get('/api/indicators/:id', anyUser, async (req, res) => {
    const def = engine().catalog.find((d) => d.id === req.params.id);
    if (!def) throw notFound('indicator not found');
    const versions = await indicatorHistory(ctx.store, def.id);
    res.json({ ...def, versions: versions.map((v) => ({ version: v.version, created_at: new Date(v.created_at).toISOString(), author: v.author, def: JSON.parse(v.def) })) });
  });

  const mergeDef = (id: string, body: unknown): IndicatorDef => {
    const cur = engine().catalog.find((d) => d.id === id);
    if (!cur) throw notFound('indicator not found');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body: must be an indicator definition object');
    const { id: _i, version: _v, hits: _h, versions: _vs, ...patch } = body as Record<string, unknown>;
    return { ...cur, ...(patch as Partial<IndicatorDef>), id: cur.id, version: cur.version + 1 };
  };

  // Four eyes: the change is a proposal (202) that an HQ leader, or an administrator for an HQ leader's proposal, approves.
  r.put('/api/indicators/:id', requireUser(ctx.sessions, ['leader']), adminOrHqLeader, jsonBody({ limit: '1mb' }), async (req, res) => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw badRequest('body: must be an indicator definition object');
    const { reason, ...patch } = req.body as Record<string, unknown>;
    if (reason !== undefined && typeof reason !== 'string') throw badRequest('reason: must be a string');
    const next = mergeDef(String(req.params.id), patch);
    const cur = engine().catalog.find((d) => d.id === next.id)!;
    if (JSON.stringify({ ...cur, version: 0 }) === JSON.stringify({ ...next, version: 0 })) throw badRequest('body: changes nothing in the definition');
    const check = validateCatalog(engine().catalog.map((d) => (d.id === next.id ? next : d)));
    if (!check.ok) throw badRequest(String(check.reason));
    sendProposal(res, await ctx.proposals.propose(indicatorChangeDraft(cur, next, reason?.trim() || 'indicator change'), req.user!));
  });

  /** Runs a definition (the stored one, or a changed one not yet saved) over stored history; raises nothing. */
  r.post('/api/indicators/:id/backtest', requireUser(ctx.sessions, ['admin', 'analyst', 'leader', 'discipline']), jsonBody({ limit: '1mb' }), async (req, res) => {
    const body = (req.body ?? {}) as { from?: string; to?: string; definition?: unknown };
    const from = parseInstant(body.from ?? req.query.from, 'from');
    const to = parseInstant(body.to ?? req.query.to, 'to');
    if (from === undefined || to === undefined || to <= from) throw badRequest('from, to: a range with from < to is required');
    const def = body.definition ? mergeDef(String(req.params.id), body.definition) : engine().catalog.find((d) => d.id === req.params.id);
    if (!def) throw notFound('indicator not found');
    const check = validateCatalog([def]);
    if (!check.ok) throw badRequest(String(check.reason));
    // A bureau leader's backtest reads their bureau's events only, whatever the definition matches.
    const scope = bureauScope(req.user!);
    // Cancelled when the caller goes away (closes the request): the worker stops, no further pages are read.
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    const user = req.user!.username;
    let lastPush = 0;
    const findings = await resolvedFindings(ctx.store, def.id, from, to, scope);
    const out = await runBacktest({
      store: ctx.store, def, range: { from, to }, bureau: scope, findings, references: await ctx.reference.history(), current: { validFrom: -Infinity, version: ctx.reference.current.version, data: ctx.reference.current.data }, signal: abort.signal,
      onProgress: (n) => {
        const now = Date.now();
        if (now - lastPush < 250) return;
        lastPush = now;
        ctx.services.notify.backtest(user, { indicator: def.id, events_scanned: n, done: false });
      },
    });
    if (!out.ok) {
      if (out.reason === 'cancelled') return;
      throw new Error(`backtest: ${out.reason}`);
    }
    ctx.services.notify.backtest(user, { indicator: def.id, events_scanned: out.events, done: true });
    const result = out.result;
    const events = { length: out.events };
    const sample = result.sample.filter((a) => canSeeAlert(req.user!, a));
    // The sample shows events' contents (taxpayers, officers): a read of evidence, audited like one.
    await ctx.audit.record({
      actor: req.user!.username, action: 'backtest_read', target: `indicator:${def.id}`,
      details: { version: def.version, edited: body.definition !== undefined, from, to, scope, events_scanned: events.length, sample: sample.map((a) => a.id), evidence: sample.flatMap((a) => a.evidence) },
    });
    res.json({ indicator: def.id, version: def.version, from: new Date(from).toISOString(), to: new Date(to).toISOString(), events_scanned: events.length, truncated: false, ...result, sample: sample.map((a) => alertToDTO(a, req.user, ctx.taxpayers)) });
  });
  return r;
}
