/**
 * The README's screenshots, taken from what a user of `npm start` sees: a server process with the
 * live simulator on, after 30 days of simulated history (`npm run simulate -- --days 30`, the
 * catalog's patterns planted) went in through POST /api/events. Logs in with the demo users in
 * Chromium and writes docs/screenshots/*.png (zh-CN, the wall also in English).
 *
 *   npx tsx scripts/screenshots.ts [--days 30]
 *
 * The browser tests take their own screenshots elsewhere (a temp folder): only this script
 * writes the ones the README shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, INGEST_TOKEN, ROOT, killHard, sleep, spawnServer, tempDir } from '../tests/helpers.js';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from '../tests/browser/browser.js';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const DAY = 86_400_000;
const daysAt = process.argv.indexOf('--days');
const days = daysAt > 0 ? Number(process.argv[daysAt + 1]) : 30;

const ymd = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await ensureClientBuilt((s) => console.log(s));
  const dir = tempDir('im-screenshots-');
  const file = join(dir, 'history.ndjson');
  console.log(execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'streams/simulator/cli.ts'), '--days', String(days), '--out', file], { cwd: ROOT, encoding: 'utf8' }).trim());
  const server = await spawnServer(join(dir, 'data'), { SIMULATE: '1', SIMULATE_RATE: '20', DEMO_USERS: '1', LOG_LEVEL: 'warn' });
  let browser: Browser | undefined;
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const now = Date.now();
    // History only: the live simulator stamps its own events now.
    const past = lines.filter((l) => Date.parse((JSON.parse(l) as { ts: string }).ts) < now - 60_000);
    for (let i = 0; i < past.length; i += 5000) {
      const r = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: past.slice(i, i + 5000).join('\n') });
      if (r.status !== 202) throw new Error(`POST /api/events: ${r.status} ${await r.text()}`);
    }
    console.log(`history: ${past.length} events posted`);
    // The engine works the history off behind the watermark: wait until the stored alerts stop growing.
    const login = await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })).json() as { token: string };
    let last = -1;
    for (;;) {
      await sleep(5000);
      const c = await (await fetch(`${server.url}/api/alerts/counts?from=${new Date(now - (days + 1) * DAY).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`, { headers: { authorization: `Bearer ${login.token}` } })).json() as { total?: number };
      const n = Number(c.total ?? 0);
      const h = await (await fetch(`${server.url}/api/health`)).json() as { engine_buffered_events: number };
      console.log(`alerts ${n}, engine buffered ${h.engine_buffered_events}`);
      if (n === last && h.engine_buffered_events < 1000) break;
      last = n;
    }

    browser = await launchBrowser();
    const range = `from=${ymd(now - 29 * DAY)}&to=${ymd(now)}`;
    const shoot = async (name: string, user: string, hash: string, ready: string, opts: { locale?: string; prepare?: (p: Page) => Promise<void> } = {}) => {
      const { ctx, page } = await openLoggedIn(browser!, server.url, user, ADMIN_PASSWORD, { hash, locale: opts.locale, wait: hash.includes('big=1') ? 'live' : 'online', timeoutMs: 120_000 });
      await page.waitForSelector(ready, { timeout: 120_000 });
      await opts.prepare?.(page);
      await page.waitForTimeout(1500); // charts finish their entry animation
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
      console.log(`docs/screenshots/${name}.png`);
      await ctx.close();
    };
    await shoot('login', 'admin', '', '[data-testid=nav]', { prepare: async (p) => { await p.context().clearCookies(); await p.reload(); await p.waitForSelector('[data-testid=login-form]'); } });
    await shoot('wall', 'discipline1', '#/wall', '[data-testid=counts-asof]');
    await shoot('wall-en', 'discipline1', '#/wall', '[data-testid=counts-asof]', { prepare: async (p) => { await p.click('[data-testid=lang-toggle]'); await sleep(500); } });
    await shoot('wall-bigscreen', 'discipline1', '#/wall?big=1', '[data-testid=alert-row]');
    await shoot('alert-detail', 'discipline1', '#/wall', '[data-testid=alert-row]', { prepare: async (p) => { await p.click('[data-testid=alert-row]'); await p.waitForSelector('[data-testid=alert-detail]'); } });
    await shoot('board', 'leader', `#/board?${range}&g=day`, '[data-testid=board][data-ready="1"]');
    await shoot('board-city', 'leader', `#/board?${range}&g=week`, '[data-testid=board][data-ready="1"]');
    await shoot('analyst', 'analyst', `#/analyst?${range}`, '[data-testid=analyst][data-ready="1"]');
    await shoot('analyst-evidence', 'analyst', `#/analyst?${range}`, '[data-testid=analyst][data-ready="1"]', { prepare: async (p) => { await p.click('[data-testid=drill-row]'); await p.waitForSelector('[data-testid=analyst][data-ready="1"]'); await p.click('[data-testid=drill-row]').catch(() => {}); } });
    await shoot('workbench', 'discipline1', '#/work', '[data-testid=task-row]', { prepare: async (p) => { await p.click('[data-testid=task-row]'); await p.waitForSelector('[data-testid=task-detail]').catch(() => {}); } });
    await shoot('indicators', 'admin', '#/indicators?id=SVC-01', '[data-testid=indicators]');
    await shoot('cases', 'discipline1', '#/cases', '[data-testid=cases]', { prepare: async (p) => { await p.waitForSelector('[data-testid=case-row]', { timeout: 60_000 }).catch(() => {}); } });
    await shoot('report-zh', 'leader', '#/reports', '[data-testid=reports]', { prepare: async (p) => { await p.click('[data-testid=report-make]'); await p.waitForSelector('[data-testid=reports][data-ready="1"]', { timeout: 120_000 }); } });
    await shoot('imports', 'admin', '#/imports', '[data-testid=imports]');
  } finally {
    await browser?.close();
    await killHard(server.proc);
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
