/**
 * A store outage, injected by a wrapper around the real embedded store (sql/faulty-store.ts): while
 * it lasts events are acknowledged into the spool and evaluated, health is not `ok`; once the
 * store is back everything drains (events, the alert, its risk task) exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, login, postEvents, startTestApp, tempDir } from './helpers.js';
import { FaultyStore } from '../sql/faulty-store.js';
import { defaultReference } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let faulty!: FaultyStore;
let admin = '';
beforeAll(async () => {
  app = await startTestApp({}, tempDir(), { wrapStore: (s) => (faulty = new FaultyStore(s)) });
  admin = await login(app.url);
});
afterAll(async () => { faulty?.outage(false); await app?.close(); });

const spoolLines = () => readdirSync(join(app.dataDir, 'spool')).filter((f) => f.endsWith('.ndjson'))
  .reduce((n, f) => n + readFileSync(join(app.dataDir, 'spool', f), 'utf8').split('\n').filter(Boolean).length, 0);

describe('store outage', () => {
  it('what it does while the store is out and after it is back: spooled, health not ok, all drained once, the alert and its task once', async () => {
    const o = defaultReference.officers.filter((x) => x.role === 'tax')[3]!;
    const t0 = Date.now() - 86400_000;
    const ev = (i: number, action: string) => ({
      id: `out-${i}`, ts: new Date(t0 + i * 60_000).toISOString(), platform: 'service', bureau: o.bureau, officer: o.id,
      matter: defaultReference.matters[0]!.code, item: `out-item-${i}`, action,
    });
    // 295 handles and a burst of 5 cancels (PRC-05, high: an alert and a task).
    const events = Array.from({ length: 300 }, (_, i) => ev(i, i >= 100 && i < 105 ? 'cancel' : 'handle'));

    faulty.outage(true);
    const r = await postEvents(app.url, events);
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(300);
    expect(spoolLines()).toBe(300);
    const h = await fetch(`${app.url}/api/health`);
    expect(h.status).toBe(503);
    const hb = await h.json();
    expect(hb.status).not.toBe('ok');
    expect(hb.spool_bytes).toBeGreaterThan(0);
    // A resend during the outage is answered from the spooled ids, without the store.
    expect((await postEvents(app.url, events.slice(0, 10))).json).toMatchObject({ accepted: 0, duplicates: 10 });

    faulty.outage(false);
    await app.ctx.ingest.drain();
    await app.ctx.services.sink.flush();
    await app.ctx.services.tasks.idle();
    expect(spoolLines()).toBe(0);
    const [c] = await app.ctx.store.query<{ n: number; ids: number }>("SELECT count() AS n, uniqExact(id) AS ids FROM events WHERE startsWith(id, 'out-')");
    expect([Number(c!.n), Number(c!.ids)]).toEqual([300, 300]);
    const ok = await fetch(`${app.url}/api/health`);
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('ok');

    const alerts = (await api(app.url, admin, `/api/alerts?indicator=PRC-05&officer=${o.id}&limit=100`)).json.alerts as { id: string; task_id: string | null }[];
    expect(alerts).toHaveLength(1);
    const tasks = (await api(app.url, admin, '/api/tasks?indicator=PRC-05&limit=1000')).json.tasks as { id: string; alert_ids: string[] }[];
    const owners = tasks.filter((t) => t.alert_ids.includes(alerts[0]!.id));
    expect(owners.map((t) => t.id)).toEqual([alerts[0]!.task_id]);
    expect((await api(app.url, admin, '/api/audit/verify')).json.ok).toBe(true);

    // After the drain, a resend is a duplicate (the store answers) and a new id is accepted (positive control).
    expect((await postEvents(app.url, events)).json).toMatchObject({ accepted: 0, duplicates: 300 });
    expect((await postEvents(app.url, [ev(1000, 'handle')])).json).toMatchObject({ accepted: 1, duplicates: 0 });
  }, 120_000);
});
