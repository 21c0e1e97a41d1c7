/**
 * The board opened directly (its address typed or bookmarked, the socket not yet connected when the
 * board asks for its live strip): the strip fills from the on-demand `kpi:snapshot`, without waiting
 * for the next `kpi` push. The server pushes only every 10 minutes here, so nothing but the
 * on-demand answer can fill the strip within the test. Real server, real Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp } from '../helpers.js';
import type { RunningApp } from '../../server/app.js';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp({ KPI_PUSH_MS: '600000' });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('the board opened directly', () => {
  it('fills the live strip from the on-demand snapshot, without a kpi push', async () => {
    const { ctx, page } = await openLoggedIn(browser, app.url, 'admin', ADMIN_PASSWORD, { hash: '#/board', wait: 'nav' });
    try {
      // Reloading the board's address starts the page, and its socket, from nothing.
      await page.reload();
      const t0 = Date.now();
      const value = await page.waitForSelector('[data-testid=live-tasks_unfinished]', { timeout: 5000 }).then((e) => e.getAttribute('data-value'));
      const ms = Date.now() - t0;
      // The strip's figure is the server's: its count of unfinished tasks.
      expect(Number(value)).toBe(app.ctx.services.tasks.unfinished().length);
      expect(ms).toBeLessThan(5000);
    } finally {
      await ctx.close();
    }
  });
});
