/** GET /api/kpis?from&to&granularity&bureau|window|officer[&compare] → the KPIs of workflow.md as series (from the rollups), and of the periods compared with. */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, forbidden } from '../http/errors.js';
import { GRANULARITIES, type Granularity } from '../../sql/queries/kpis.js';
import { computeKpisMany, type KpiScope, type Period } from '../workflow/kpis.js';
import { parseInstant } from '../http/params.js';
import { reply } from '../http/reply.js';

const MAX_BUCKETS = 5000;
const MAX_COMPARE = 4;

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
    const compare: Period[] = [];
    if (req.query.compare !== undefined && req.query.compare !== '') {
      if (typeof req.query.compare !== 'string') throw badRequest('compare: ISO-8601 intervals from/to, comma-separated');
      const parts = req.query.compare.split(',');
      if (parts.length > MAX_COMPARE) throw badRequest(`compare: at most ${MAX_COMPARE} periods`);
      for (const part of parts) {
        const [a, b, extra] = part.split('/');
        if (extra !== undefined || !a || !b) throw badRequest(`compare: ${part} is not an interval from/to`);
        const pf = parseInstant(a, 'compare')!, pt = parseInstant(b, 'compare')!;
        if (pt <= pf) throw badRequest(`compare: ${part} ends before it starts`);
        if ((pt - pf) / span > MAX_BUCKETS) throw badRequest(`compare: ${part} has more than ${MAX_BUCKETS} buckets`);
        compare.push({ from: pf, to: pt });
      }
    }
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
    const [k, ...others] = await computeKpisMany(ctx.store, [{ from, to }, ...compare], g, scope);
    reply(res, 'GET /api/kpis', {
      ...k!, as_of: new Date(now).toISOString(), settings: { overdue_rate_target: ctx.config.OVERDUE_RATE_TARGET, min_sample: ctx.config.KPI_MIN_SAMPLE },
      ...(compare.length ? { compare: others } : {}),
    });
  });
  return r;
}
