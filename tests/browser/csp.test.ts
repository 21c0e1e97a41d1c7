/**
 * The built client under the strict CSP in a real browser (Debian's chromium): every view of the
 * admin opens (and the officer profile), a live alert arrives over the cookie-authenticated socket, no CSP violation and no
 * console error occur, and no token is in script-readable storage or cookies. A deliberate inline
 * script is blocked and reported: the violation listener works (positive control).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureClientBuilt, launchBrowser } from './browser.js';
import { startTestApp, ADMIN_PASSWORD, postEvents } from '../helpers.js';
import { selfApprovalEvents } from '../security-helpers.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('strict CSP in the browser', () => {
  it('runs the whole client with no CSP violation or console error, the token only in the HttpOnly cookie', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(app.url + '/');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=nav]');
    await page.waitForFunction(() => document.querySelector('[data-testid=conn]')?.getAttribute('title') === 'online');
    // Before the login the client asks who it is (GET /api/auth/me): that 401 is the only error allowed.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    errors.length = 0;

    // A live alert over the socket, authenticated by the cookie alone.
    expect((await postEvents(app.url, selfApprovalEvents('B01', 'csp'))).status).toBe(202);
    await page.waitForSelector('[data-testid=alert-row]', { timeout: 30_000 });
    for (const v of ['board', 'analyst', 'work', 'cases', 'indicators', 'proposals', 'imports', 'wall']) {
      await page.click(`[data-testid=nav-${v}]`);
      await page.waitForFunction((view) => location.hash.startsWith(`#/${view}`), v);
      await page.waitForLoadState('networkidle');
      // A chart's tooltip as well (ECharts' HTML tooltips would use inline styles).
      const chart = page.locator('[data-ready="1"]').first();
      if (await chart.count()) await chart.hover();
    }
    await page.click('[data-testid=alert-row]');
    await page.waitForFunction(() => location.hash.startsWith('#/alert'));
    await page.waitForLoadState('networkidle');
    // The officer profile (its peer-position markers and charts), reached from the alert's subject.
    await page.click('[data-testid=alert-subject] [data-testid=officer-link]');
    await page.waitForSelector('[data-testid=officer-profile][data-ready="1"]');
    await page.waitForLoadState('networkidle');
    const profileChart = page.locator('[data-testid=officer-profile] [data-ready="1"]').first();
    if (await profileChart.count()) await profileChart.hover();

    const state = await page.evaluate(() => ({
      csp: (window as unknown as { __csp: string[] }).__csp,
      storage: [...Object.values(localStorage), ...Object.values(sessionStorage)].join(' '),
      cookie: document.cookie,
    }));
    expect(state.csp).toEqual([]);
    expect(errors).toEqual([]);
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'im_session')!;
    expect(session.httpOnly).toBe(true);
    expect(state.cookie).not.toContain('im_session');
    expect(state.storage).not.toContain(session.value);
    expect(state.storage).not.toMatch(/token/);

    // Positive control: an injected inline script is blocked and reported.
    const blocked = await page.evaluate(async () => {
      const reported = new Promise<string>((ok) => document.addEventListener('securitypolicyviolation', (e) => ok(e.violatedDirective), { once: true }));
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = 1';
      document.head.appendChild(s);
      return { directive: await reported, ran: (window as unknown as { __inlineRan?: number }).__inlineRan ?? 0 };
    });
    expect(blocked).toEqual({ directive: 'script-src-elem', ran: 0 });
    await ctx.close();
  }, 120_000);
});
