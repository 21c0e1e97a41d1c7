/**
 * Client benchmark: production bundle sizes (gzip) of the entry and of each lazy chunk,
 * against the full ECharts bundle; and the time to the first live alert on the wall after
 * navigation in headless Chromium, against the time to DOMContentLoaded; and the leader board
 * fully loaded (every figure: KPI cards with their comparisons, ranking, heat map) for a 30-day
 * and a 1-year range over a year of history, p95, against the same figures computed from the
 * raw events and alerts (BENCH_BOARD_EVENTS events, default 10 million); and on that loaded server,
 * the wall's first row after navigation (p95 of fresh pages, against DOMContentLoaded).
 * Standalone: `npx tsx bench/client.ts`; or `import { run } from './client.js'`.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { startApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { replaceMatterHours, refreshOverdue, eventKpisFromRaw, overdueFromRaw } from '../sql/queries/kpis.js';
import { alertStatsFromRaw } from '../sql/queries/alert-stats.js';
import { generateChunk, generateSide, YEAR_START, generatorParams } from './kpis.js';
import { ensureClientBuilt } from '../scripts/client-build.js';
import { recentOffHoursMs } from '../tests/helpers.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const DIST = join(ROOT, 'dist/client');

export interface BenchLine { name: string; value: number; unit: string; baseline: number }

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

export async function bundleSizes(): Promise<BenchLine[]> {
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  const baseline = gz(join(ROOT, 'node_modules/echarts/dist/echarts.min.js'));
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const entry = /<script[^>]+src="\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no entry script in dist/client/index.html');
  const lines: BenchLine[] = [{ name: 'bundle.entry', value: kb(gz(join(DIST, entry))), unit: 'kB gzip', baseline: kb(baseline) }];
  for (const f of readdirSync(join(DIST, 'assets')).sort()) {
    if (!f.endsWith('.js') || `assets/${f}` === entry) continue;
    lines.push({ name: `bundle.lazy.${f.replace(/-[\w-]{8}\.js$/, '')}`, value: kb(gz(join(DIST, 'assets', f))), unit: 'kB gzip', baseline: kb(baseline) });
  }
  return lines;
}

export async function timeToFirstAlert(): Promise<BenchLine[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'im-bench-client-'));
  const ingest = 'bench-token-123456';
  const app = await startApp(parseConfig({ DATA_DIR: dataDir, PORT: '0', SIMULATE: '0', ADMIN_PASSWORD: 'admin-pass-123', INGEST_TOKEN: ingest, LATENESS_MS: '200', IDLE_MS: '100', LOG_LEVEL: 'warn' }));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const post = (path: string, body: unknown, token?: string) => fetch(app.url + path, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    }).then((r) => r.json());
    const login = await post('/api/auth/login', { username: 'admin', password: 'admin-pass-123' }) as { token: string; user: unknown };
    const ref = await (await fetch(app.url + '/api/reference', { headers: { authorization: `Bearer ${login.token}` } })).json() as { matters: { code: string; power: boolean }[]; officers: { id: string; bureau: string; role: string }[] };
    const matter = ref.matters.find((m) => m.power)!.code;
    const officer = ref.officers.find((o) => o.role === 'tax')!;

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // Logged in already (a stored session), as a wall screen is after its first start.
    await ctx.addCookies([{ name: 'im_session', value: login.token, url: app.url }]); // the browser's session is the HttpOnly cookie
    await ctx.addInitScript(recordWhenSeen(['[data-testid=alert-row]']));
    const page = await ctx.newPage();
    await page.goto(`${app.url}/#/wall`);
    await page.waitForFunction(() => document.querySelector('[data-testid=conn]')?.getAttribute('title') === 'online');
    const postedAt = await page.evaluate(() => performance.now());
    await post('/api/events', [{ id: 'bench-1', ts: new Date(recentOffHoursMs()).toISOString(), platform: 'collection', bureau: officer.bureau, officer: officer.id, matter, item: 'I-bench-1', action: 'approve' }], ingest);
    await page.waitForSelector('[data-testid=alert-row]', { timeout: 10_000 });
    const shownAt = await seenAt(page, '[data-testid=alert-row]');
    const dcl = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.domContentLoadedEventEnd;
    });
    await ctx.close();
    return [
      { name: 'wall.time_to_first_live_alert', value: Math.round(shownAt), unit: 'ms', baseline: Math.round(dcl) },
      { name: 'wall.alert_post_to_visible', value: Math.round(shownAt - postedAt), unit: 'ms', baseline: Math.round(dcl) },
    ];
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type SeenAt = { __seen: Record<string, number | undefined> };

/**
 * Runs in the page before its scripts: notes (page clock) when each selector first matches. The
 * figures are the page's own times; Playwright's waitForSelector polls with a back-off of up to
 * 500 ms and would add that to every measurement (it did: ~450 ms on each board load).
 */
// A string, not a function: tsx's transpiled functions carry helpers (__name) the page lacks.
const recordWhenSeen = (selectors: string[]) => ({
  content: `(() => {
    const selectors = ${JSON.stringify(selectors)};
    window.__seen = {};
    const look = () => { for (const s of selectors) if (window.__seen[s] === undefined && document.querySelector(s)) window.__seen[s] = performance.now(); };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
  })();`,
});

/** When (page clock) a selector recorded by recordWhenSeen first matched. */
const seenAt = (page: Page, selector: string): Promise<number> => page.evaluate((s) => (window as unknown as SeenAt).__seen[s]!, selector);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

export async function boardLoad(): Promise<BenchLine[]> {
  await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'im-bench-board-'));
  const app = await startApp(parseConfig({ DATA_DIR: dataDir, PORT: '0', SIMULATE: '0', ADMIN_PASSWORD: 'admin-pass-123', INGEST_TOKEN: 'bench-token-123456', LOG_LEVEL: 'warn' }));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const lines: BenchLine[] = [];
  try {
    const store = app.ctx.store;
    const ref = defaultReference;
    await replaceMatterHours(store, ref.matters.map((m) => ({ matter: m.code, hours: m.standard_hours })));
    const p = generatorParams(ref);
    const total = Number(process.env.BENCH_BOARD_EVENTS ?? 10_000_000);
    for (let s0 = 0; s0 < total; s0 += 5_000_000) await generateChunk(store, s0, Math.min(5_000_000, total - s0), total, p);
    await generateSide(store, p); // 200,000 alerts (230,000 rows: 30,000 second versions) over the year
    await refreshOverdue(store);
    const [{ c: events }] = await store.query<{ c: number }>('SELECT count() AS c FROM events');
    const [{ c: alerts }] = await store.query<{ c: number }>('SELECT uniqExact(id) AS c FROM alerts');
    console.log(`board: ${Number(events).toLocaleString('en')} events, ${Number(alerts).toLocaleString('en')} alerts over 2025`);

    const login = await (await fetch(app.url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).json() as { token: string; user: unknown };
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await ctx.addCookies([{ name: 'im_session', value: login.token, url: app.url }]); // the browser's session is the HttpOnly cookie
    await ctx.addInitScript(recordWhenSeen(['[data-testid=alert-row]', '[data-testid=board][data-ready="1"]']));
    const page = await ctx.newPage();
    await page.goto(`${app.url}/#/wall`);
    await page.waitForSelector('[data-testid=wall]');
    // The wall on the loaded server: navigation → its first row on screen (the newest of 200,000 alerts), a fresh page each run.
    const rowTimes: number[] = [];
    const dcls: number[] = [];
    const wallRuns = Number(process.env.BENCH_BOARD_RUNS ?? 10);
    for (let i = 0; i <= wallRuns; i++) {
      const p = await ctx.newPage();
      await p.goto(`${app.url}/#/wall`);
      await p.waitForSelector('[data-testid=alert-row]', { timeout: 30_000 });
      const shown = await seenAt(p, '[data-testid=alert-row]');
      const dcl = await p.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd);
      if (i > 0) { rowTimes.push(shown); dcls.push(dcl); } // the first is a warm-up
      await p.close();
    }
    lines.push({ name: 'wall.loaded_server.first_row_p95', value: Math.round(pct(rowTimes, 95)), unit: 'ms', baseline: Math.round(pct(dcls, 95)) });
    lines.push({ name: 'wall.loaded_server.first_row_p50', value: Math.round(pct(rowTimes, 50)), unit: 'ms', baseline: Math.round(pct(dcls, 50)) });
    const sh = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const ranges = [
      { name: '30d', from: sh(YEAR_START + 150 * 86400_000), to: sh(YEAR_START + 179 * 86400_000), g: 'day' },
      { name: '1y', from: '2025-01-01', to: '2025-12-31', g: 'month' },
    ];
    const runs = Number(process.env.BENCH_BOARD_RUNS ?? 10);
    for (const r of ranges) {
      const fromMs = Date.parse(`${r.from}T00:00:00+08:00`), toMs = Date.parse(`${r.to}T00:00:00+08:00`) + 86400_000;
      // Browser: navigation to the board → every figure on screen (data-ready), a fresh load each run.
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        await page.goto(`${app.url}/#/wall`);
        await page.waitForSelector('[data-testid=wall]');
        const t0 = await page.evaluate((h) => {
          const w = window as unknown as SeenAt;
          delete w.__seen['[data-testid=board][data-ready="1"]'];
          const at = performance.now();
          location.hash = h;
          return at;
        }, `#/board?from=${r.from}&to=${r.to}&g=${r.g}&n=${i}`);
        await page.waitForSelector('[data-testid=board][data-ready="1"]', { timeout: 60_000 });
        const readyAt = await seenAt(page, '[data-testid=board][data-ready="1"]');
        if (i > 0) times.push(readyAt - t0); // the first is a warm-up
        if (process.env.BENCH_BOARD_TRACE) {
          const [v] = await store.query<{ t: string; ms: number }>(`SELECT toString(last_success_time) AS t, last_success_duration_ms AS ms FROM system.view_refreshes WHERE view = 'kpi_overdue_mv'`);
          console.log(`board ${r.name} ${i}: ${Math.round(readyAt - t0)} ms at ${new Date().toISOString().slice(11, 23)} (overdue refresh last started ${v?.t}, took ${v?.ms} ms)`);
          const reqs = await page.evaluate((since) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((e) => e.responseEnd > since - 2000 && e.name.includes('/api/'))
            .map((e) => `${e.name.replace(/^.*\/api\//, '').slice(0, 40)} ${Math.round(e.startTime - since)}..${Math.round(e.responseEnd - since)} (ttfb ${Math.round(e.responseStart - e.requestStart)})`), t0);
          console.log('   ' + reqs.join('\n   '));
        }
      }
      // Baseline: the same figures from the raw tables (events for the KPIs, alerts FINAL for the counts).
      const sections = { matters: ref.matters.map((m) => m.code), platforms: ref.matters.map((m) => m.platform) };
      const raw = async () => {
        const len = toMs - fromMs;
        await Promise.all([fromMs - len, fromMs, fromMs - 365 * 86400_000].flatMap((f): Promise<unknown>[] => {
          const kr = { dim: 'all' as const, key: '', from: f, to: f + len, g: r.g as 'day' | 'month' };
          return [eventKpisFromRaw(store, kr), overdueFromRaw(store, kr)];
        }).concat([
          alertStatsFromRaw(store, { from: fromMs, to: toMs, group: ['bureau'], eq: {}, sections }),
          alertStatsFromRaw(store, { from: fromMs, to: toMs, group: ['bureau', 'category'], eq: {}, sections }),
        ]));
      };
      await raw();
      const rawTimes: number[] = [];
      for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) { const t0 = performance.now(); await raw(); rawTimes.push(performance.now() - t0); }
      const base = Math.round(pct(rawTimes, 95));
      lines.push({ name: `board.${r.name}.fully_loaded_p95`, value: Math.round(pct(times, 95)), unit: 'ms', baseline: base });
      lines.push({ name: `board.${r.name}.fully_loaded_p50`, value: Math.round(pct(times, 50)), unit: 'ms', baseline: base });
      lines.push({ name: `board.${r.name}.same_figures_from_raw_p95`, value: base, unit: 'ms', baseline: base });
    }
    await ctx.close();
  } finally {
    await browser.close();
    await app.close();
    try { rmSync(dataDir, { recursive: true, force: true }); } catch { /* chDB may still hold files; the figures matter more */ }
  }
  return lines;
}

export function format(l: BenchLine): string {
  return `${l.name}: ${l.value} ${l.unit} (${(l.value / l.baseline).toFixed(2)} x baseline)`;
}

export async function run(): Promise<BenchLine[]> {
  const only = process.env.BENCH_CLIENT_ONLY;
  const lines = only === 'board' ? await boardLoad() : [...(await bundleSizes()), ...(await timeToFirstAlert()), ...(await boardLoad())];
  for (const l of lines) console.log(format(l));
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
