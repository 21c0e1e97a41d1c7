/**
 * The performance evaluation export (绩效评价, docs/reports.md) against the KPI API: on simulated
 * history with resolved tasks and decided reviews, every figure of the JSON, CSV and XLSX files
 * equals the totals of GET /api/kpis for the same scope and period; scope and roles as the board's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { api, login, startTestApp } from './helpers.js';
import { loadHistory, resolveTasks, reviewSample } from './report-data.js';
import { localMidnight } from '../streams/simulator/worktime.js';
import { PERFORMANCE_COLUMNS, type PerformanceRow } from '../server/reports/performance.js';

const DAY = 86_400_000;
let app: Awaited<ReturnType<typeof startTestApp>>;
const tokens: Record<string, string> = {};
// Fourteen Shanghai days up to now: tasks are resolved and reviews decided now, so the period must include it.
const FROM = localMidnight(Date.now()) - 13 * DAY;
const TO = localMidnight(Date.now()) + DAY;
const iso = (t: number) => new Date(t).toISOString();

beforeAll(async () => {
  app = await startTestApp();
  for (const u of ['admin', 'leader', 'leader_b01', 'analyst', 'discipline1', 'tax1']) tokens[u] = await login(app.url, u);
  let t = Date.now();
  const h = await loadHistory(app, { from: FROM, days: 14, itemsPerDay: 80 });
  console.log(`history: ${h.events} events in ${Date.now() - t} ms`); t = Date.now();
  const resolved = await resolveTasks(app, 1, 24);
  console.log(`tasks resolved in ${Date.now() - t} ms`); t = Date.now();
  expect(resolved.confirmed.length).toBeGreaterThan(0);
  expect(resolved.dismissed.length).toBeGreaterThan(0);
  expect(await reviewSample(app, FROM, TO, 24)).toBe(24);
  console.log(`reviews in ${Date.now() - t} ms`);
  await app.ctx.services.kpis.refresh();
}, 240_000);
afterAll(async () => { await app?.close(); });

const exportOf = async (token: string, q: Record<string, string>) => api(app.url, token, `/api/exports/performance?${new URLSearchParams({ from: iso(FROM), to: iso(TO), ...q })}`);
const kpiTotals = async (q: Record<string, string>) => {
  const r = await api(app.url, tokens.admin!, `/api/kpis?${new URLSearchParams({ from: iso(FROM), to: iso(TO), granularity: 'day', ...q })}`);
  expect(r.status).toBe(200);
  return r.json.totals;
};

/** The export row's figures as the KPI API's totals name them. */
function asKpi(row: PerformanceRow) {
  return {
    events: row.events,
    overdue: { due: row.items_due, overdue: row.items_overdue, rate: row.overdue_rate },
    reviews: {
      decided: row.reviews_decided, compliant: row.reviews_compliant, non_compliant: row.reviews_non_compliant, integrity_suspicion: row.reviews_integrity_suspicion,
      by_aspect: { process: row.non_compliant_process, policy: row.non_compliant_policy, fairness: row.non_compliant_fairness }, compliance_rate: row.compliance_rate,
    },
    satisfaction: { ratings: row.ratings, mean: row.satisfaction_mean, low_share: row.satisfaction_low_share },
    alerts: row.alerts, tasks: row.tasks_resolved === null ? null : { resolved: row.tasks_resolved, confirmed: row.tasks_confirmed, share: row.confirmed_share, late: row.tasks_late },
  };
}
function kpiView(t: any) {
  return {
    events: t.events, overdue: t.overdue, reviews: t.reviews, satisfaction: t.satisfaction,
    alerts: t.alerts ? t.alerts.total : null,
    tasks: t.confirmed_share ? { resolved: t.confirmed_share.resolved, confirmed: t.confirmed_share.confirmed, share: t.confirmed_share.share, late: t.timeliness.late } : null,
  };
}

describe('performance export', () => {
  it('has, for every bureau and for the busiest officers and windows, the figures GET /api/kpis gives for that scope and period', async () => {
    const bureaus = await exportOf(tokens.admin!, { level: 'bureau' });
    expect(bureaus.status).toBe(200);
    const rows = bureaus.json.rows as PerformanceRow[];
    expect(rows.length).toBeGreaterThanOrEqual(21);
    // Positive control: the data set exercises every column (a comparison of zeros would prove nothing).
    const sum = (k: keyof PerformanceRow) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
    for (const k of ['events', 'alerts', 'tasks_resolved', 'tasks_confirmed', 'items_due', 'items_overdue', 'reviews_decided', 'reviews_compliant',
      'non_compliant_process', 'non_compliant_policy', 'non_compliant_fairness', 'ratings'] as const) expect(sum(k), k).toBeGreaterThan(0);
    for (const r of rows) expect(asKpi(r), r.key).toEqual(kpiView(await kpiTotals({ bureau: r.key })));
    // Every bureau has a row: the rows add up to the city (each item, task and review has one bureau).
    const city = await kpiTotals({});
    expect(sum('reviews_decided')).toBe(city.reviews.decided);
    expect(sum('tasks_resolved')).toBe(city.confirmed_share.resolved);
    expect(sum('items_due')).toBe(city.overdue.due);

    const officers = (await exportOf(tokens.admin!, { level: 'officer' })).json.rows as PerformanceRow[];
    const busiest = [...officers].sort((a, b) => (b.reviews_decided + (b.tasks_resolved ?? 0)) - (a.reviews_decided + (a.tasks_resolved ?? 0))).slice(0, 8);
    expect(busiest[0]!.tasks_resolved! + busiest[0]!.reviews_decided).toBeGreaterThan(0);
    for (const r of busiest) expect(asKpi(r), r.key).toEqual(kpiView(await kpiTotals({ officer: r.key })));

    const windows = (await exportOf(tokens.admin!, { level: 'window' })).json.rows as PerformanceRow[];
    const busyWindows = [...windows].sort((a, b) => b.items_due - a.items_due).slice(0, 4);
    expect(busyWindows[0]!.items_due).toBeGreaterThan(0);
    for (const r of busyWindows) {
      expect(r.alerts).toBeNull();
      expect(asKpi(r), r.key).toEqual(kpiView(await kpiTotals({ window: r.key })));
    }
  });

  it('writes the same figures into the CSV and the XLSX file, with Chinese or English headers', async () => {
    const json = (await exportOf(tokens.admin!, { level: 'bureau' })).json.rows as PerformanceRow[];
    const q = new URLSearchParams({ from: iso(FROM), to: iso(TO), level: 'bureau' });
    const csv = await fetch(`${app.url}/api/exports/performance?${q}&format=csv`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="performance-bureau-.*\.csv"/);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/).map((l) => l.split(','));
    expect(lines[0]).toEqual(PERFORMANCE_COLUMNS.map((c) => c.zh));
    expect(lines.length - 1).toBe(json.length);
    const col = (name: keyof PerformanceRow) => PERFORMANCE_COLUMNS.findIndex((c) => c.key === name);
    for (const [i, r] of json.entries()) {
      const l = lines[i + 1]!;
      expect(l[col('key')]).toBe(r.key);
      for (const k of ['events', 'alerts', 'tasks_confirmed', 'items_overdue', 'reviews_non_compliant', 'non_compliant_fairness', 'ratings'] as const) expect(Number(l[col(k)]), `${r.key} ${k}`).toBe(r[k]);
      for (const k of ['overdue_rate', 'compliance_rate', 'satisfaction_mean'] as const) {
        if (r[k] === null) expect(l[col(k)]).toBe('');
        else expect(Number(l[col(k)])).toBeCloseTo(r[k] as number, 12);
      }
    }

    const xlsx = await fetch(`${app.url}/api/exports/performance?${q}&format=xlsx&lang=en`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(PERFORMANCE_COLUMNS.map((c) => c.en));
    expect(ws.rowCount - 1).toBe(json.length);
    for (const [i, r] of json.entries()) {
      const row = ws.getRow(i + 2);
      expect(row.getCell(col('key') + 1).value).toBe(r.key);
      for (const k of ['events', 'alerts', 'tasks_resolved', 'items_due', 'reviews_decided', 'non_compliant_process', 'confirmed_share', 'satisfaction_mean'] as const) {
        expect(row.getCell(col(k) + 1).value ?? null, `${r.key} ${k}`).toEqual(r[k]);
      }
    }
    expect(ws.getRow(2).getCell(col('overdue_rate') + 1).numFmt).toBe('0.00%');
  });

  it("limits a bureau leader to their bureau's rows and refuses another bureau; analysts may export, discipline and tax officers may not", async () => {
    const own = await exportOf(tokens.leader_b01!, { level: 'officer' });
    expect(own.status).toBe(200);
    expect(own.json.bureau).toBe('B01');
    expect(own.json.rows.length).toBeGreaterThan(0);
    expect(new Set(own.json.rows.map((r: PerformanceRow) => r.bureau))).toEqual(new Set(['B01']));
    const city = await exportOf(tokens.leader!, { level: 'officer' });
    expect(new Set(city.json.rows.map((r: PerformanceRow) => r.bureau)).size).toBeGreaterThan(5);
    const other = await exportOf(tokens.leader_b01!, { level: 'officer', bureau: 'B02' });
    expect(other.status).toBe(403);
    expect(other.json.error.message).toMatch(/^bureau: /);
    expect((await exportOf(tokens.analyst!, { level: 'window' })).status).toBe(200);
    expect((await exportOf(tokens.discipline1!, { level: 'officer' })).status).toBe(403);
    expect((await exportOf(tokens.tax1!, { level: 'officer' })).status).toBe(403);
    const audit = await api(app.url, tokens.admin!, '/api/audit?action=performance_export&limit=100');
    expect(audit.json.records.some((r: any) => r.actor === 'leader_b01' && r.details.bureau === 'B01')).toBe(true);
  });

  it('answers a bad request naming the field', async () => {
    expect((await exportOf(tokens.admin!, { level: 'desk' })).json.error.message).toMatch(/^level: /);
    expect((await exportOf(tokens.admin!, { format: 'pdf' })).json.error.message).toMatch(/^format: /);
    const r = await api(app.url, tokens.admin!, '/api/exports/performance?to=2026-10-01T00:00:00Z');
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual({ code: 'bad_request', message: 'from: required (ISO-8601 instant)' });
  });
});
