/**
 * The alert wall and the workbench in a real browser (Debian's chromium via playwright-core)
 * against a real server holding three days of history (~1,000 alerts, tests/wall-history.ts):
 * counters equal a direct ClickHouse count; filtering on "high" finds an alert older than the
 * newest 500; the big screen shows a silent socket as lost within 3 s and catches up after; a
 * click during a burst opens the alert that was under the pointer; keyboard navigation and the
 * big screen kept on the alert; a discipline officer's list holds only their tasks while others'
 * tasks are pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';
import { ADMIN_PASSWORD, api, eventually, login, postEvents, startTestApp } from '../helpers.js';
import { loadWallHistory } from '../wall-history.js';
import { defaultReference } from '../../streams/reference/default-data.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let browser: Browser;
let admin: string;
let seq = 0;

const tax = defaultReference.officers.filter((o) => o.role === 'tax' && o.bureau !== 'HQ');
const plain = defaultReference.matters.find((m) => !m.power)!;

/** One PRC-01 alert (accept and approve of one item by one officer: high, any hour), stamped now. */
function selfApproval() {
  const n = ++seq;
  const o = tax[(n * 13) % tax.length]!;
  const ts = Date.now() - 1000;
  const base = { platform: 'service', bureau: o.bureau, officer: o.id, matter: plain.code, item: `BW-${n}` };
  return { item: base.item, events: [
    { ...base, id: `bw-${n}a`, ts: new Date(ts - 500).toISOString(), action: 'accept' },
    { ...base, id: `bw-${n}b`, ts: new Date(ts).toISOString(), action: 'approve' },
  ] };
}

async function alertIdOfItem(item: string): Promise<string> {
  return eventually(async () => {
    const [r] = await app.ctx.store.query<{ id: string }>('SELECT id FROM alerts WHERE item = {item:String} LIMIT 1', { item });
    return r?.id;
  });
}

function openAs(username: string, password: string, hash = '', setup?: (ctx: BrowserContext) => Promise<void>): Promise<{ ctx: BrowserContext; page: Page }> {
  // Big screen hides the shell (nav, connection dot): wait for the view's own live state there.
  return openLoggedIn(browser, app.url, username, password, { hash, setup, wait: hash.includes('big=1') ? 'live' : 'online' });
}

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp({ TASK_MIN_SEVERITY: 'high' });
  admin = await login(app.url);
  await loadWallHistory(app.url, { days: 3, offHoursPerDay: 300, pairsPerDay: 60, prefix: 'bwh' });
  let last = -1;
  await eventually(async () => {
    const [{ n }] = await app.ctx.store.query<{ n: number }>('SELECT count() AS n FROM alerts FINAL');
    const settled = Number(n) > 500 && Number(n) === last;
    last = Number(n);
    return settled ? true : undefined;
  }, 120_000, 1500);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.race([app?.close(), new Promise((r) => setTimeout(r, 15_000))]);
});

describe('alert wall', () => {
  it("shows counters equal to a direct ClickHouse count over the window it states", async () => {
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid=counts-asof]');
    const shown = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=counts-asof]')!;
      const sev = Object.fromEntries([...document.querySelectorAll('[data-testid^=count-sev-]')].map((e) => [e.getAttribute('data-testid')!.slice(10), Number(e.getAttribute('data-n'))]));
      const cat = Object.fromEntries([...document.querySelectorAll('[data-testid^=count-cat-]')].map((e) => [e.getAttribute('data-testid')!.slice(10), Number(e.getAttribute('data-n'))]));
      return { from: el.getAttribute('data-from')!, to: el.getAttribute('data-to')!, sev, cat, text: document.querySelector('[data-testid=count-sev-medium] b')!.textContent };
    });
    expect(Date.parse(shown.to) - Date.parse(shown.from)).toBe(24 * 3600_000);
    const direct = async (col: string) => Object.fromEntries((await app.ctx.store.query<{ k: string; c: number }>(
      `SELECT ${col} AS k, count() AS c FROM alerts FINAL WHERE ts >= parseDateTime64BestEffort({f:String}, 3) AND ts < parseDateTime64BestEffort({t:String}, 3) GROUP BY k`,
      { f: shown.from, t: shown.to })).map((r) => [r.k, Number(r.c)]));
    const sev = await direct('severity');
    const cat = await direct('category');
    for (const s of ['critical', 'high', 'medium', 'low']) expect(shown.sev[s], s).toBe(sev[s] ?? 0);
    for (const c of ['service', 'process', 'inspection', 'filing']) expect(shown.cat[c], c).toBe(cat[c] ?? 0);
    expect(sev.medium).toBeGreaterThan(100);
    expect(shown.text!.replace(/,/g, '')).toBe(String(sev.medium));
    // Another window is another server count.
    await page.selectOption('[data-testid=count-window]', '7d');
    await page.waitForFunction((prev) => document.querySelector('[data-testid=counts-asof]')?.getAttribute('data-from') !== prev, shown.from);
    expect(page.url()).toContain('win=7d');
    await ctx.close();
  });

  it('filtering on "high" finds an alert older than the newest 500, and the filter lives in the URL', async () => {
    const newest = await app.ctx.store.query<{ id: string }>('SELECT id FROM alerts FINAL ORDER BY ts DESC, id DESC LIMIT 500');
    const [old] = await app.ctx.store.query<{ id: string }>(
      "SELECT id FROM alerts FINAL WHERE severity = 'high' AND id NOT IN {ids:Array(String)} ORDER BY ts DESC, id DESC LIMIT 1 OFFSET 150", { ids: newest.map((r) => r.id) });
    expect(old).toBeDefined();
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid=alert-row]');
    await page.selectOption('[data-testid=filter-severity]', 'high');
    expect(page.url()).toContain('severity=high');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=alert-row] .sev')].every((e) => e.textContent === '高') && document.querySelector('[data-testid=wall-list]')!.getAttribute('data-loading') === '0');
    // Scroll down until the old alert's row is in the DOM (the wall pages on the server as it scrolls).
    // The list is virtual (only the rows in view are in the DOM): each step moves less than one
    // view, so no row is skipped between two looks.
    const found = await eventually(async () => {
      if (await page.$(`[data-testid=alert-row][data-id="${old!.id}"]`)) return true;
      await page.$eval('[data-testid=wall-list]', (el) => { el.scrollTop += Math.max(40, el.clientHeight - 80); el.dispatchEvent(new Event('scroll')); });
      return undefined;
    }, 30_000, 100);
    expect(found).toBe(true);
    expect(await page.$$eval('[data-testid=alert-row] .sev', (els) => els.every((e) => e.textContent === '高'))).toBe(true);
    // A fresh page on the same URL shows the same filter.
    await page.reload();
    await page.waitForSelector('[data-testid=alert-row]');
    expect(await page.inputValue('[data-testid=filter-severity]')).toBe('high');
    await ctx.close();
  });

  it('big screen shows a silent socket as lost within 3 s, and the catch-up after', async () => {
    const routes: { ws: WebSocketRoute; cut: boolean; close: () => Promise<void> }[] = [];
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD, '#/wall?big=1', async (c) => {
      // Every socket.io connection goes through this proxy; `cut` silences it without closing it.
      await c.routeWebSocket(/\/socket\.io\//, (ws) => {
        const server = ws.connectToServer();
        const r = { ws, cut: false, close: async () => { await ws.close().catch(() => {}); await server.close().catch(() => {}); } };
        ws.onMessage((m) => { if (!r.cut) server.send(m); });
        server.onMessage((m) => { if (!r.cut) ws.send(m); });
        routes.push(r);
      });
    });
    await page.waitForSelector('[data-testid=live-state][data-state=live]');
    expect(await page.$('[data-testid=nav]')).toBeNull();
    // Positive control: while the line is up, a new alert shows up live.
    const first = selfApproval();
    await postEvents(app.url, first.events);
    const firstId = await alertIdOfItem(first.item);
    await page.waitForSelector(`[data-testid=alert-row][data-id="${firstId}"]`, { timeout: 5000 });

    const line = routes[routes.length - 1]!;
    line.cut = true;
    const cutAt = Date.now();
    await page.waitForSelector('[data-testid=live-state][data-state=lost]', { timeout: 5000 });
    const visibleAfter = Date.now() - cutAt;
    expect(visibleAfter).toBeLessThan(3000);
    expect(await page.textContent('[data-testid=live-state]')).toMatch(/连接中断/);

    // Missed while the line is silent.
    const missed = selfApproval();
    await postEvents(app.url, missed.events);
    const missedId = await alertIdOfItem(missed.item);
    await page.waitForTimeout(300);
    expect(await page.$(`[data-testid=alert-row][data-id="${missedId}"]`)).toBeNull();
    // The line drops for good; the client reconnects through a fresh proxy and asks for what it missed.
    await line.close();
    await page.waitForSelector('[data-testid=caught-up]', { timeout: 15_000 });
    expect(Number(await page.getAttribute('[data-testid=caught-up]', 'data-count'))).toBeGreaterThanOrEqual(1);
    await page.waitForSelector(`[data-testid=alert-row][data-id="${missedId}"]`, { timeout: 5000 });
    expect(await page.getAttribute('[data-testid=live-state]', 'data-state')).toBe('live');
    console.log(`wall: silent socket shown as lost after ${visibleAfter} ms`);
    await ctx.close();
  });

  it('a click during a burst opens the alert that was under the pointer; the list pauses and counts what waits', async () => {
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid=alert-row]');
    let bursting = true;
    const burst = (async () => {
      while (bursting) {
        // ~20 alerts a second: a busy afternoon on the wall, and every one opens a risk task.
        await postEvents(app.url, Array.from({ length: 3 }, () => selfApproval().events).flat());
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      // Rows are arriving at the top.
      const top0 = await page.getAttribute('[data-testid=alert-row]', 'data-id');
      await page.waitForFunction((id) => document.querySelector('[data-testid=alert-row]')?.getAttribute('data-id') !== id, top0, { timeout: 10_000 });
      const box = (await page.$$('[data-testid=alert-row]'))[3]!;
      const bb = (await box.boundingBox())!;
      const x = bb.x + bb.width / 2, y = bb.y + bb.height / 2;
      await page.mouse.move(x, y);
      const underPointer = await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)!.closest('[data-testid=alert-row]')!.getAttribute('data-id'), [x, y]);
      await page.waitForSelector('[data-testid=wall-paused]');
      // Alerts keep arriving while paused: they wait, counted, and the row under the pointer stays.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=wall-paused]')?.getAttribute('data-pending')) >= 5, null, { timeout: 10_000 });
      expect(await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)!.closest('[data-testid=alert-row]')!.getAttribute('data-id'), [x, y])).toBe(underPointer);
      await page.mouse.click(x, y);
      await page.waitForSelector('[data-testid=alert-detail]');
      expect(new URL(page.url()).hash).toContain(`id=${encodeURIComponent(underPointer!)}`);
      bursting = false;
      await burst;
      // The detail of that very alert (under this machine's load the server may take a while after the burst).
      await page.waitForSelector('[data-testid=alert-detail] [data-testid=alert-message]', { timeout: 60_000 });
      // Back on the wall, the arrivals come in highlighted.
      await page.goBack();
      await page.waitForSelector('[data-testid=alert-row].fresh', { timeout: 10_000 });
    } finally {
      bursting = false;
      await burst;
    }
    await ctx.close();
  }, 150_000); // its own waits add up to ~100 s on a loaded machine (the detail after the burst alone may take 60 s)

  it('keyboard: arrows select, Enter opens; the big screen stays big on the alert and on Back', async () => {
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD, '#/wall?big=1&severity=high');
    await page.waitForSelector('[data-testid=alert-row]');
    await page.focus('[data-testid=wall-list]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.getAttribute('[data-testid=alert-row].sel', 'data-id');
    const rows = await page.$$eval('[data-testid=alert-row]', (els) => els.map((e) => e.getAttribute('data-id')));
    expect(second).toBe(rows[1]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=alert-message]');
    expect(page.url()).toContain('big=1');
    expect(await page.$('[data-testid=nav]')).toBeNull();
    expect(new URL(page.url()).hash).toContain(`id=${encodeURIComponent(second!)}`);
    await page.click('[data-testid=back]');
    await page.waitForSelector('[data-testid=wall].big');
    expect(page.url()).toContain('severity=high');
    await ctx.close();
  });
});

describe('workbench', () => {
  it("a discipline officer's list holds only their tasks while others' tasks are pushed", async () => {
    const token = await login(app.url, 'discipline1', ADMIN_PASSWORD);
    const me = (await api(app.url, token, '/api/auth/me')).json.user.officer as string;
    expect(me).toBeTruthy();
    const { ctx, page } = await openAs('discipline1', ADMIN_PASSWORD, '#/work');
    const all = await openAs('admin', ADMIN_PASSWORD, '#/work');
    await page.waitForSelector('[data-testid=task-list]');
    const before = await app.ctx.store.query<{ n: number }>("SELECT count() AS n FROM tasks FINAL WHERE assignee != {me:String}", { me });
    const items: string[] = [];
    for (let i = 0; i < 15; i++) { const s = selfApproval(); items.push(s.item); await postEvents(app.url, s.events); }
    // The server drew all of them (others' tasks among them: the positive control).
    // (An officer's second PRC-01 alert attaches to their open task: count alerts linked to a drawn task.)
    await eventually(async () => {
      const [r] = await app.ctx.store.query<{ n: number }>(
        "SELECT count() AS n FROM alerts FINAL WHERE item IN {items:Array(String)} AND task_id IN (SELECT id FROM tasks FINAL WHERE assignee != '')", { items });
      return Number(r!.n) === items.length ? true : undefined;
    }, 90_000, 500);
    const [after] = await app.ctx.store.query<{ n: number }>("SELECT count() AS n FROM tasks FINAL WHERE assignee != {me:String}", { me });
    expect(Number(after!.n)).toBeGreaterThan(Number(before[0]!.n));
    // The admin's list received others' tasks live…
    await all.page.waitForFunction((m) => [...document.querySelectorAll('[data-testid=task-row]')].some((e) => e.getAttribute('data-assignee') !== m), me, { timeout: 10_000 });
    await page.waitForTimeout(1000);
    // …the officer's list holds only theirs, as many as the store has (the first page of 50).
    const assignees = await page.$$eval('[data-testid=task-row]', (els) => els.map((e) => e.getAttribute('data-assignee')));
    expect(assignees.every((a) => a === me)).toBe(true);
    const [mine] = await app.ctx.store.query<{ n: number }>("SELECT count() AS n FROM tasks FINAL WHERE assignee = {me:String} AND state != 'closed'", { me });
    expect(assignees.length).toBe(Math.min(50, Number(mine!.n)));
    // Ids are short, the full id on hover.
    const first = await page.$('[data-testid=task-row] td.id');
    if (first) expect((await first.getAttribute('title'))!.length).toBeGreaterThan((await first.textContent())!.length);
    await all.ctx.close();
    await ctx.close();
  }, 150_000);
});
