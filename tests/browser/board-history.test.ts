/**
 * The leader board and the analyst in a real browser (Debian's chromium via playwright-core) on a
 * server loaded with 31 days of simulated history, loaded once for the file: the simulator's
 * events posted through POST /api/events (the engine raises its alerts and tasks; the KPI
 * rollups fill), plus 21,500 alerts spread over the same days stored through the alert sink's
 * insert (the simulator's history alone raises only a few hundred alerts a month), some in
 * several versions as status updates write them — so > 20,000 alerts in all:
 * every figure on screen — KPI cards, ranking, heat map, live strip, the analyst's trend and
 * drill-down table — equals the same figure computed by a direct ClickHouse query over the raw
 * tables of the server's own store; the CSV export is in local time with names and codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync, rmSync } from 'node:fs';
import { ADMIN_PASSWORD, INGEST_TOKEN, eventually, startTestApp } from '../helpers.js';
import type { RunningApp } from '../../server/app.js';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';
import { generateHistoryDetailed } from '../../streams/simulator/generator.js';
import { insertAlerts, updateAlerts } from '../../sql/queries/alerts.js';
import { SEVERITIES, type Alert } from '../../streams/types.js';
import { toWireLine } from '../../streams/simulator/cli.js';
import { localMidnight } from '../../streams/simulator/worktime.js';
import { defaultReference } from '../../streams/reference/default-data.js';

const DAY = 86_400_000, SH = 8 * 3600_000;
let app: RunningApp & { dataDir: string };
let browser: Browser;
let alertCount = 0;
const now = Date.now();
const today = localMidnight(now);
const FROM = today - 30 * DAY;
const ymd = (t: number) => new Date(t + SH).toISOString().slice(0, 10);
const range = { from: ymd(FROM), to: ymd(today) }; // 31 Shanghai days, today included
const FROM_MS = FROM, TO_MS = today + DAY;
const SECTION = `transform(matter, {m:Array(String)}, {p:Array(String)}, 'unknown')`;
const sectionParams = { m: defaultReference.matters.map((x) => x.code), p: defaultReference.matters.map((x) => x.platform) };

async function q<T = Record<string, unknown>>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return app.ctx.store.query<T>(sql, { from: FROM_MS, to: TO_MS, ...sectionParams, ...params });
}
const IN_RANGE = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})';

/** Direct count of distinct alerts (latest version each) by a key expression. */
async function alertsBy(expr: string, where = '1'): Promise<Map<string, number>> {
  const rows = await q<{ k: string; c: number }>(`SELECT ${expr} AS k, count() AS c FROM alerts FINAL WHERE ${IN_RANGE} AND ${where} GROUP BY k`);
  return new Map(rows.map((r) => [String(r.k), Number(r.c)]));
}

async function open(username: string, hash: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const opened = await openLoggedIn(browser, app.url, username, ADMIN_PASSWORD, { wait: 'nav' });
  await opened.page.goto(`${app.url}/${hash}`);
  return opened;
}

const tableMap = (page: Page, testid: string) => page.$$eval(`[data-testid=${testid}] tr`, (trs) => trs.map((tr) => [tr.getAttribute('data-key')!, Number(tr.getAttribute('data-value'))] as [string, number]));

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
  const { events } = generateHistoryDetailed({ reference: defaultReference, from: FROM, days: 31, seed: 11, itemsPerDay: 300 });
  const lines = events.filter((e) => e.ts < now - 60_000).map(toWireLine);
  for (let i = 0; i < lines.length; i += 5000) {
    const r = await fetch(`${app.url}/api/events`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: lines.slice(i, i + 5000).join('\n'),
    });
    expect(r.status).toBe(202);
  }
  // Planted alerts (deterministic), realistic fields from the reference data.
  let seed = 7;
  const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tax = defaultReference.officers.filter((o) => o.role === 'tax');
  const planted: Alert[] = Array.from({ length: 21_500 }, (_, i) => {
    const o = pick(tax), m = pick(defaultReference.matters);
    const ts = Math.min(now - 120_000, FROM + Math.floor(rnd() * (now - FROM)));
    return {
      id: `planted-${i}`, indicator: pick(['SVC-01', 'PRC-02', 'TSK-01', 'INS-02', 'FIL-01', 'PRC-04']), indicator_version: 1, category: m.category, severity: pick(SEVERITIES),
      ts, detected_at: ts + 1000, bureau: o.bureau, officer: o.id, taxpayer: null, item: `I-planted-${i}`, matter: m.code, evidence: [], message: { zh: '测试', en: 'test' }, status: 'open',
    };
  });
  for (let i = 0; i < planted.length; i += 5000) await insertAlerts(app.ctx.store, planted.slice(i, i + 5000), 1);
  await updateAlerts(app.ctx.store, planted.filter((_, i) => i % 4 === 0).map((a) => ({ ...a, status: 'acknowledged' as const, task_id: null })), 2);
  // The engine works the history off behind the watermark; wait until the stored alerts stop growing.
  let last = -1;
  alertCount = await eventually(async () => {
    await app.ctx.services.sink.flush();
    const [r] = await app.ctx.store.query<{ c: number }>('SELECT uniqExact(id) AS c FROM alerts');
    const c = Number(r?.c ?? 0);
    const stable = c === last && c > 0;
    last = c;
    return stable ? c : undefined;
  }, 240_000, 1000);
  // Every alert's task decided and stored (the task step may lag behind the alerts on a busy machine).
  await app.ctx.services.tasks.idle();
  await app.ctx.services.kpis.refresh();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  const closed = await Promise.race([app?.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  if (closed && app?.dataDir) try { rmSync(app.dataDir, { recursive: true, force: true }); } catch { /* chDB may still hold files */ }
});

describe('board and analyst on 30 days of history', () => {
  it('holds more than 20,000 alerts', () => {
    expect(alertCount).toBeGreaterThan(20_000);
  });

  it('shows every board figure for the city equal to a direct ClickHouse query', async () => {
    const { ctx, page } = await open('admin', `#/board?from=${range.from}&to=${range.to}&g=day`);
    await page.waitForSelector('[data-testid=board][data-ready="1"]', { timeout: 60_000 });
    const card = async (key: string) => {
      const el = await page.$(`[data-testid=kpi-card][data-key="${key}"]`);
      return { v: await el!.getAttribute('data-value'), n: await el!.getAttribute('data-n') };
    };
    const [ev] = await q<{ events: number; petitions: number; ratings: number; score: number; low: number }>(
      `SELECT count() AS events, countIf(action = 'petition') AS petitions, countIf(action = 'rate' AND s BETWEEN 1 AND 5) AS ratings,
         sumIf(s, action = 'rate' AND s BETWEEN 1 AND 5) AS score, countIf(action = 'rate' AND s BETWEEN 1 AND 2) AS low
       FROM (SELECT *, JSONExtractInt(attrs, 'score') AS s FROM events WHERE ${IN_RANGE})`);
    const alerts = [...(await alertsBy("''")).values()][0]!;
    expect(alerts).toBeGreaterThan(20_000);
    expect(Number((await card('alerts.total')).v)).toBe(alerts);
    expect(Number((await card('events')).v)).toBe(Number(ev!.events));
    expect(Number((await card('petitions.count')).v)).toBe(Number(ev!.petitions));
    const per1000 = await card('alerts.per_1000_events');
    expect(Number(per1000.v)).toBeCloseTo((alerts * 1000) / Number(ev!.events), 9);
    expect(Number(per1000.n)).toBe(Number(ev!.events));
    const sat = await card('satisfaction.mean');
    expect(Number(sat.n)).toBe(Number(ev!.ratings));
    expect(Number(sat.v)).toBeCloseTo(Number(ev!.score) / Number(ev!.ratings), 9);
    expect(Number((await card('satisfaction.low_share')).v)).toBeCloseTo(Number(ev!.low) / Number(ev!.ratings), 9);
    const [tk] = await q<{ resolved: number; assigned: number }>(
      `SELECT uniqExactIf(task_id, action = 'resolve') AS resolved, uniqExactIf(task_id, action = 'assign' AND first_assign = 1) AS assigned FROM task_events WHERE ${IN_RANGE}`);
    expect(Number((await card('timeliness.late_rate')).n)).toBe(Number(tk!.resolved));
    expect(Number((await card('timeliness.median_assign_ms')).n)).toBe(Number(tk!.assigned));
    expect(Number(tk!.assigned)).toBeGreaterThan(0);

    // Ranking: every bureau, its alerts; heat map: bureau × category, the total column = the ranking.
    const byBureau = await alertsBy('bureau');
    const ranking = new Map(await tableMap(page, 'ranking-table'));
    for (const [b, c] of byBureau) expect(ranking.get(b), b).toBe(c);
    expect([...ranking.values()].reduce((a, b) => a + b, 0)).toBe(alerts);
    expect(Number((await page.textContent('[data-testid=board-alert-total]'))!.replace(/\D/g, ''))).toBe(alerts);
    const cells = await alertsBy("concat(bureau, '|', toString(category))");
    const heat = await page.$$eval('[data-testid=heatmap-table] td', (tds) => tds.map((td) => [`${td.closest('tr')!.getAttribute('data-key')}|${td.getAttribute('data-col')}`, Number(td.getAttribute('data-value'))] as [string, number]));
    expect(heat.length).toBeGreaterThanOrEqual(21 * 4);
    for (const [k, v] of heat) expect(v, k).toBe(cells.get(k) ?? 0);
    const totals = await page.$$eval('[data-testid=heatmap-table] tr', (trs) => trs.map((tr) => [tr.getAttribute('data-key')!, Number(tr.getAttribute('data-total'))] as [string, number]));
    for (const [b, v] of totals) expect(v, b).toBe(byBureau.get(b) ?? 0);

    // Live strip: today's alerts in the same scope.
    const todayAlerts = await q<{ c: number }>(`SELECT count() AS c FROM alerts FINAL WHERE ts >= fromUnixTimestamp64Milli({t0:Int64}) AND ts < fromUnixTimestamp64Milli({t1:Int64})`, { t0: today, t1: today + DAY });
    await page.waitForSelector('[data-testid=live-alerts]', { timeout: 20_000 });
    expect(Number(await page.getAttribute('[data-testid=live-alerts]', 'data-value'))).toBe(Number(todayAlerts[0]!.c));
    expect(await page.textContent('[data-testid=board-as-of]')).toMatch(/数据截至/);
    await ctx.close();
  }, 180_000);

  it('shows a bureau leader their officers and sections, equal to a direct query, and a quick range of this year', async () => {
    const { ctx, page } = await open('leader_b01', `#/board?from=${range.from}&to=${range.to}&g=day`);
    await page.waitForSelector('[data-testid=board][data-ready="1"]', { timeout: 60_000 });
    const officers = await alertsBy('officer', "bureau = 'B01'");
    expect(officers.size).toBeGreaterThan(3);
    expect(new Map(await tableMap(page, 'ranking-table'))).toEqual(officers);
    const cells = await alertsBy(`concat(${SECTION}, '|', toString(category))`, "bureau = 'B01'");
    const heat = await page.$$eval('[data-testid=heatmap-table] td', (tds) => tds.map((td) => [`${td.closest('tr')!.getAttribute('data-key')}|${td.getAttribute('data-col')}`, Number(td.getAttribute('data-value'))] as [string, number]));
    for (const [k, v] of heat) expect(v, k).toBe(cells.get(k) ?? 0);
    expect([...cells.values()].reduce((a, b) => a + b, 0)).toBe(heat.reduce((a, [, v]) => a + v, 0));

    await page.click('[data-testid=quick-year]');
    await page.waitForFunction(() => location.hash.includes('q=year'));
    await page.waitForSelector('[data-testid=board][data-ready="1"]', { timeout: 60_000 });
    const y = new Date(now + SH).getUTCFullYear();
    const [yr] = await app.ctx.store.query<{ c: number }>(
      `SELECT count() AS c FROM alerts FINAL WHERE bureau = 'B01' AND toYear(ts, 'Asia/Shanghai') = {y:UInt16}`, { y });
    expect(Number(await page.getAttribute('[data-testid=kpi-card][data-key="alerts.total"]', 'data-value'))).toBe(Number(yr!.c));
    await ctx.close();
  }, 180_000);

  it('shows the analyst trend and drill-down table equal to a direct query, and exports CSV in local time with names', async () => {
    const { ctx, page } = await open('admin', `#/analyst?from=${range.from}&to=${range.to}`);
    await page.waitForSelector('[data-testid=analyst][data-ready="1"]', { timeout: 60_000 });
    const perDay = await alertsBy("toString(toDate(ts, 'Asia/Shanghai'))");
    const trend = await tableMap(page, 'trend-table');
    expect(trend).toHaveLength(31);
    for (const [iso, v] of trend) expect(v, iso).toBe(perDay.get(ymd(Date.parse(iso))) ?? 0);
    const rows = await page.$$eval('[data-testid=drill-row]', (trs) => trs.map((tr) => [tr.getAttribute('data-key')!, Number(tr.getAttribute('data-count'))] as [string, number]));
    expect(new Map(rows)).toEqual(await alertsBy('bureau'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('福田'); // a bureau's name beside its code
    expect(csv).toMatch(/,B01,/);
    expect(csv).toContain(`${range.from} 00:00:00`); // the range in Asia/Shanghai local time

    // Into B01: its sections.
    await page.click('[data-testid=drill-row][data-key=B01]');
    await page.waitForSelector('[data-testid=drill-table][data-level=bureau][data-ready="1"]');
    await page.waitForSelector('[data-testid=analyst][data-ready="1"]');
    const sections = await page.$$eval('[data-testid=drill-row]', (trs) => trs.map((tr) => [tr.getAttribute('data-key')!, Number(tr.getAttribute('data-count'))] as [string, number]));
    expect(new Map(sections)).toEqual(await alertsBy(SECTION, "bureau = 'B01'"));
    await ctx.close();
  }, 180_000);
});
