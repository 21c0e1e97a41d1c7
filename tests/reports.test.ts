/**
 * Leader reports (docs/reports.md) through the API: the schedule on an injected clock makes the
 * last completed week's and month's report for the city and every bureau once, and the next week's
 * when the clock passes it; a stored report reads back unchanged after a restart; an on-demand
 * report's figures equal GET /api/kpis and GET /api/alerts/stats for its scope and period; the PDF
 * in both languages; bureau scope and roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestApp } from './helpers.js';
import { loadHistory, resolveTasks } from './report-data.js';
import { lastCompleted } from '../server/reports/leader.js';
import { defaultReference } from '../streams/reference/default-data.js';

const DAY = 86_400_000;
let offset = 0;
const clock = () => Date.now() + offset;
let app: Awaited<ReturnType<typeof startTestApp>>;
const tokens: Record<string, string> = {};
const week = lastCompleted('weekly', Date.now());
const iso = (t: number) => new Date(t).toISOString();
const SCOPES = 1 + defaultReference.bureaus.filter((b) => b.code !== 'HQ').length;

async function loginAll() { for (const u of ['admin', 'leader', 'leader_b01', 'analyst']) tokens[u] = await login(app.url, u); }

beforeAll(async () => {
  app = await startTestApp({}, undefined, { clock });
  await loginAll();
  await loadHistory(app, { from: week.from - 3 * DAY, days: 12, itemsPerDay: 40 });
  await resolveTasks(app, 2, 10);
  await app.ctx.services.kpis.refresh();
}, 240_000);
afterAll(async () => { await app?.close(); });

describe('leader reports', () => {
  let weeklyCity = '';
  it('makes, on schedule, the last completed week and month for the city and every bureau once, and the next week once the clock passes it', async () => {
    const made = await app.ctx.services.reports.runSchedule();
    expect(made).toBe(2 * SCOPES);
    expect(await app.ctx.services.reports.runSchedule()).toBe(0);
    const list = (await api(app.url, tokens.admin!, '/api/reports?kind=weekly&limit=1000')).json.reports;
    expect(list).toHaveLength(SCOPES);
    expect(new Set(list.map((r: any) => r.from))).toEqual(new Set([iso(week.from)]));
    expect(list.every((r: any) => r.trigger === 'schedule' && r.created_by === 'system')).toBe(true);
    weeklyCity = list.find((r: any) => r.scope === 'city').id;

    offset = 7 * DAY;
    const next = lastCompleted('weekly', clock());
    const monthMoved = lastCompleted('monthly', clock()).from !== lastCompleted('monthly', clock() - offset).from;
    expect(await app.ctx.services.reports.runSchedule()).toBe(SCOPES * (monthMoved ? 2 : 1));
    // Read through the service: a week later on the clock the test's sessions have expired.
    const weeks = await app.ctx.services.reports.list({ kind: 'weekly', scopes: ['city'], limit: 10 });
    expect(weeks.map((r) => r.period_from)).toEqual([next.from, week.from]);
    offset = 0;
    await loginAll();
  }, 240_000);

  it('reads a stored report back unchanged after a restart', async () => {
    const before = (await api(app.url, tokens.admin!, `/api/reports/${weeklyCity}`)).json;
    expect(before.report.kpis.length).toBe(9);
    await app.close();
    app = await startTestApp({}, app.dataDir, { clock });
    await loginAll();
    const after = await api(app.url, tokens.admin!, `/api/reports/${weeklyCity}`);
    expect(after.status).toBe(200);
    expect(after.json).toEqual(before);
  }, 120_000);

  it("has, on demand, the KPI API's and the alert cube's figures for its scope and period, with the previous period and the targets", async () => {
    for (const scope of ['city', 'B01']) {
      const r = await api(app.url, tokens.leader!, '/api/reports', { method: 'POST', body: { kind: 'weekly', scope } });
      expect(r.status).toBe(201);
      const rep = r.json.report;
      expect(r.json.trigger).toBe('demand');
      expect(rep.from).toBe(iso(week.from));
      const q = (from: number, to: number) => `from=${iso(from)}&to=${iso(to)}&granularity=day${scope === 'city' ? '' : `&bureau=${scope}`}`;
      const cur = (await api(app.url, tokens.admin!, `/api/kpis?${q(week.from, week.to)}`)).json;
      const prev = (await api(app.url, tokens.admin!, `/api/kpis?${q(week.from - 7 * DAY, week.from)}`)).json;
      const k = Object.fromEntries(rep.kpis.map((x: any) => [x.key, x]));
      expect(cur.totals.alerts.total).toBeGreaterThan(0);
      expect(k.alerts).toMatchObject({ value: cur.totals.alerts.total, previous: prev.totals.alerts.total, change: cur.totals.alerts.total - prev.totals.alerts.total });
      expect(k.overdue_rate).toMatchObject({ value: cur.totals.overdue.rate, previous: prev.totals.overdue.rate, n: cur.totals.overdue.due, target: 0.01 });
      expect(k.overdue_rate.meets).toBe(cur.totals.overdue.rate === null ? null : cur.totals.overdue.rate <= 0.01);
      expect(k.satisfaction_mean).toMatchObject({ value: cur.totals.satisfaction.mean, target: 4.5 });
      expect(k.petitions.value).toBe(cur.totals.petitions.count);
      expect(rep.trend.alerts).toEqual(cur.series.alerts.total);
      expect(rep.overdue_items).toEqual(cur.totals.overdue);
      const stats = (await api(app.url, tokens.admin!, `/api/alerts/stats?from=${iso(week.from)}&to=${iso(week.to)}&group=indicator${scope === 'city' ? '' : `&bureau=${scope}`}`)).json;
      const top = [...stats.rows].sort((a: any, b: any) => b.alerts - a.alerts || a.keys[0].localeCompare(b.keys[0])).slice(0, 5);
      expect(rep.top_indicators.map((x: any) => [x.key, x.alerts])).toEqual(top.map((x: any) => [x.keys[0], x.alerts]));
      const open = (await api(app.url, tokens.admin!, `/api/tasks?state=open,assigned,investigating&limit=1000${scope === 'city' ? '' : `&bureau=${scope}`}`)).json.tasks;
      expect(rep.open_work.open).toBe(open.length);
      expect(rep.open_work.overdue).toBe(open.filter((t: any) => t.overdue).length);
    }
  }, 120_000);

  it('renders the PDF in Chinese and in English with the CJK font embedded', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const r = await fetch(`${app.url}/api/reports/${weeklyCity}/pdf?lang=${lang}`, { headers: { authorization: `Bearer ${tokens.leader}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pdf');
      const b = Buffer.from(await r.arrayBuffer());
      expect(b.subarray(0, 5).toString()).toBe('%PDF-');
      expect(b.toString('latin1')).toMatch(/FontName \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    }
    expect((await api(app.url, tokens.leader!, `/api/reports/${weeklyCity}/pdf?lang=fr`)).json.error.message).toMatch(/^lang: /);
  }, 60_000);

  it("gives a bureau leader only their bureau's reports and refuses the city's and another bureau's; analysts none", async () => {
    const own = (await api(app.url, tokens.leader_b01!, '/api/reports?limit=1000')).json.reports;
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((r: any) => r.scope))).toEqual(new Set(['B01']));
    expect((await api(app.url, tokens.leader_b01!, `/api/reports/${weeklyCity}`)).status).toBe(404);
    expect((await api(app.url, tokens.leader!, `/api/reports/${weeklyCity}`)).status).toBe(200);
    expect((await api(app.url, tokens.leader_b01!, '/api/reports', { method: 'POST', body: { kind: 'monthly', scope: 'B02' } })).status).toBe(403);
    const mine = await api(app.url, tokens.leader_b01!, '/api/reports', { method: 'POST', body: { kind: 'monthly' } });
    expect(mine.status).toBe(201);
    expect(mine.json.scope).toBe('B01');
    expect((await api(app.url, tokens.analyst!, '/api/reports')).status).toBe(403);
    const bad = await api(app.url, tokens.leader!, '/api/reports', { method: 'POST', body: { kind: 'daily' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^kind: /);
  });
});
