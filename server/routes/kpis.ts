/** GET /api/kpis?from&to&granularity&bureau|window|officer → the KPIs of workflow.md as series (from the rollups). */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, forbidden } from '../http/errors.js';
import { GRANULARITIES, type Granularity } from '../../sql/queries/kpis.js';
import { computeKpis, type KpiScope } from '../workflow/kpis.js';
import { parseInstant } from '../http/params.js';
import { reply } from '../http/reply.js';

const MAX_BUCKETS = 5000;

export function kpisRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/kpis', requireUser(ctx.sessions, ['leader', 'discipline', 'analyst']), async (req, res) => {
    const now = ctx.clock();
    const to = parseInstant(req.query.to, 'to') ?? now;
    const from = parseInstant(req.query.from, 'from') ?? to - 30 * 86400_000;
    if (to <= from) throw badRequest('to: must be after from');
    const g = (req.query.granularity ?? 'day') as Granularity;
    if (!(GRANULARITIES as readonly string[]).includes(g)) throw badRequest(`granularity: one of ${GRANULARITIES.join(', ')}`);
    const span = { hour: 3600_000, day: 86400_000, week: 7 * 86400_000, month: 28 * 86400_000 }[g];
    if ((to - from) / span > MAX_BUCKETS) throw badRequest(`granularity: more than ${MAX_BUCKETS} buckets; choose a coarser one`);
    const given = (['bureau', 'window', 'officer'] as const).filter((k) => typeof req.query[k] === 'string' && req.query[k]);
    if (given.length > 1) throw badRequest(`${given[1]}: give one scope of bureau, window or officer`);
    const scope: KpiScope = given.length ? { dim: given[0]!, key: String(req.query[given[0]!]) } : { dim: 'all', key: '' };
    const limit = bureauScope(req.user!);
    if (limit) {
      const ref = ctx.reference.current;
      const inScope = scope.dim === 'bureau' ? scope.key === limit
        : scope.dim === 'window' ? ref.windows.get(scope.key)?.bureau === limit
          : scope.dim === 'officer' ? ref.officers.get(scope.key)?.bureau === limit : false;
      if (scope.dim === 'all') { scope.dim = 'bureau'; scope.key = limit; }
      else if (!inScope) throw forbidden(`${scope.dim}: outside your scope (${limit})`);
    }
    const k = await computeKpis(ctx.store, from, to, g, scope);
    reply(res, 'GET /api/kpis', { ...k, as_of: new Date(now).toISOString(), settings: { overdue_rate_target: ctx.config.OVERDUE_RATE_TARGET, min_sample: ctx.config.KPI_MIN_SAMPLE } });
  });
  return r;
}
