/**
 * The officer profile in a real browser against a real server: from an alert on the wall (the
 * profile tag beside the officer in the row) and from an alert's detail (the subject's name), a
 * click lands on #/officer?id=… showing that officer's figures, each equal to
 * GET /api/officers/:id/profile; a bureau leader opening another bureau's officer gets a clear
 * message instead (the API's 404), their own bureau's officer the profile. Writes a screenshot of
 * the profile to $TMPDIR/im-test-screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';
import { ADMIN_PASSWORD, api, eventually, login, postEvents, startTestApp } from '../helpers.js';
import { defaultReference } from '../../streams/reference/default-data.js';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The test's own screenshot, to look at after a run.
const SHOTS = join(tmpdir(), 'im-test-screenshots');

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let browser: Browser;
let admin: string;

const tax = defaultReference.officers.filter((o) => o.role === 'tax' && o.bureau === 'B01' && o.active !== false);
const other = defaultReference.officers.find((o) => o.role === 'tax' && o.bureau === 'B02' && o.active !== false)!;
const plain = defaultReference.matters.find((m) => !m.power && m.platform === 'service')!;
const [O, P] = [tax[5]!, tax[6]!];

/** `n` PRC-01 alerts (accept and approve of one item by the same officer) and `ratings` taxpayer ratings, stamped now. */
function work(o: { id: string; bureau: string }, tag: string, n: number, ratings: number[]) {
  const ts = Date.now() - 60_000;
  const out = [];
  for (let i = 0; i < n; i++) {
    const base = { platform: 'service', bureau: o.bureau, officer: o.id, matter: plain.code, item: `${tag}-${i}` };
    out.push({ ...base, id: `${tag}-${i}a`, ts: new Date(ts + i * 1000).toISOString(), action: 'accept' }, { ...base, id: `${tag}-${i}b`, ts: new Date(ts + i * 1000 + 500).toISOString(), action: 'approve' });
  }
  ratings.forEach((score, i) => out.push({ platform: 'service', bureau: o.bureau, officer: o.id, matter: plain.code, item: `${tag}-${i}`, id: `${tag}-r${i}`, ts: new Date(ts + 30_000 + i).toISOString(), action: 'rate', attrs: { score } }));
  return out;
}

async function alertsOf(officer: string, n: number): Promise<string[]> {
  return eventually(async () => {
    const rows = await app.ctx.store.query<{ id: string }>('SELECT DISTINCT id FROM alerts WHERE officer = {o:String} ORDER BY id', { o: officer });
    return rows.length >= n ? rows.map((r) => r.id) : undefined;
  }, 30_000);
}

/** What the profile view shows: each figure card's attributes. */
async function shownFigures(page: Page): Promise<Record<string, { value: string; mean: string; median: string; rank: string; peers: string }>> {
  await page.waitForSelector('[data-testid=officer-profile][data-ready="1"]');
  return page.$$eval('[data-testid^=profile-fig-]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-testid')!.slice(12), {
    value: e.getAttribute('data-value')!, mean: e.getAttribute('data-mean')!, median: e.getAttribute('data-median')!, rank: e.getAttribute('data-rank')!, peers: e.getAttribute('data-peers')!,
  }])));
}

/** The profile the API gives for the same officer and period, as the view's attributes would read. */
async function apiFigures(officer: string, period: { from: string; to: string }) {
  const r = await api(app.url, admin, `/api/officers/${officer}/profile?from=${period.from}&to=${period.to}`);
  expect(r.status).toBe(200);
  const p = r.json;
  const attr = (f: any) => ({ value: f.value === null ? '' : String(f.value), mean: f.mean === null ? '' : String(f.mean), median: f.median === null ? '' : String(f.median), rank: f.rank === null ? '' : String(f.rank), peers: String(f.peers) });
  return {
    profile: p,
    figures: {
      alerts: attr(p.alerts.total), 'open-cases': attr(p.cases.open), 'closed-cases': attr(p.cases.closed), findings: attr(p.reviews.findings_share),
      overdue: attr(p.overdue.rate), satisfaction: attr(p.satisfaction.score), risk: attr(p.risk.peers),
    },
  };
}

async function expectProfileOf(page: Page, officer: string) {
  await page.waitForFunction((id) => location.hash.startsWith('#/officer') && document.querySelector('[data-testid=officer-profile]')?.getAttribute('data-officer') === id, officer);
  const shown = await shownFigures(page);
  const period = await page.$eval('[data-testid=profile-period]', (e) => ({ from: e.getAttribute('data-from')!, to: e.getAttribute('data-to')! }));
  const { profile, figures } = await apiFigures(officer, period);
  expect(shown).toEqual(figures);
  expect(await page.textContent('[data-testid=profile-name]')).toBe(`${profile.officer.name} (${officer})`);
  // The alerts by indicator as the API counts them.
  const rows = await page.$$eval('[data-testid=profile-indicators] tr[data-indicator]', (els) => els.map((e) => ({ indicator: e.getAttribute('data-indicator'), alerts: Number(e.getAttribute('data-value')) })));
  expect(rows).toEqual(profile.alerts.by_indicator.map((r: any) => ({ indicator: r.indicator, alerts: r.alerts })));
  return { shown, profile };
}

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
  admin = await login(app.url);
  expect((await postEvents(app.url, [...work(O, 'bop-o', 3, [5, 2]), ...work(P, 'bop-p', 1, [4]), ...work(other, 'bop-x', 1, [])])).status).toBe(202);
  await alertsOf(O.id, 3);
  await alertsOf(P.id, 1);
  await alertsOf(other.id, 1);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.race([app?.close(), new Promise((r) => setTimeout(r, 15_000))]);
});

describe('officer profile', () => {
  it("from a wall row: the officer's profile tag opens their profile with the API's figures (and the peer of the section)", async () => {
    const [alertId] = await alertsOf(O.id, 3);
    const { ctx, page } = await openLoggedIn(browser, app.url, 'discipline1', ADMIN_PASSWORD);
    const link = `[data-testid=alert-row][data-id="${alertId}"] [data-testid=officer-link]`;
    await page.waitForSelector(link);
    expect(await page.textContent(`[data-testid=alert-row][data-id="${alertId}"] .off`)).toBe(O.id);
    await page.click(link);
    const { shown, profile } = await expectProfileOf(page, O.id);
    // Hand check of the figures behind the comparison: the officer's alerts as a direct count (each
    // self-approval trips more than one indicator), the peer P in the section, ratings 5 and 2.
    const [{ n }] = await app.ctx.store.query<{ n: number }>('SELECT uniqExact(id) AS n FROM alerts WHERE officer = {o:String}', { o: O.id });
    expect(Number(n)).toBeGreaterThanOrEqual(3);
    expect(shown.alerts.value).toBe(String(n));
    expect(profile.section.peers).toContain(P.id);
    expect(profile.satisfaction).toMatchObject({ ratings: 2, low: 1 });
    expect(shown.satisfaction.value).toBe('3.5');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'officer-profile.png'), fullPage: true });
    // The peer's name on the profile is a link to their profile too.
    await page.click(`[data-testid=profile-peer][data-officer="${P.id}"]`);
    await expectProfileOf(page, P.id);
    await ctx.close();
  });

  it("from an alert's detail: the subject's name opens the profile, in English too", async () => {
    const [alertId] = await alertsOf(O.id, 3);
    const { ctx, page } = await openLoggedIn(browser, app.url, 'analyst', ADMIN_PASSWORD, { hash: `#/alert?id=${encodeURIComponent(alertId!)}`, locale: 'en-GB' });
    await page.click('[data-testid=lang-toggle]');
    await page.waitForSelector('[data-testid=alert-subject] [data-testid=officer-link]');
    await page.click('[data-testid=alert-subject] [data-testid=officer-link]');
    await expectProfileOf(page, O.id);
    expect(await page.textContent('[data-testid=officer-profile] h2')).toMatch(/Officer profile|干部画像/);
    await ctx.close();
  });

  it("a bureau leader: another bureau's officer is a clear message (the API's 404), their own bureau's officer the profile", async () => {
    const { ctx, page } = await openLoggedIn(browser, app.url, 'leader_b01', ADMIN_PASSWORD, { hash: `#/officer?id=${other.id}` });
    await page.waitForSelector('[data-testid=profile-denied]');
    expect(await page.getAttribute('[data-testid=profile-denied]', 'data-reason')).toBe('not_found');
    expect(await page.$('[data-testid^=profile-fig-]')).toBeNull();
    await page.evaluate((id) => { location.hash = `#/officer?id=${id}`; }, O.id);
    await expectProfileOf(page, O.id);
    await ctx.close();
  });
});
