/**
 * An alert storm on one open task (TASK_ATTACH_EVERY_MS): alerts for a task that took alerts less
 * than the interval ago are held and attached together, in one task version; `idle()` attaches
 * what is held; a stop while alerts are held leaves them as orphans that the next start attaches.
 * Real embedded ClickHouse, real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api, login, startTestApp, tempDir } from './helpers.js';
import { insertAlerts } from '../sql/queries/alerts.js';
import { defaultReference } from '../streams/reference/default-data.js';
import type { Alert } from '../streams/types.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
// One embedded engine per process: each test closes its app before the next opens one.
let open: App | null = null;
async function start(env: Record<string, string>, dir?: string, clock?: () => number): Promise<App> {
  open = await startTestApp(env, dir, clock ? { clock } : {});
  return open;
}
afterEach(async () => { await open?.close().catch(() => undefined); open = null; });

const subjectOf = (bureau: string) => defaultReference.officers.find((o) => o.bureau === bureau && o.role === 'tax')!;
const matter = defaultReference.matters.find((m) => m.power)!.code;

function alertOf(id: string, officer: string, bureau: string, at: number): Alert {
  return {
    id, indicator: 'TSK-02', indicator_version: 1, category: 'process', severity: 'medium', ts: at, detected_at: at + 1000, bureau, officer, taxpayer: null,
    item: `item-${id}`, matter, evidence: [`ev-${id}`], message: { zh: '手工分配', en: 'Manual assignment' }, status: 'open',
  };
}

/** Stores the alerts (as the alert sink does) and hands them to the task service as one batch. */
async function raise(app: App, alerts: Alert[]): Promise<void> {
  await insertAlerts(app.ctx.store, alerts, Date.now());
  await app.ctx.services.tasks.onAlerts(alerts);
}

async function taskOf(app: App, token: string, officer: string): Promise<{ id: string; alert_count: number; alert_ids: string[]; history: { action: string; details: unknown }[] }> {
  const list = await api(app.url, token, '/api/tasks?indicator=TSK-02');
  const t = (list.json.tasks as { id: string; subject_officer: string }[]).find((x) => x.subject_officer === officer)!;
  return (await api(app.url, token, `/api/tasks/${t.id}`)).json;
}

describe('an alert storm on an open task', () => {
  it('holds alerts for a task attached to within the interval, then attaches them in one version when idle() is asked', async () => {
    const app = await start({ TASK_ATTACH_EVERY_MS: '600000' });
    const admin = await login(app.url);
    const s = subjectOf('B02');
    const t0 = Date.UTC(2026, 10, 24, 2);
    // One batch: opens the task and attaches its second alert at once (nothing held).
    await raise(app, [alertOf('st-1', s.id, 'B02', t0), alertOf('st-2', s.id, 'B02', t0 + 1000)]);
    const first = await taskOf(app, admin, s.id);
    expect(first.alert_count).toBe(2);
    expect(first.history.map((h) => h.action)).toEqual(['create', 'assign', 'attach']);
    // Two more batches within the interval: held, so the task and the alerts' links are unchanged.
    await raise(app, [alertOf('st-3', s.id, 'B02', t0 + 2000)]);
    await raise(app, [alertOf('st-4', s.id, 'B02', t0 + 3000), alertOf('st-5', s.id, 'B02', t0 + 4000)]);
    const held = await taskOf(app, admin, s.id);
    expect(held.alert_count).toBe(2);
    expect((await api(app.url, admin, '/api/health')).json.tasks_alerts_held).toBe(3);
    expect((await api(app.url, admin, '/api/alerts/st-3')).json.task_id).toBeNull();
    // Positive control beside it: an alert of another subject in the same moment opens its own task.
    const other = subjectOf('B05');
    await raise(app, [alertOf('st-other', other.id, 'B05', t0 + 2000)]);
    expect((await taskOf(app, admin, other.id)).alert_count).toBe(1);
    // idle() attaches what is held: one attach with the three alerts, in the order raised.
    await app.ctx.services.tasks.idle();
    const after = await taskOf(app, admin, s.id);
    expect(after.alert_count).toBe(5);
    expect((await api(app.url, admin, '/api/health')).json.tasks_alerts_held).toBe(0);
    expect(after.alert_ids).toEqual(['st-1', 'st-2', 'st-3', 'st-4', 'st-5']);
    expect(after.history.map((h) => h.action)).toEqual(['create', 'assign', 'attach', 'attach']);
    expect(after.history.at(-1)!.details).toMatchObject({ alerts: ['st-3', 'st-4', 'st-5'] });
    for (const id of ['st-3', 'st-4', 'st-5']) expect((await api(app.url, admin, `/api/alerts/${id}`)).json.task_id).toBe(after.id);
  });

  it('makes a large task wait longer between attaches, in proportion to its alerts, while a small one attaches after the interval', async () => {
    let now = Date.now();
    const app = await start({ TASK_ATTACH_EVERY_MS: '1000' }, undefined, () => now);
    const admin = await login(app.url);
    const big = subjectOf('B06'), small = subjectOf('B07');
    const t0 = Date.UTC(2026, 10, 24, 5);
    // 250 alerts in one batch: one task, attached at once (2.5 × the 100 alerts of one interval).
    await raise(app, Array.from({ length: 250 }, (_, i) => alertOf(`big-${i}`, big.id, 'B06', t0 + i)));
    await raise(app, [alertOf('small-0', small.id, 'B07', t0)]);
    expect((await taskOf(app, admin, big.id)).alert_count).toBe(250);
    now += 1500; // past the interval, before the large task's wait of 2.5 s
    await raise(app, [alertOf('big-250', big.id, 'B06', t0 + 300), alertOf('small-1', small.id, 'B07', t0 + 300)]);
    expect((await taskOf(app, admin, small.id)).alert_count).toBe(2); // the small task: attached
    expect((await taskOf(app, admin, big.id)).alert_count).toBe(250); // the large one: held
    expect((await api(app.url, admin, '/api/health')).json.tasks_alerts_held).toBe(1);
    now += 1100; // past 2.5 s: the next batch takes the held alert with it
    await raise(app, [alertOf('big-251', big.id, 'B06', t0 + 400)]);
    const after = await taskOf(app, admin, big.id);
    expect(after.alert_count).toBe(252);
    expect(after.alert_ids.slice(-2)).toEqual(['big-250', 'big-251']);
    expect((await api(app.url, admin, '/api/health')).json.tasks_alerts_held).toBe(0);
  });

  it('attaches every batch at once when the interval is 0', async () => {
    const app = await start({ TASK_ATTACH_EVERY_MS: '0' });
    const admin = await login(app.url);
    const s = subjectOf('B03');
    const t0 = Date.UTC(2026, 10, 24, 3);
    await raise(app, [alertOf('z-1', s.id, 'B03', t0)]);
    await raise(app, [alertOf('z-2', s.id, 'B03', t0 + 1000)]);
    const t = await taskOf(app, admin, s.id);
    expect(t.alert_count).toBe(2);
    expect(t.history.map((h) => h.action)).toEqual(['create', 'assign', 'attach']);
  });

  it('leaves held alerts as orphans when stopped, and the next start attaches them to the same task', async () => {
    const dir = tempDir();
    const app = await start({ TASK_ATTACH_EVERY_MS: '600000' }, dir);
    const admin = await login(app.url);
    const s = subjectOf('B04');
    const t0 = Date.UTC(2026, 10, 24, 4);
    await raise(app, [alertOf('sr-1', s.id, 'B04', t0)]);
    await raise(app, [alertOf('sr-2', s.id, 'B04', t0 + 1000)]);
    const before = await taskOf(app, admin, s.id);
    expect(before.alert_count).toBe(1);
    // Stopping: idle() after stop() does not attach them; they stay stored without a task.
    app.ctx.services.tasks.stop();
    await app.ctx.services.tasks.idle();
    expect((await api(app.url, admin, '/api/alerts/sr-2')).json.task_id).toBeNull();
    await app.close();
    open = null;
    const again = await start({ TASK_ATTACH_EVERY_MS: '600000' }, dir);
    const token = await login(again.url);
    // The start takes up alerts without a task once its working set is loaded.
    let t = await taskOf(again, token, s.id);
    for (let i = 0; i < 100 && t.alert_count < 2; i++) {
      await again.ctx.services.tasks.idle();
      t = await taskOf(again, token, s.id);
    }
    expect(t.id).toBe(before.id);
    expect(t.alert_ids).toEqual(['sr-1', 'sr-2']);
    expect((await api(again.url, token, '/api/alerts/sr-2')).json.task_id).toBe(before.id);
  });
});
