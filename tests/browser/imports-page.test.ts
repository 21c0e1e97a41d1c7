/**
 * The admin's imports page in the browser (issue 14 points 1–2): an administrator picks an NDJSON
 * file of simulated history, uploads it, follows its progress to the end, and finds it in the import
 * history with the server's counts (equal to GET /api/imports/:id); a bad line is counted rejected.
 * Another role has no imports page (positive control: the admin has it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, api, login, startTestApp, tempDir } from '../helpers.js';
import { simulatedHistory, writeLines } from '../imports-helpers.js';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let browser: Browser;
beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('the imports page', () => {
  it('uploads a file, shows its progress to the end, and lists it in the history with the server\'s counts', async () => {
    const hist = simulatedHistory({ from: Date.parse('2026-04-06T00:00:00+08:00'), days: 2, prefix: 'ip-' });
    const file = writeLines(tempDir('im-imports-page-'), 'history-april.ndjson', [...hist.lines, '{"id":"ip-bad","ts":"not a time"}']);
    const { ctx, page } = await openLoggedIn(browser, app.url, 'admin', ADMIN_PASSWORD, { hash: '#/imports', timeoutMs: 60_000 });
    try {
      await page.waitForSelector('[data-testid=imports]');
      await page.setInputFiles('[data-testid=import-file]', file);
      expect(await page.inputValue('[data-testid=import-format]')).toBe('ndjson');
      await page.click('[data-testid=import-upload]');
      const current = await page.waitForSelector('[data-testid=import-current]');
      const id = (await current.getAttribute('data-id'))!;
      await page.waitForSelector('[data-testid=import-current][data-state=done]', { timeout: 120_000 });
      expect(await page.getAttribute('[data-testid=import-progress]', 'data-progress')).toBe('100');
      const admin = await login(app.url);
      const rec = (await api(app.url, admin, `/api/imports/${id}`)).json;
      expect(rec).toMatchObject({ state: 'done', rows_read: hist.events.length + 1, accepted: hist.events.length, rejected: 1 });
      const row = `[data-testid=import-row][data-id="${id}"]`;
      await page.waitForSelector(`${row}[data-state=done]`);
      const n = (s: string) => Number(s.replace(/[^\d]/g, ''));
      expect(n((await page.textContent(`${row} [data-testid=import-row-rows]`))!)).toBe(rec.rows_read);
      expect(n((await page.textContent(`${row} [data-testid=import-row-accepted]`))!)).toBe(rec.accepted);
      expect(n((await page.textContent(`${row} [data-testid=import-row-rejected]`))!)).toBe(1);
      expect(n((await page.textContent(`${row} [data-testid=import-row-alerts]`))!)).toBe(rec.alerts);
      expect(await page.textContent(row)).toContain('history-april.ndjson');
      expect(await page.textContent('[data-testid=nav]')).toContain('历史导入');
    } finally {
      await ctx.close();
    }
    // A discipline officer has no imports page.
    const other = await openLoggedIn(browser, app.url, 'discipline1', ADMIN_PASSWORD, { hash: '#/imports', wait: 'nav' });
    try {
      expect(await other.page.$('[data-testid=nav-imports]')).toBeNull();
      await other.page.waitForSelector('[data-testid=no-access]');
    } finally {
      await other.ctx.close();
    }
  }, 300_000);
});
