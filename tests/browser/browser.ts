/**
 * What every browser test shares: Debian's Chromium launched headless through playwright-core, the
 * client built when its sources changed, and a logged-in page. One place, so that a change to the
 * login form or the launch flags is made once.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureClientBuilt } from '../../scripts/client-build.js';

export { ensureClientBuilt };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface OpenOptions {
  /** The hash route opened after the login, e.g. `#/work`. */
  hash?: string;
  locale?: string;
  /** Runs on the context before the first page opens (routes, init scripts). */
  setup?: (ctx: BrowserContext) => Promise<void>;
  /**
   * What "logged in" waits for: `online` the navigation and a connected socket (the default),
   * `nav` the navigation only, `live` the view's own live state (the big screen hides the shell).
   */
  wait?: 'online' | 'nav' | 'live';
  /** Default timeout of the page's waits and navigations (Playwright's own is 30 s). */
  timeoutMs?: number;
}

/** A new context and page on `url`, logged in through the login form as a user would. */
export async function openLoggedIn(browser: Browser, url: string, username: string, password: string, opts: OpenOptions = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, locale: opts.locale ?? 'zh-CN' });
  if (opts.timeoutMs) ctx.setDefaultTimeout(opts.timeoutMs);
  if (opts.setup) await opts.setup(ctx);
  const page = await ctx.newPage();
  await page.goto(`${url}/${opts.hash ?? ''}`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=login-submit]');
  // The pointer would rest where the login button was, maybe over a list that pauses on hover.
  await page.mouse.move(1, 1);
  const wait = opts.wait ?? 'online';
  if (wait === 'live') await page.waitForSelector('[data-testid=live-state][data-state=live]');
  else {
    await page.waitForSelector('[data-testid=nav]');
    if (wait === 'online') await page.waitForFunction(() => document.querySelector('[data-testid=conn]')?.getAttribute('title') === 'online');
  }
  return { ctx, page };
}
