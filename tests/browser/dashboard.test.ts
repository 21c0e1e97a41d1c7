/**
 * The dashboard in a real browser (Debian's chromium via playwright-core) against the real
 * server started in-process: roles, the live wall, filters, a 1,000 alerts/s burst, catch-up
 * after a reconnect, the analyst drill-down with Back, CSV export, the board, the indicator
 * page and the task workbench. Writes a screenshot of each view to $TMPDIR/im-test-screenshots (the README's come from scripts/screenshots.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';
import { startApp, type RunningApp } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';
import { recentOffHoursMs } from '../helpers.js';

// The test's own screenshots, to look at after a run; the README's come from scripts/screenshots.ts.
const SHOTS = join(tmpdir(), 'im-test-screenshots');
const INGEST = 'test-token-123456';
const PASSWORD = 'secret-pass-1';

let app: RunningApp;
let browser: Browser;
let dataDir: string;
let adminToken: string;
let powerMatter: string;
let officers: { id: string; bureau: string }[];
let seq = 0;

async function http<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(app.url + path, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A recent off-hours instant plus an offset: SVC-01 fires on arrival, inside the wall's 24-hour window. */
const OFF_HOURS = recentOffHoursMs();
function offHoursTs(offsetMs = 0): string {
  return new Date(OFF_HOURS + offsetMs).toISOString();
}

function svc01(bureauIndex = 0, over: Record<string, unknown> = {}) {
  const o = officers[bureauIndex % officers.length]!;
  const n = ++seq;
  return { id: `bt-${n}`, ts: offHoursTs(n), platform: 'collection', bureau: o.bureau, officer: o.id, matter: powerMatter, item: `I-bt-${n}`, action: 'approve', taxpayer: `T9100000${String(n).padStart(6, '0')}`, ...over };
}

async function postEvents(events: unknown[]) {
  const r = await http<{ accepted: number; rejected: unknown[] }>('/api/events', { method: 'POST', body: events, token: INGEST });
  expect(r.status).toBe(202);
  expect(r.body.rejected).toEqual([]);
  return r.body;
}

function openAs(username: string, password = PASSWORD, hash = ''): Promise<{ ctx: BrowserContext; page: Page }> {
  return openLoggedIn(browser, app.url, username, password, { hash });
}

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'im-browser-'));
  app = await startApp(parseConfig({
    DATA_DIR: dataDir, PORT: '0', SIMULATE: '0', ADMIN_PASSWORD: 'admin-pass-123', INGEST_TOKEN: INGEST,
    LATENESS_MS: '200', IDLE_MS: '100', LOG_LEVEL: 'warn', DEMO_USERS: '1',
  }));
  adminToken = (await http<{ token: string }>('/api/auth/login', { method: 'POST', body: { username: 'admin', password: 'admin-pass-123' } })).body.token;
  for (const [username, role, bureau] of [['disc1', 'discipline', 'HQ'], ['lead1', 'leader', 'B01'], ['ana1', 'analyst', 'HQ'], ['taxb02', 'tax', 'B02']] as const) {
    const r = await http('/api/users', { method: 'POST', token: adminToken, body: { username, password: PASSWORD, role, bureau } });
    expect(r.status).toBe(201);
  }
  const ref = (await http<{ matters: { code: string; power: boolean }[]; officers: { id: string; bureau: string; role: string }[] }>('/api/reference', { token: adminToken })).body;
  powerMatter = ref.matters.find((m) => m.power)!.code;
  // One tax officer per bureau, so alerts spread over the bureaus.
  const byBureau = new Map<string, { id: string; bureau: string }>();
  for (const o of ref.officers) if (o.role === 'tax' && o.bureau !== 'HQ' && !byBureau.has(o.bureau)) byBureau.set(o.bureau, o);
  officers = [...byBureau.values()];
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  // After the burst the server's task service may still be working off thousands of alerts;
  // closing waits for it, so bound the wait: the forked test process ends anyway.
  const closed = await Promise.race([app?.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  // Only remove the data of a server that has stopped writing to it.
  if (closed && dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard in a browser', () => {
  it('shows each role only its views', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(app.url + '/');
    await page.waitForSelector('[data-testid=login-form]');
    await shot(page, 'login');
    await ctx.close();
    const expected: Record<string, string[]> = {
      admin: ['wall', 'board', 'analyst', 'work', 'cases', 'indicators', 'proposals', 'reports', 'imports'],
      disc1: ['wall', 'work', 'cases', 'indicators'],
      lead1: ['board', 'wall', 'work', 'cases', 'indicators', 'reports'],
      ana1: ['analyst', 'indicators'],
      taxb02: ['work'],
    };
    for (const [user, views] of Object.entries(expected)) {
      const s = await openAs(user, user === 'admin' ? 'admin-pass-123' : PASSWORD);
      const nav = await s.page.$$eval('[data-testid^=nav-]', (els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
      expect(nav, user).toEqual(views);
      // A view outside the role is refused even by URL.
      if (!views.includes('analyst')) {
        await s.page.goto(app.url + '/#/analyst');
        await s.page.waitForSelector('[data-testid=no-access]');
      }
      await s.ctx.close();
    }
  });

  it('shows a posted per-event alert on the wall within a second; filters apply to the live stream; detail shows evidence', async () => {
    const { ctx, page } = await openAs('disc1');
    await page.waitForSelector('[data-testid=wall]');
    const ev = svc01(0);
    const t0 = Date.now();
    await postEvents([ev]);
    const row = await page.waitForSelector(`[data-testid=alert-row][data-indicator=SVC-01]`, { timeout: 5000 });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(1000);
    // The counters are the server's, re-read after arrivals.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=count-cat-service]')?.getAttribute('data-n')) >= 1, null, { timeout: 10_000 });
    await shot(page, 'wall');

    // Filter on a bureau: only its alerts come in, live.
    const other = officers[1]!.bureau;
    await page.selectOption('[data-testid=filter-bureau]', other);
    await postEvents([svc01(0), svc01(1)]);
    await page.waitForFunction((b) => document.querySelectorAll('[data-testid=alert-row]').length === 1
      && Number(document.querySelector('[data-testid=wall]')!.getAttribute('data-received')) === 3, other, { timeout: 5000 });
    const bureaus = await page.$$eval('[data-testid=alert-row] .bur', (els) => els.map((e) => e.textContent));
    expect(bureaus).toHaveLength(1);
    await page.selectOption('[data-testid=filter-severity]', 'high');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row]').length === 0);
    await page.selectOption('[data-testid=filter-severity]', '');
    await page.selectOption('[data-testid=filter-bureau]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row]').length === 3);

    // Detail: message, subject, evidence timeline.
    await row.click().catch(() => page.click('[data-testid=alert-row]'));
    await page.waitForSelector('[data-testid=evidence-event]');
    const evidenceIds = await page.$$eval('[data-testid=evidence-event]', (els) => els.map((e) => e.getAttribute('data-id')));
    expect(evidenceIds.length).toBe(1);
    expect(await page.textContent('[data-testid=alert-message]')).toMatch(/非工作时间/);
    await shot(page, 'alert-detail');
    await page.goBack();
    await page.waitForSelector('[data-testid=wall]');

    // Big-screen mode hides the shell.
    await page.click('[data-testid=bigscreen]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=nav]'));
    await shot(page, 'wall-bigscreen');
    await page.click('[data-testid=bigscreen]');
    await page.waitForSelector('[data-testid=nav]');
    await ctx.close();
  });

  it('catches up on alerts missed while disconnected', async () => {
    const { ctx, page } = await openAs('disc1');
    await page.waitForSelector('[data-testid=wall]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row]').length >= 3);
    await page.evaluate(() => (globalThis as any).__imSocket.pause());
    await page.waitForFunction(() => document.querySelector('[data-testid=conn]')?.getAttribute('title') !== 'online');
    const ev = svc01(2);
    await postEvents([ev]);
    await page.waitForTimeout(500);
    const before = await page.$$eval('[data-testid=alert-row]', (els) => els.map((e) => e.textContent ?? ''));
    expect(before.some((t) => t.includes(ev.officer))).toBe(false);
    await page.evaluate(() => (globalThis as any).__imSocket.resume());
    await page.waitForFunction((officer) => [...document.querySelectorAll('[data-testid=alert-row] .off')].some((e) => e.textContent === officer), ev.officer, { timeout: 5000 });
    await ctx.close();
  });

  it('switches language: UI strings and catalog names', async () => {
    const { ctx, page } = await openAs('disc1');
    await page.waitForSelector('[data-testid=alert-row]');
    expect(await page.textContent('[data-testid=nav-wall]')).toBe('预警墙');
    const zhName = await page.textContent('[data-testid=alert-row] .ind');
    await page.click('[data-testid=lang-toggle]');
    expect(await page.textContent('[data-testid=nav-wall]')).toBe('Alert wall');
    const enName = await page.textContent('[data-testid=alert-row] .ind');
    expect(enName).not.toBe(zhName);
    expect(enName).toMatch(/SVC-01 [A-Za-z]/);
    expect(await page.textContent('[data-testid=alert-row] .bur')).toMatch(/^[A-Za-z']+$/);
    await shot(page, 'wall-en');
    await page.click('[data-testid=lang-toggle]');
    expect(await page.textContent('[data-testid=nav-wall]')).toBe('预警墙');
    await ctx.close();
  });

  it('drills from city to evidence and back with the browser, and exports CSV of the screen', async () => {
    const { ctx, page } = await openAs('ana1');
    await page.waitForSelector('[data-testid=analyst]');
    await page.waitForSelector('[data-testid=drill-row]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid=analyst-trend][data-ready="1"]');
    await shot(page, 'analyst');

    // CSV of the city level: one line per bureau row on screen.
    const onScreen = await page.$$eval('[data-testid=drill-row]', (els) => els.map((e) => e.getAttribute('data-key')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toContain('基层局');
    expect(lines.length - 1).toBe(onScreen.length);
    for (const key of onScreen) expect(csv).toContain(`,${key},`);

    const levels = ['bureau', 'section', 'officer', 'indicator'];
    for (const level of levels) {
      await page.click('[data-testid=drill-row]');
      await page.waitForSelector(`[data-testid=drill-table][data-level=${level}]`);
      expect(page.url()).toMatch(/#\/analyst\?/);
    }
    // The alert list masks taxpayer ids for analysts (server-side).
    expect(await page.textContent('[data-testid=drill-taxpayer]')).toContain('*');
    await page.click('[data-testid=drill-row]');
    await page.waitForSelector('[data-testid=evidence-event]');
    expect((await page.$$('[data-testid=crumb]')).length).toBe(6);
    const deepUrl = page.url();
    await shot(page, 'analyst-evidence');

    // Back walks the drill path up again.
    for (const level of [...levels].reverse()) {
      await page.goBack();
      await page.waitForSelector(`[data-testid=drill-table][data-level=${level}]`);
    }
    await page.goBack();
    await page.waitForSelector('[data-testid=drill-table][data-level=city]');

    // The URL is shareable: a fresh page opens the same evidence.
    const other = await ctx.newPage();
    await other.goto(deepUrl);
    await other.waitForSelector('[data-testid=evidence-event]');
    await ctx.close();
  });

  it('shows the leader board scoped to the leader bureau', async () => {
    const { ctx, page } = await openAs('lead1');
    await page.waitForSelector('[data-testid=board]');
    // the scope is filled in once the session and the reference data are loaded
    await page.waitForFunction(() => (document.querySelector('[data-testid=board-scope]') as HTMLSelectElement | null)?.value === 'B01');
    expect(await page.isDisabled('[data-testid=board-scope]')).toBe(true);
    expect(await page.inputValue('[data-testid=board-scope]')).toBe('B01');
    await page.waitForSelector('[data-testid=board-ranking][data-ready="1"]');
    await page.waitForSelector('[data-testid=board-heatmap][data-ready="1"]');
    await page.waitForTimeout(500);
    await shot(page, 'board', true);
    await ctx.close();
    const hq = await openAs('leader', 'admin-pass-123'); // the demo HQ leader: a new HQ leader needs a second person's approval (four eyes)
    await hq.page.waitForSelector('[data-testid=board-heatmap][data-ready="1"]');
    expect(await hq.page.isDisabled('[data-testid=board-scope]')).toBe(false);
    await hq.page.waitForFunction(() => Number(document.querySelector('[data-testid=board-alert-total]')?.textContent?.replace(/,/g, '')) > 0);
    await hq.page.waitForTimeout(500);
    await shot(hq.page, 'board-city', true);
    await hq.ctx.close();
  });

  it('backtests a changed indicator definition as a chart before saving', async () => {
    const { ctx, page } = await openAs('admin', 'admin-pass-123', '#/indicators?id=SVC-01');
    await page.waitForSelector('[data-testid=ind-detail]');
    expect(await page.$$eval('[data-testid=ind-row]', (els) => els.length)).toBeGreaterThanOrEqual(11);
    // The parameters are a form; the whole definition as JSON is the advanced view.
    await page.waitForSelector('[data-testid=ind-form]');
    await page.click('[data-testid=ind-json-toggle]');
    const draft = JSON.parse(await page.inputValue('[data-testid=ind-draft]'));
    draft.severity = 'high';
    await page.fill('[data-testid=ind-draft]', JSON.stringify(draft, null, 2));
    await page.click('[data-testid=ind-backtest]');
    await page.waitForSelector('[data-testid=bt-chart][data-ready="1"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=bt-total]')).toMatch(/\d/);
    // The closed-loop comparison shows the server's counts for the same range and definition.
    const from = await page.inputValue('[data-testid=bt-from]');
    const to = await page.inputValue('[data-testid=bt-to]');
    const same = await http<{ closed_loop: { confirmed: { caught: number; total: number }; dismissed: { raised: number; total: number } } }>('/api/indicators/SVC-01/backtest', {
      method: 'POST', token: adminToken, body: { from: `${from}T00:00:00+08:00`, to: new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000).toISOString(), definition: draft },
    });
    expect(await page.textContent('[data-testid=bt-caught]')).toBe(`${same.body.closed_loop.confirmed.caught} / ${same.body.closed_loop.confirmed.total}`);
    expect(await page.textContent('[data-testid=bt-dismissed]')).toBe(`${same.body.closed_loop.dismissed.raised} / ${same.body.closed_loop.dismissed.total}`);
    await page.waitForTimeout(300);
    await shot(page, 'indicators');
    await ctx.close();
  });

  it('takes a risk task through accept, resolve and sign-off', async () => {
    // A medium SVC-01 alert opens a risk task, drawn to a discipline officer.
    await postEvents([svc01(3)]);
    let task: { id: string; state: string; assignee: string | null } | undefined;
    for (let i = 0; i < 50 && !task; i++) {
      const r = await http<{ tasks: { id: string; state: string; assignee: string | null }[] }>('/api/tasks?state=assigned', { token: adminToken });
      task = r.body.tasks.find((x) => x.assignee);
      if (!task) await new Promise((r) => setTimeout(r, 200));
    }
    expect(task).toBeDefined();
    const id = task!.id;
    // A login for the officer the draw picked.
    const created = await http('/api/users', { method: 'POST', token: adminToken, body: { username: 'investigator', password: PASSWORD, role: 'discipline', bureau: 'HQ', officer: task!.assignee } });
    expect(created.status).toBe(201);
    const { ctx, page } = await openAs('investigator', PASSWORD, '#/work');
    await page.waitForSelector(`[data-testid=task-row][data-id="${id}"]`);
    await page.click(`[data-testid=task-row][data-id="${id}"]`);
    await page.waitForSelector('[data-testid=task-detail][data-state=assigned]');
    await page.click('[data-testid=task-accept]');
    await page.waitForSelector('[data-testid=task-detail][data-state=investigating]');
    await page.selectOption('[data-testid=task-result]', 'dismissed');
    await page.fill('[data-testid=task-finding]', '经核查，系夜间应急办理，已补审批手续。');
    await page.click('[data-testid=task-resolve]');
    await page.waitForSelector('[data-testid=task-detail][data-state=resolved]');
    const history = await page.textContent('[data-testid=task-history]');
    expect(history).toContain('接收');
    expect(history).toContain('办结');
    await shot(page, 'workbench');
    await ctx.close();
    // Sign-off is a second person's: a city leader.
    const lead = await openAs('leader', 'admin-pass-123', `#/work?task=${encodeURIComponent(id)}`);
    await lead.page.waitForSelector('[data-testid=task-detail][data-state=resolved]');
    await lead.page.click('[data-testid=task-close]');
    await lead.page.waitForSelector('[data-testid=task-detail][data-state=closed]');
    expect(await lead.page.textContent('[data-testid=task-history]')).toContain('签批关闭');
    await lead.ctx.close();
    const after = await http<{ state: string; result: string }>(`/api/tasks/${encodeURIComponent(id)}`, { token: adminToken });
    expect(after.body.state).toBe('closed');
    expect(after.body.result).toBe('dismissed');
  });

  // Last: the server works off the burst's risk tasks for minutes after it (see docs/dashboard.md).
  it('stays responsive under 1,000 alerts/s for 10 s with a bounded DOM', async () => {
    const { ctx, page } = await openAs('disc1');
    await page.waitForSelector('[data-testid=wall]');
    const start = Number(await page.getAttribute('[data-testid=wall]', 'data-received'));
    const posts: Promise<unknown>[] = [];
    const latencies: number[] = [];
    const domRows: number[] = [];
    const t0 = Date.now();
    for (let tick = 0; tick < 100; tick++) {
      const batch = Array.from({ length: 100 }, (_, i) => svc01(i));
      posts.push(postEvents(batch));
      if (tick % 5 === 4) {
        // An input answered: type in the search box and time until the next frame is painted.
        const inPage = await page.evaluate(() => new Promise<number>((done) => {
          const el = document.querySelector('[data-testid=wall-search]') as HTMLInputElement;
          const t = performance.now();
          el.value = el.value ? '' : 'O';
          el.dispatchEvent(new Event('input', { bubbles: true }));
          requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0));
        }));
        latencies.push(inPage);
        domRows.push(await page.$$eval('[data-testid=alert-row]', (els) => els.length));
      }
      const wait = t0 + (tick + 1) * 100 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(posts);
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=wall-search]') as HTMLInputElement;
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // Let the stream drain: the wall fills to its cap.
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=wall]')!.getAttribute('data-received')) >= s + 10_000, start, { timeout: 180_000, polling: 500 })
      .catch(async (e) => { console.log('burst: received', Number(await page.getAttribute('[data-testid=wall]', 'data-received')) - start); throw e; });
    const shown = Number(await page.textContent('[data-testid=wall-shown]'));
    const rowsNow = await page.$$eval('[data-testid=alert-row]', (els) => els.length);
    console.log(`burst: input latency max ${Math.max(...latencies).toFixed(0)} ms (n=${latencies.length}), DOM rows max ${Math.max(...domRows, rowsNow)}, shown ${shown}, drained after ${Date.now() - t0} ms`);
    // The 90th percentile, not the max: on a 2-core CI box other test files share the CPU with the
    // browser, and one frame taken by the OS is not the wall being slow (every sample is logged).
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`burst: input latencies ${sorted.map((l) => l.toFixed(0)).join(' ')}`);
    expect(sorted[Math.floor(sorted.length * 0.9) - 1]).toBeLessThan(200);
    expect(Math.max(...domRows, rowsNow)).toBeLessThanOrEqual(60);
    // The list is capped (older rows come back from the server on scrolling).
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(5000);
    // Scrolling deep into the list keeps the DOM bounded too.
    await page.$eval('[data-testid=wall-list]', (el) => { el.scrollTop = 100_000; el.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(100);
    expect(await page.$$eval('[data-testid=alert-row]', (els) => els.length)).toBeLessThanOrEqual(60);
    await ctx.close();
  }, 300_000);
});
