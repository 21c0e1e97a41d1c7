/**
 * Four eyes in the browser (Chromium): one administrator proposes a change of a user's rights on
 * the "Four eyes" page, is not offered their own proposal to approve (and the server refuses it),
 * a second administrator approves it there, and the change takes effect. An HQ leader has the
 * oversight page; a bureau leader has neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { startTestApp, ADMIN_PASSWORD, api, login } from '../helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ADMIN2_PASSWORD = 'Second-admin-pass-2026';

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

async function ensureBuilt() {
  const index = join(ROOT, 'dist/client/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'client')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

let app: Awaited<ReturnType<typeof startTestApp>>;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  app = await startTestApp();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
  // A second administrator: created inactive, activated on an HQ leader's approval (itself four eyes).
  const admin = await login(app.url);
  const c = await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'admin2', password: ADMIN2_PASSWORD, role: 'admin', bureau: 'HQ', reason: 'second administrator' } });
  expect(c.status).toBe(202);
  const hq = await login(app.url, 'leader');
  expect((await api(app.url, hq, `/api/proposals/${c.json.proposal.id}/approve`, { method: 'POST', body: {} })).status).toBe(200);
}, 180_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

async function openAs(username: string, password: string) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=nav]');
  return { ctx, page, errors };
}

describe('four-eyes proposals in the browser', () => {
  it('one administrator proposes, is never offered to approve it; a second approves it and it takes effect', async () => {
    const admin = await login(app.url);
    const before = ((await api(app.url, admin, '/api/users')).json.users as any[]).find((u) => u.username === 'analyst');
    expect(before.bureau).toBe('HQ');

    const a = await openAs('admin', ADMIN_PASSWORD);
    await a.page.click('[data-testid=nav-proposals]');
    await a.page.waitForSelector('[data-testid=propose-user-change]');
    await a.page.waitForSelector('[data-testid=propose-user] option[value=analyst]', { state: 'attached' });
    await a.page.selectOption('[data-testid=propose-user]', 'analyst');
    await a.page.selectOption('[data-testid=propose-bureau]', 'B02');
    await a.page.fill('[data-testid=propose-reason]', 'analyst moves to B02');
    await a.page.click('[data-testid=propose-submit]');
    const row = a.page.locator('[data-testid=proposal-row][data-proposer=admin]');
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    expect(id).toMatch(/^PR-/);
    // Never self-approve: the proposer sees "your proposal" and withdraw, no approve or reject.
    await row.locator('[data-testid=proposal-own]').waitFor();
    expect(await row.locator('[data-testid=proposal-approve]').count()).toBe(0);
    expect(await row.locator('[data-testid=proposal-reject]').count()).toBe(0);
    // The server refuses it too; the change has not taken effect.
    expect((await api(app.url, admin, `/api/proposals/${id}/approve`, { method: 'POST', body: {} })).status).toBe(403);
    expect(((await api(app.url, admin, '/api/users')).json.users as any[]).find((u) => u.username === 'analyst').bureau).toBe('HQ');
    await a.ctx.close();

    const b = await openAs('admin2', ADMIN2_PASSWORD);
    await b.page.click('[data-testid=nav-proposals]');
    const theirs = b.page.locator(`[data-testid=proposal-row][data-id="${id}"]`);
    await theirs.waitFor();
    await theirs.locator('[data-testid=proposal-note]').fill('checked with the analyst\'s bureau');
    await theirs.locator('[data-testid=proposal-approve]').click();
    await b.page.locator(`[data-testid=decided-row][data-id="${id}"][data-state=approved]`).waitFor();
    expect(await b.page.locator(`[data-testid=proposal-row][data-id="${id}"]`).count()).toBe(0);
    expect(b.errors).toEqual([]);
    await b.ctx.close();

    const after = ((await api(app.url, admin, '/api/users')).json.users as any[]).find((u) => u.username === 'analyst');
    expect(after.bureau).toBe('B02');
    const p = (await api(app.url, admin, `/api/proposals/${id}`)).json.proposal;
    expect(p).toMatchObject({ state: 'approved', proposer: 'admin', decided_by: 'admin2', decision_note: 'checked with the analyst\'s bureau' });
  });

  it('an HQ leader has the four-eyes and oversight pages with the four indicators; a bureau leader has neither', async () => {
    const hq = await openAs('leader', ADMIN_PASSWORD);
    const nav = await hq.page.$$eval('[data-testid^=nav-]', (els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
    expect(nav).toEqual(expect.arrayContaining(['proposals', 'oversight']));
    await hq.page.click('[data-testid=nav-oversight]');
    await hq.page.waitForSelector('[data-testid=oversight-indicator][data-id=OVS-04]');
    expect(await hq.page.locator('[data-testid=oversight-indicator]').count()).toBe(4);
    expect(hq.errors).toEqual([]);
    await hq.ctx.close();
    const b01 = await openAs('leader_b01', ADMIN_PASSWORD);
    const nav2 = await b01.page.$$eval('[data-testid^=nav-]', (els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
    expect(nav2).not.toContain('oversight');
    expect(nav2).not.toContain('proposals');
    await b01.page.goto(app.url + '/#/oversight');
    await b01.page.waitForSelector('[data-testid=no-access]');
    await b01.ctx.close();
  });
});
