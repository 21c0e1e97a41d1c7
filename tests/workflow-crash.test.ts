/**
 * Crash-consistent workflow writes (issue 9, point 4): a risk-task batch is five inserts (tasks,
 * history, draws, alert links, audit) behind a write-ahead intent. Faults are injected at each
 * step by a wrapper around the real embedded store (sql/faulty-store.ts): in-process, the step
 * fails before it reaches the store or after it landed ("stored, then reported failed"); in a real
 * server process, kill -9 right before or after the step, then a restart completes the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { api, eventually, exampleEvents, exampleReference, killHard, login, postEvents, spawnServer, startTestApp, tempDir } from './helpers.js';
import { FaultyStore, type FaultAction } from '../sql/faulty-store.js';
import { insertAlerts } from '../sql/queries/alerts.js';
import { defaultReference } from '../streams/reference/default-data.js';
import type { Alert } from '../streams/types.js';
import type { Store } from '../sql/store.js';

const STEPS = ['tasks', 'task_events', 'assignment_draws', 'alerts', 'audit_log'] as const;
const MEDIUM_UP = new Set(['medium', 'high', 'critical']);

/** What a correctly stored single-alert batch looks like in the store, read back by SQL. */
async function batchOfAlert(store: Store, alertId: string) {
  const tasks = await store.query<{ id: string }>('SELECT id FROM tasks FINAL WHERE has(alert_ids, {a:String})', { a: alertId });
  const id = tasks[0]?.id ?? '';
  const [ev] = await store.query<{ n: number; keys: number }>('SELECT count() AS n, uniqExact(task_id, seq) AS keys FROM task_events WHERE task_id = {id:String}', { id });
  const [dr] = await store.query<{ n: number }>('SELECT count() AS n FROM assignment_draws WHERE task_id = {id:String}', { id });
  const [al] = await store.query<{ task_id: string }>('SELECT task_id FROM alerts FINAL WHERE id = {a:String}', { a: alertId });
  const audit = await store.query<{ action: string }>('SELECT action FROM audit_log WHERE target = {t:String} ORDER BY seq', { t: `task:${id}` });
  return { tasks: tasks.length, id, events: Number(ev!.n), eventKeys: Number(ev!.keys), draws: Number(dr!.n), linkedTo: al?.task_id ?? null, audit: audit.map((a) => a.action) };
}

describe('workflow writes with a fault at each step (in-process, real embedded ClickHouse)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let faulty!: FaultyStore;
  let admin = '';
  beforeAll(async () => {
    app = await startTestApp({}, tempDir(), { wrapStore: (s) => (faulty = new FaultyStore(s, [], () => { throw new Error('no kill in-process'); })) });
    admin = await login(app.url);
  });
  afterAll(async () => { await app?.close(); });

  const subjects = defaultReference.officers.filter((o) => o.role === 'tax');
  let n = 0;
  const alertFor = (): Alert => {
    const s = subjects[n]!;
    const t = Date.UTC(2026, 10, 20, 3, n);
    n++;
    return {
      id: `fault-alert-${n}`, indicator: 'TSK-02', indicator_version: 1, category: 'process', severity: 'medium', ts: t, detected_at: t + 1000,
      bureau: s.bureau, officer: s.id, taxpayer: null, item: `fault-item-${n}`, matter: defaultReference.matters[0]!.code, evidence: [`fault-ev-${n}`],
      message: { zh: '故障', en: 'Fault' }, status: 'open',
    };
  };

  it('what it does with no fault (the positive control): one task, two history rows, one draw, the alert linked, the draw commitment and three audit records', async () => {
    const a = alertFor();
    await insertAlerts(app.ctx.store, [a], Date.now());
    await app.ctx.services.tasks.onAlerts([a]);
    await app.ctx.services.tasks.idle();
    const b = await batchOfAlert(app.ctx.store, a.id);
    expect(b).toMatchObject({ tasks: 1, events: 2, eventKeys: 2, draws: 1, linkedTo: b.id, audit: ['draw_commit', 'task_create', 'assignment_draw', 'task_assign'] });
  });

  for (const table of STEPS) {
    for (const action of ['fail-before', 'fail-after'] as FaultAction[]) {
      it(`what it does when the ${table} insert ${action === 'fail-before' ? 'fails' : 'lands but is reported failed'}: the retry completes the batch, nothing twice, the audit chain intact`, async () => {
        const a = alertFor();
        await insertAlerts(app.ctx.store, [a], Date.now());
        const writesBefore = faulty.log.length;
        faulty.add({ action, op: 'insert', target: table, nth: 1 });
        await app.ctx.services.tasks.onAlerts([a]);
        await app.ctx.services.tasks.idle();
        expect(faulty.armed).toBe(0); // the fault did fire
        const landed = faulty.log.slice(writesBefore).filter((w) => w === `insert:${table}`).length;
        // fail-after: landed once, not again on the retry; fail-before: landed on the retry. A batch
        // writes audit_log twice: the draw's commitment (before the draw), then the batch's records.
        expect(landed).toBe(table === 'audit_log' ? 2 : 1);
        const b = await batchOfAlert(app.ctx.store, a.id);
        expect(b).toMatchObject({ tasks: 1, events: 2, eventKeys: 2, draws: 1, linkedTo: b.id, audit: ['draw_commit', 'task_create', 'assignment_draw', 'task_assign'] });
        const v = await api(app.url, admin, '/api/audit/verify');
        expect(v.json.ok).toBe(true);
        expect(readdirSync(join(app.dataDir, 'workflow-intents'))).toEqual([]);
      });
    }
  }

  it('what a user action does when its audit insert lands but is reported failed: accepted once, one audit record, chain intact', async () => {
    const a = alertFor();
    await insertAlerts(app.ctx.store, [a], Date.now());
    await app.ctx.services.tasks.onAlerts([a]);
    await app.ctx.services.tasks.idle();
    const { id } = await batchOfAlert(app.ctx.store, a.id);
    faulty.add({ action: 'fail-after', op: 'insert', target: 'audit_log', nth: 1 });
    const task = (await app.ctx.services.tasks.get(id))!;
    expect(task.assignee).not.toBe('');
    const assignee = defaultReference.officers.find((o) => o.id === task.assignee)!;
    const out = await app.ctx.services.tasks.accept(id, { username: `u-${assignee.id}`, role: 'discipline', bureau: assignee.bureau, officer: assignee.id } as never);
    expect(out.ok).toBe(true);
    expect(faulty.armed).toBe(0);
    const b = await batchOfAlert(app.ctx.store, a.id);
    expect(b.audit).toEqual(['draw_commit', 'task_create', 'assignment_draw', 'task_assign', 'task_accept']);
    expect(b.eventKeys).toBe(3);
    expect((await api(app.url, admin, '/api/audit/verify')).json.ok).toBe(true);
  });
});

describe('workflow writes with kill -9 at each step (real server process, restart completes the batch)', () => {
  const running: ChildProcess[] = [];
  afterAll(async () => { for (const p of running) await killHard(p); });

  const cases: { fault: string; label: string }[] = [
    { fault: 'kill-before:insert:tasks:1', label: 'before the tasks insert' },
    // Armed by the batch's own tasks insert (earlier audit writes at start and on the reference PUT do not count).
    ...STEPS.map((t) => ({ fault: t === 'tasks' ? 'kill-after:insert:tasks:1' : `kill-after:insert:${t}:1@tasks`, label: `right after the ${t} insert` })),
  ];

  for (const c of cases) {
    it(`what a restart does after a kill -9 ${c.label}: every medium+ alert in exactly one task, history and audit once, chain intact`, async () => {
      const dir = tempDir();
      // The run that dies at the fault: the reference (no task writes), then the example events.
      let s = await spawnServer(dir, { FAULT_INJECT: c.fault, LATENESS_MS: '300', IDLE_MS: '200' });
      running.push(s.proc);
      let token = await login(s.url);
      expect((await api(s.url, token, '/api/reference', { method: 'PUT', body: exampleReference() })).status).toBe(200);
      const died = new Promise<string | null>((ok) => s.proc.once('exit', (_code, sig) => ok(sig)));
      expect((await postEvents(s.url, exampleEvents())).status).toBe(202);
      expect(await died).toBe('SIGKILL'); // the fault killed it
      const left = readdirSync(join(dir, 'workflow-intents'));
      expect(left.length).toBe(1); // the interrupted batch's intent survived the kill

      s = await spawnServer(dir, { LATENESS_MS: '300', IDLE_MS: '200' });
      running.push(s.proc);
      token = await login(s.url);
      const health = (await (await fetch(`${s.url}/api/health`)).json()) as Record<string, unknown>;
      expect(health.tasks_recovered_batches).toBe(1); // the restart completed it
      const state = async () => {
        const alerts = (await api(s.url, token, '/api/alerts?limit=1000')).json.alerts as { id: string; severity: string; task_id: string | null }[];
        const tasks = (await api(s.url, token, '/api/tasks?limit=1000')).json.tasks as { id: string; alert_ids: string[] }[];
        return { alerts: alerts.filter((a) => MEDIUM_UP.has(a.severity)), tasks };
      };
      const { alerts, tasks } = await eventually(async () => {
        const st = await state();
        return st.alerts.length > 0 && st.alerts.every((a) => a.task_id) ? st : undefined;
      }, 30_000);
      for (const a of alerts) {
        const owners = tasks.filter((t) => t.alert_ids.includes(a.id));
        expect(owners.map((t) => t.id)).toEqual([a.task_id]);
      }
      for (const t of tasks) {
        const h = (await api(s.url, token, `/api/tasks/${t.id}/history`)).json.history as { seq: number }[];
        expect(new Set(h.map((x) => x.seq)).size).toBe(h.length);
      }
      const audit = (await api(s.url, token, '/api/audit?limit=1000')).json.records as { action: string; target: string }[];
      const draws = audit.filter((r) => r.action === 'assignment_draw').map((r) => r.target);
      expect(new Set(draws).size).toBe(draws.length);
      expect((await api(s.url, token, '/api/audit/verify')).json.ok).toBe(true);
      expect(readdirSync(join(dir, 'workflow-intents'))).toEqual([]);
      await killHard(s.proc);
    }, 120_000);
  }
});
