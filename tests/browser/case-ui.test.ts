/**
 * A case handled end to end through the UI (issue 13, docs/cases.md "The Cases view"), in Chromium
 * against the real server and embedded ClickHouse: alerts of three indicators on one officer form
 * one case; the assigned discipline officer finds it in the Cases list, accepts it, resolves one
 * task alone (transferred to the discipline office) and the rest together, and records the office's
 * receipt; a leader signs the case off and records 初核, 立案 and 处分. Each state change is checked
 * against GET /api/cases/:id (and the handover's API), the timeline on screen lists every step, the
 * evidence package downloads, and the list pages with the server's cursor.
 */
import { other, subject, threeIndicators } from '../case-helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClientBuilt, launchBrowser, openLoggedIn } from './browser.js';
import { ADMIN_PASSWORD, api, eventually, login, postEvents, startTestApp } from '../helpers.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let browser: Browser;
let admin: string;

const HANDLER = 'casework';
const HANDLER_PASSWORD = 'Case-ui-handler-pass-5512';

// The test's own screenshots, to look at after a run (as the dashboard test does).
const SHOTS = join(tmpdir(), 'im-test-screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

const caseApi = async (id: string) => (await api(app.url, admin, `/api/cases/${id}`)).json;

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
  browser = await launchBrowser();
  admin = await login(app.url);
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('a case handled end to end in the browser', () => {
  let caseId = '';
  let tasks: string[] = [];

  it('alerts of three indicators on one officer form one case (and another officer has their own)', async () => {
    expect((await postEvents(app.url, [...threeIndicators(subject.id, 'B01', 'ui1', 'UI'), ...threeIndicators(other.id, 'B02', 'ui2', 'UI')])).status).toBe(202);
    const c = await eventually(async () => {
      const l = (await api(app.url, admin, `/api/cases?officer=${subject.id}`)).json.cases as any[];
      if (l.length !== 1) return undefined;
      const d = await caseApi(l[0].id);
      const inds = new Set((d.task_list as any[]).map((t) => t.indicator));
      return ['PRC-01', 'SVC-01', 'SVC-02'].every((i) => inds.has(i)) && (d.task_list as any[]).every((t) => t.state === 'assigned') ? d : undefined;
    }, 60_000);
    caseId = c.id;
    tasks = c.tasks;
    expect(c.state).toBe('assigned');
    expect(c.officer).toBe(subject.id);
    expect(new Set(c.alerts)).toEqual(new Set((c.task_list as any[]).flatMap((t) => t.alert_ids)));
    await eventually(async () => ((await api(app.url, admin, `/api/cases?officer=${other.id}`)).json.cases as any[]).length === 1 || undefined, 60_000);
    // The one the draw picked works the case: a discipline login linked to that officer.
    const made = await api(app.url, admin, '/api/users', { method: 'POST', body: { username: HANDLER, password: HANDLER_PASSWORD, role: 'discipline', bureau: 'HQ', officer: c.assignee } });
    expect(made.status).toBe(201);
  }, 120_000);

  it('the assignee opens it from the Cases list, accepts it, resolves one task alone and the rest together, and records the receipt', async () => {
    const { ctx, page } = await openLoggedIn(browser, app.url, HANDLER, HANDLER_PASSWORD, { hash: '#/cases', timeoutMs: 30_000 });
    const errors = watchErrors(page);
    // A discipline officer's list starts with their own cases.
    await page.locator(`[data-testid=case-row][data-id="${caseId}"]`).waitFor();
    expect(await page.locator('[data-testid=case-mine]').isChecked()).toBe(true);
    const rows = await page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-assignee')));
    const mine = (await caseApi(caseId)).assignee;
    expect(rows.every((a) => a === mine)).toBe(true);
    expect(await page.locator(`[data-testid=case-row][data-id="${caseId}"] [data-testid=officer-link]`).getAttribute('href')).toBe(`#/officer?id=${subject.id}`);
    await page.locator(`[data-testid=case-row][data-id="${caseId}"] [data-testid=case-link]`).click();
    await page.waitForFunction((id) => location.hash === `#/case?id=${encodeURIComponent(id)}`, caseId);
    await page.locator('[data-testid=case-detail][data-state=assigned]').waitFor();
    expect(await page.locator('[data-testid=case-officer] [data-testid=officer-link]').getAttribute('href')).toBe(`#/officer?id=${subject.id}`);
    // Its alerts link to the alert page; its tasks are listed; nobody is offered sign-off yet.
    const alertHrefs = await page.locator('[data-testid=case-alert]').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(alertHrefs.sort()).toEqual((await caseApi(caseId)).alerts.map((a: string) => `#/alert?id=${encodeURIComponent(a)}`).sort());
    expect(await page.locator('[data-testid=case-task]').count()).toBe(tasks.length);
    expect(await page.locator('[data-testid=case-close]').count()).toBe(0);
    await shot(page, 'case-assigned');

    // The Workbench's task detail links to the case.
    await page.goto(`${app.url}/#/work?task=${encodeURIComponent(tasks[0]!)}`);
    expect(await page.locator('[data-testid=task-case]').getAttribute('href')).toBe(`#/case?id=${encodeURIComponent(caseId)}`);
    await page.click('[data-testid=task-case]');
    await page.locator('[data-testid=case-detail][data-state=assigned]').waitFor();
    // So does the alert page, through the alert's task.
    const alertId = (await caseApi(caseId)).alerts[0] as string;
    await page.goto(`${app.url}/#/alert?id=${encodeURIComponent(alertId)}`);
    expect(await page.locator('[data-testid=alert-case]').getAttribute('href')).toBe(`#/case?id=${encodeURIComponent(caseId)}`);
    await page.click('[data-testid=alert-case]');
    await page.locator('[data-testid=case-detail][data-state=assigned]').waitFor();

    // Accept the case as a whole.
    await page.click('[data-testid=case-accept]');
    await page.locator('[data-testid=case-detail][data-state=investigating]').waitFor();
    let c = await caseApi(caseId);
    expect(c.state).toBe('investigating');
    expect((c.task_list as any[]).every((t) => t.state === 'investigating')).toBe(true);

    // One task alone: ticked, transferred to the discipline office.
    const [first, ...rest] = tasks as [string, ...string[]];
    await page.locator(`[data-testid=case-task][data-id="${first}"] [data-testid=case-task-select]`).check();
    await page.selectOption('[data-testid=case-result]', 'transferred');
    await page.fill('[data-testid=case-finding]', '自批自办属实，移送纪检。');
    await page.click('[data-testid=case-resolve]');
    await page.locator(`[data-testid=case-task][data-id="${first}"][data-state=resolved][data-result=transferred]`).waitFor();
    c = await caseApi(caseId);
    expect(c.state).toBe('investigating');
    const byId = (id: string) => (c.task_list as any[]).find((t) => t.id === id);
    expect(byId(first)).toMatchObject({ state: 'resolved', result: 'transferred', finding: '自批自办属实，移送纪检。', resolver: HANDLER });
    for (const id of rest) expect(byId(id).state).toBe('investigating');

    // The rest together, nothing ticked: the whole case.
    await page.selectOption('[data-testid=case-result]', 'dismissed');
    await page.fill('[data-testid=case-finding]', 'Explained by the duty roster.');
    await page.click('[data-testid=case-resolve]');
    await page.locator('[data-testid=case-detail][data-state=resolved]').waitFor();
    c = await caseApi(caseId);
    expect(c.state).toBe('resolved');
    for (const id of rest) expect((c.task_list as any[]).find((t) => t.id === id)).toMatchObject({ state: 'resolved', result: 'dismissed', resolver: HANDLER });
    // The resolver is not offered the sign-off (a second person signs off).
    expect(await page.locator('[data-testid=case-close]').count()).toBe(0);

    // The transferred task's handover: the package downloads (a zip), the receipt is recorded.
    const ho = page.locator(`[data-testid=handover][data-task="${first}"][data-state=transferred]`);
    await ho.waitFor();
    const href = await ho.locator('[data-testid=handover-package]').getAttribute('href');
    expect(href).toBe(`/api/handovers/${encodeURIComponent(`ho-${first}`)}/package`);
    const [download] = await Promise.all([page.waitForEvent('download'), ho.locator('[data-testid=handover-package]').click()]);
    const zip = readFileSync((await download.path())!);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    // The transferrer may record the receipt but is never offered the conclusion.
    await ho.locator('[data-testid=handover-receipt-no]').fill('JW-2026-118');
    await ho.locator('[data-testid=handover-advance]').click();
    await page.locator(`[data-testid=handover][data-task="${first}"][data-state=received]`).waitFor();
    const h = (await api(app.url, admin, `/api/handovers/ho-${first}`)).json;
    expect(h).toMatchObject({ state: 'received', receipt_no: 'JW-2026-118', transferred_by: HANDLER, case_id: caseId });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  it('a leader signs the case off and records 初核, 立案 and 处分; the timeline shown lists every step', async () => {
    const { ctx, page } = await openLoggedIn(browser, app.url, 'leader', ADMIN_PASSWORD, { hash: `#/case?id=${encodeURIComponent(caseId)}`, timeoutMs: 30_000 });
    const errors = watchErrors(page);
    await page.locator('[data-testid=case-detail][data-state=resolved]').waitFor();
    // A leader signs off; they do not work on the tasks.
    expect(await page.locator('[data-testid=case-accept], [data-testid=case-resolve]').count()).toBe(0);
    await page.fill('[data-testid=case-close-note]', '同意办结意见');
    await page.click('[data-testid=case-close]');
    await page.locator('[data-testid=case-detail][data-state=closed]').waitFor();
    const c = await caseApi(caseId);
    expect(c.state).toBe('closed');
    expect(c.closed_at).toBeTruthy();
    expect((c.task_list as any[]).every((t) => t.state === 'closed' && t.closer === 'leader' && t.close_note === '同意办结意见')).toBe(true);

    // The follow-up states, each checked against the handover's API.
    const ho = page.locator('[data-testid=handover]');
    for (const [to, note] of [['preliminary', '初核：材料齐全'], ['filed', '立案审查'], ['sanctioned', '给予警告处分']] as const) {
      await ho.locator('[data-testid=handover-next]').selectOption(to);
      await ho.locator('[data-testid=handover-note]').fill(note);
      await ho.locator('[data-testid=handover-advance]').click();
      await page.locator(`[data-testid=handover][data-state=${to}]`).waitFor();
      expect((await api(app.url, admin, `/api/handovers/ho-${tasks[0]}`)).json.state).toBe(to);
    }
    const h = (await api(app.url, admin, `/api/handovers/ho-${tasks[0]}`)).json;
    expect(h.outcome).toBe('confirmed');
    expect(h.history.map((s: any) => s.to)).toEqual(['transferred', 'received', 'preliminary', 'filed', 'sanctioned']);
    await shot(page, 'case-closed');
    expect(await ho.locator('[data-testid=handover-history] li').count()).toBe(5);
    expect(await ho.locator('[data-testid=handover-advance]').count()).toBe(0);

    // The timeline on screen is the case's one history: every entry of the API's, in its order, each task's steps among them.
    const tl = (await caseApi(caseId)).timeline as any[];
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=timeline-entry]').length === n, tl.length);
    const shown = await page.locator('[data-testid=timeline-entry]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-action'), e.getAttribute('data-task')]));
    expect(shown).toEqual(tl.map((e) => [e.kind, e.action, e.task ?? '']));
    for (const id of tasks) {
      const steps = shown.filter(([k, , t]) => k === 'task' && t === id).map(([, a]) => a);
      expect(steps).toEqual(expect.arrayContaining(['create', 'assign', 'accept', 'resolve', 'close']));
      expect(shown.some(([k, , t]) => k === 'deadline' && t === id)).toBe(true);
    }
    expect(shown.some(([k, a]) => k === 'audit' && a === 'case_open')).toBe(true);
    expect(shown.some(([k, a, t]) => k === 'audit' && a === 'handover_package' && t === tasks[0])).toBe(true);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  it('the list filters by state, bureau and officer, and pages with the server\'s cursor', async () => {
    const { ctx, page } = await openLoggedIn(browser, app.url, 'leader', ADMIN_PASSWORD, { hash: '#/cases?state=all&limit=1', timeoutMs: 30_000 });
    const errors = watchErrors(page);
    const all = ((await api(app.url, admin, '/api/cases?limit=1000')).json.cases as any[]).map((x) => x.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    // One row a page; "load more" asks for the next page until the server says there is none.
    await page.locator('[data-testid=case-row]').first().waitFor();
    for (let n = 1; n < all.length; n++) {
      expect(await page.locator('[data-testid=case-row]').count()).toBe(n);
      await page.click('[data-testid=cases-more]');
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=case-row]').length === k, n + 1);
    }
    await page.locator('[data-testid=cases-end]').waitFor();
    await shot(page, 'cases-list');
    expect(await page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(all);

    await page.goto(`${app.url}/#/cases?state=closed`);
    // The page before stays shown until the server's answer under the new filter replaces it.
    await page.waitForFunction((id) => { const r = [...document.querySelectorAll('[data-testid=case-row]')]; return r.length === 1 && r[0]!.getAttribute('data-id') === id; }, caseId);
    expect(await page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['closed']);
    // Both cases under "all"; the bureau filter keeps B02's only (another officer's case).
    await page.selectOption('[data-testid=case-state-filter]', 'all');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=case-row]').length === n, all.length);
    await page.selectOption('[data-testid=case-bureau-filter]', 'B02');
    await page.waitForFunction(() => { const r = [...document.querySelectorAll('[data-testid=case-row]')]; return r.length === 1; });
    expect(await page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-officer')))).toEqual([other.id]);
    await page.selectOption('[data-testid=case-bureau-filter]', '');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=case-row]').length === n, all.length);
    await page.fill('[data-testid=case-officer-filter]', subject.id);
    await page.press('[data-testid=case-officer-filter]', 'Enter');
    await page.waitForFunction((id) => location.hash.includes(`officer=${id}`), subject.id);
    await page.waitForFunction((id) => { const r = [...document.querySelectorAll('[data-testid=case-row]')]; return r.length === 1 && r[0]!.getAttribute('data-id') === id; }, caseId);
    // In English as well.
    await page.click('[data-testid=lang-toggle]');
    expect(await page.textContent('[data-testid=nav-cases]')).toBe('Cases');
    await page.locator('[data-testid=case-row]').first().click();
    await page.locator('[data-testid=case-timeline]').waitFor();
    expect(await page.locator('[data-testid=case-detail] h3').allTextContents()).toEqual(expect.arrayContaining(['Tasks of the case', 'Timeline', 'Alerts of the case']));
    await page.click('[data-testid=lang-toggle]');
    expect(await page.textContent('[data-testid=nav-cases]')).toBe('线索案件');
    expect(errors).toEqual([]);
    await ctx.close();

    // A bureau leader's list is their bureau's; a tax officer has no Cases view.
    const b = await openLoggedIn(browser, app.url, 'leader_b01', ADMIN_PASSWORD, { hash: '#/cases?state=all', timeoutMs: 30_000 });
    await b.page.locator(`[data-testid=case-row][data-id="${caseId}"]`).waitFor();
    expect(new Set(await b.page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-officer'))))).toEqual(new Set([subject.id]));
    expect(await b.page.locator('[data-testid=case-bureau-filter]').isDisabled()).toBe(true);
    await b.ctx.close();
    const tax = await openLoggedIn(browser, app.url, 'tax1', ADMIN_PASSWORD, { hash: `#/case?id=${encodeURIComponent(caseId)}`, wait: 'nav' });
    await tax.page.locator('[data-testid=no-access]').waitFor();
    expect(await tax.page.locator('[data-testid=nav-cases]').count()).toBe(0);
    await tax.ctx.close();
  }, 180_000);
});
