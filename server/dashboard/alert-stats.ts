/**
 * GET /api/alerts/stats: alert counts grouped by up to two dimensions or time buckets, from the
 * alert cube (sql/queries/alert-stats.ts). The board's ranking and heat map and the analyst's
 * drill-down table and trend are all this one query with different groups and filters.
 */
import type { Request } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { listParam, parseInstant } from '../http/params.js';
import { STAT_BUCKETS, STAT_DIMS, type AlertStatsResponse, type StatBucket, type StatDim } from '../http/contract.js';
import { alertStats } from '../../sql/queries/alert-stats.js';
import { buckets } from '../workflow/kpis.js';

const MAX_BUCKETS = 5000;
const SPAN = { hour: 3600_000, day: 86400_000, week: 7 * 86400_000, month: 28 * 86400_000 } as const;
const isBucket = (k: string): k is StatBucket => (STAT_BUCKETS as readonly string[]).includes(k);

export async function alertStatsAnswer(ctx: AppContext, req: Request): Promise<AlertStatsResponse> {
  const now = ctx.clock();
  const from = parseInstant(req.query.from, 'from');
  const to = parseInstant(req.query.to, 'to') ?? now;
  if (from === undefined) throw badRequest('from: is required');
  if (to <= from) throw badRequest('to: must be after from');
  const group = (listParam(req, 'group') ?? []) as (StatDim | StatBucket)[];
  if (group.length > 2) throw badRequest('group: at most two of dimensions and time buckets');
  for (const g of group) if (!(STAT_DIMS as readonly string[]).includes(g) && !isBucket(g)) throw badRequest(`group: unknown value ${g} (one of ${[...STAT_DIMS, ...STAT_BUCKETS].join(', ')})`);
  if (new Set(group).size !== group.length) throw badRequest('group: a value is repeated');
  const timeKeys = group.filter(isBucket);
  if (timeKeys.length > 1) throw badRequest('group: one time bucket at most');
  const time = timeKeys[0];
  if (time && (to - from) / SPAN[time] > MAX_BUCKETS) throw badRequest(`group: more than ${MAX_BUCKETS} ${time} buckets; choose a coarser one`);

  const eq: Partial<Record<StatDim, string[]>> = {};
  for (const d of STAT_DIMS) { const v = listParam(req, d); if (v) eq[d] = v; }
  const scope = bureauScope(req.user!);
  if (scope) {
    if (eq.bureau && !eq.bureau.every((b) => b === scope)) throw badRequest(`bureau: outside your scope (${scope})`);
    eq.bureau = [scope];
  }
  const matters = ctx.reference.current.data.matters;
  const subtotals = req.query.subtotals === '1';
  if (subtotals && group.length !== 2) throw badRequest('subtotals: needs two groups (the counts by the first alone)');
  const r = await alertStats(ctx.store, { from, to, group, eq, subtotals, sections: { matters: matters.map((m) => m.code), platforms: matters.map((m) => m.platform) } });

  let rows = r.rows;
  if (time && group.length === 1) {
    // A time series: every bucket of the range, in order, zeros included.
    const have = new Map(rows.map((x) => [x.keys[0], x]));
    rows = buckets(from, to, time).map((b) => {
      const k = new Date(b).toISOString();
      return have.get(k) ?? { keys: [k], alerts: 0, high: 0 };
    });
  } else {
    const ti = time ? group.indexOf(time) : -1;
    rows = [...rows].sort((a, b) => (ti >= 0 ? a.keys[ti]!.localeCompare(b.keys[ti]!) : 0) || b.alerts - a.alerts || a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
  }
  return {
    from: new Date(from).toISOString(), to: new Date(to).toISOString(), as_of: new Date(now).toISOString(), timezone: 'Asia/Shanghai',
    group, filters: eq, rows, total: r.total,
    ...(r.subtotals ? { subtotals: [...r.subtotals].sort((a, b) => b.alerts - a.alerts || a.keys[0]!.localeCompare(b.keys[0]!)) } : {}),
  };
}
