/**
 * Client benchmark: production bundle sizes (gzip) of the entry and of each lazy chunk,
 * against the full ECharts bundle; and the time to the first live alert on the wall after
 * navigation in headless Chromium, against the time to DOMContentLoaded.
 * Standalone: `npx tsx bench/client.ts`; or `import { run } from './client.js'`.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { startApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';

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
    await ctx.addInitScript((s) => localStorage.setItem('im.session', s), JSON.stringify(login));
    const page = await ctx.newPage();
    await page.goto(`${app.url}/#/wall`);
    await page.waitForFunction(() => document.querySelector('[data-testid=conn]')?.getAttribute('title') === 'online');
    const day = new Date(Date.now() + 8 * 3600_000 - 86400_000).toISOString().slice(0, 10);
    const postedAt = await page.evaluate(() => performance.now());
    await post('/api/events', [{ id: 'bench-1', ts: `${day}T21:00:00+08:00`, platform: 'collection', bureau: officer.bureau, officer: officer.id, matter, item: 'I-bench-1', action: 'approve' }], ingest);
    await page.waitForSelector('[data-testid=alert-row]', { timeout: 10_000 });
    const shownAt = await page.evaluate(() => performance.now());
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

export function format(l: BenchLine): string {
  return `${l.name}: ${l.value} ${l.unit} (${(l.value / l.baseline).toFixed(2)} x baseline)`;
}

export async function run(): Promise<BenchLine[]> {
  const lines = [...(await bundleSizes()), ...(await timeToFirstAlert())];
  for (const l of lines) console.log(format(l));
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
