/** GET /api/exports/performance: the performance evaluation (绩效评价) as JSON, CSV or XLSX (docs/reports.md). */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { bureauScope, requireUser } from '../http/auth.js';
import { badRequest, forbidden } from '../http/errors.js';
import { parseInstant } from '../http/params.js';
import { reply } from '../http/reply.js';
import { PERFORMANCE_DIMS, type PerformanceDim } from '../../sql/queries/performance.js';
import { performanceReport } from '../reports/performance.js';
import { performanceCsv, performanceXlsx, type ReportLang } from '../reports/performance-files.js';

const FORMATS = ['json', 'csv', 'xlsx'] as const;
const MAX_DAYS = 3 * 366;

export function parseLang(v: unknown): ReportLang {
  if (v === undefined || v === '' || v === 'zh' || v === 'zh-CN') return 'zh-CN';
  if (v === 'en') return 'en';
  throw badRequest('lang: must be zh-CN or en');
}

export function exportsRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/exports/performance', requireUser(ctx.sessions, ['leader', 'analyst']), async (req, res) => {
    const level = (req.query.level ?? 'officer') as PerformanceDim;
    if (!(PERFORMANCE_DIMS as readonly string[]).includes(level)) throw badRequest(`level: one of ${PERFORMANCE_DIMS.join(', ')}`);
    const format = String(req.query.format ?? 'json') as (typeof FORMATS)[number];
    if (!(FORMATS as readonly string[]).includes(format)) throw badRequest(`format: one of ${FORMATS.join(', ')}`);
    const lang = parseLang(req.query.lang);
    const from = parseInstant(req.query.from, 'from');
    const to = parseInstant(req.query.to, 'to');
    if (from === undefined) throw badRequest('from: required (ISO-8601 instant)');
    if (to === undefined) throw badRequest('to: required (ISO-8601 instant)');
    if (to <= from) throw badRequest('to: must be after from');
    if (to - from > MAX_DAYS * 86400_000) throw badRequest(`to: a period of at most ${MAX_DAYS} days`);
    let bureau = typeof req.query.bureau === 'string' && req.query.bureau ? req.query.bureau : null;
    if (bureau && !ctx.reference.current.bureaus.has(bureau)) throw badRequest(`bureau: unknown bureau ${bureau}`);
    const limit = bureauScope(req.user!);
    if (limit) {
      if (bureau && bureau !== limit) throw forbidden(`bureau: outside your scope (${limit})`);
      bureau = limit;
    }
    const report = await performanceReport(ctx.store, ctx.reference.current, { dim: level, from, to, bureau });
    await ctx.audit.record({
      actor: req.user!.username, action: 'performance_export', target: `performance:${level}`,
      details: { from: report.from, to: report.to, bureau, format, rows: report.rows.length },
    });
    if (format === 'json') return reply(res, 'GET /api/exports/performance', report);
    const name = `performance-${level}-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}${bureau ? `-${bureau}` : ''}`;
    const file = format === 'csv' ? await performanceCsv(report, lang) : await performanceXlsx(report, lang);
    res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="${name}.${format}"`);
    res.send(file);
  });
  return r;
}
