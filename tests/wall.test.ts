/**
 * The wall's server side against the real embedded ClickHouse and real HTTP / socket.io, on three
 * days of history (tests/wall-history.ts, ~1,000 alerts): counters equal direct ClickHouse counts over the stated
 * window (with filters and a leader's scope), the list filters and searches on the server
 * beyond any client-side slice, and `task` pushes reach a discipline officer only for their tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { api, eventually, login, startTestApp } from './helpers.js';
import { loadWallHistory } from './wall-history.js';
import type { TaskChangeDTO } from '../server/socket/events.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let admin: string;
const pushes = new Map<string, TaskChangeDTO[]>();
const sockets: Socket[] = [];
const DAY = 86_400_000;

function listen(name: string, token: string): Promise<void> {
  const s = connect(app.url, { auth: { token }, transports: ['websocket'] });
  sockets.push(s);
  pushes.set(name, []);
  s.on('task', (t: TaskChangeDTO) => pushes.get(name)!.push(t));
  return new Promise((ok, fail) => { s.once('connect', () => ok()); s.once('connect_error', fail); });
}

async function directCounts(where: string, params: Record<string, unknown>, facet: string): Promise<Record<string, number>> {
  const rows = await app.ctx.store.query<{ k: string; c: number }>(`SELECT ${facet} AS k, count() AS c FROM alerts FINAL WHERE ${where} GROUP BY k`, params);
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.c)]));
}

beforeAll(async () => {
  // Only high alerts open tasks: the pairs' ~180 tasks, not one per off-hours approval.
  app = await startTestApp({ TASK_MIN_SEVERITY: 'high' });
  admin = await login(app.url);
  await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'lead_b02', password: 'lead-pass-1234', role: 'leader', bureau: 'B02' } });
  await listen('admin', admin);
  await listen('discipline1', await login(app.url, 'discipline1', 'admin-pass-123'));
  await listen('discipline2', await login(app.url, 'discipline2', 'admin-pass-123'));
  await loadWallHistory(app.url, { days: 3, offHoursPerDay: 300, pairsPerDay: 60 });
  // Wait until the engine has worked off the history and the tasks are drawn.
  let last = -1;
  await eventually(async () => {
    const [{ n }] = await app.ctx.store.query<{ n: number }>('SELECT count() AS n FROM alerts FINAL');
    const [{ open }] = await app.ctx.store.query<{ open: number }>("SELECT count() AS open FROM tasks FINAL WHERE state = 'open'");
    // The task step follows the alert store: settled once every high alert is in a task.
    const [{ untasked }] = await app.ctx.store.query<{ untasked: number }>("SELECT count() AS untasked FROM alerts FINAL WHERE severity IN ('high', 'critical') AND task_id = ''");
    const settled = Number(n) > 0 && Number(n) === last && Number(open) === 0 && Number(untasked) === 0;
    last = Number(n);
    return settled ? true : undefined;
  }, 120_000, 1500);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

describe('wall counters: GET /api/alerts/counts', () => {
  it('equals a direct ClickHouse count per severity, category and bureau over the stated window', async () => {
    const r = await api(app.url, admin, '/api/alerts/counts');
    expect(r.status).toBe(200);
    const from = Date.parse(r.json.from), to = Date.parse(r.json.to);
    expect(to - from).toBe(DAY);
    const w = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})';
    const sev = await directCounts(w, { from, to }, 'severity');
    expect(Object.values(sev).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(r.json.by_severity).toEqual(sev);
    expect(r.json.by_category).toEqual(await directCounts(w, { from, to }, 'category'));
    expect(r.json.by_bureau).toEqual(await directCounts(w, { from, to }, 'bureau'));
    expect(r.json.total).toBe(Object.values(sev).reduce((a, b) => a + b, 0));
  });

  it('counts each facet under the other filters, and the total under all of them', async () => {
    const from = new Date(Date.now() - 3 * DAY).toISOString();
    const r = await api(app.url, admin, `/api/alerts/counts?from=${from}&severity=high&category=process`);
    const to = Date.parse(r.json.to), f = Date.parse(from);
    const w = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})';
    // Severity tiles: every severity within the category; categories: every category within high.
    expect(r.json.by_severity).toEqual(await directCounts(`${w} AND category = 'process'`, { from: f, to }, 'severity'));
    expect(r.json.by_category).toEqual(await directCounts(`${w} AND severity = 'high'`, { from: f, to }, 'category'));
    const both = await directCounts(`${w} AND severity = 'high' AND category = 'process'`, { from: f, to }, 'bureau');
    expect(r.json.by_bureau).toEqual(both);
    expect(r.json.total).toBe(Object.values(both).reduce((a, b) => a + b, 0));
  });

  it('keeps a bureau leader to their bureau, in every facet', async () => {
    const lead = await login(app.url, 'lead_b02', 'lead-pass-1234');
    const r = await api(app.url, lead, `/api/alerts/counts?from=${new Date(Date.now() - 3 * DAY).toISOString()}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.by_bureau)).toEqual(['B02']);
    const all = await api(app.url, admin, `/api/alerts/counts?from=${new Date(Date.now() - 3 * DAY).toISOString()}&to=${r.json.to}`);
    expect(Object.keys(all.json.by_bureau).length).toBeGreaterThan(1);
    expect(r.json.by_bureau.B02).toBe(all.json.by_bureau.B02);
  });

  it('answers 400 naming the field for a bad window or value', async () => {
    expect((await api(app.url, admin, '/api/alerts/counts?from=yesterday')).json.error.message).toMatch(/^from:/);
    expect((await api(app.url, admin, '/api/alerts/counts?severity=urgent')).json.error.message).toMatch(/^severity:/);
    const r = await api(app.url, admin, '/api/alerts/counts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(r.status).toBe(400);
  });
});

describe('wall list: filters and search on the server', () => {
  it('finds a high alert older than the newest 500 by filtering on high, paging by cursor', async () => {
    const [{ n }] = await app.ctx.store.query<{ n: number }>('SELECT count() AS n FROM alerts FINAL');
    expect(Number(n)).toBeGreaterThan(500);
    const newest500 = await app.ctx.store.query<{ id: string }>('SELECT id FROM alerts FINAL ORDER BY ts DESC, id DESC LIMIT 500');
    const inTop = new Set(newest500.map((r) => r.id));
    const [old] = await app.ctx.store.query<{ id: string }>("SELECT id FROM alerts FINAL WHERE severity = 'high' AND id NOT IN {ids:Array(String)} ORDER BY ts DESC LIMIT 1", { ids: [...inTop] });
    expect(old).toBeDefined();
    let cursor = '';
    const ids: string[] = [];
    for (let page = 0; page < 50 && !ids.includes(old!.id); page++) {
      const r = await api(app.url, admin, `/api/alerts?severity=high&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect((r.json.alerts as { severity: string }[]).every((a) => a.severity === 'high')).toBe(true);
      ids.push(...r.json.alerts.map((a: { id: string }) => a.id));
      if (!r.json.next) break;
      cursor = r.json.next;
    }
    expect(ids).toContain(old!.id);
  });

  it('searches officer, item and message text case-insensitively (q), all matches and only them', async () => {
    const [a] = await app.ctx.store.query<{ officer: string }>("SELECT officer FROM alerts FINAL WHERE officer != '' GROUP BY officer ORDER BY count() DESC LIMIT 1");
    const q = a!.officer.toLowerCase();
    const [{ n }] = await app.ctx.store.query<{ n: number }>(
      'SELECT count() AS n FROM alerts FINAL WHERE positionCaseInsensitiveUTF8(officer, {q:String}) > 0 OR positionCaseInsensitiveUTF8(item, {q:String}) > 0 OR positionCaseInsensitiveUTF8(message_zh, {q:String}) > 0 OR positionCaseInsensitiveUTF8(message_en, {q:String}) > 0 OR positionCaseInsensitiveUTF8(taxpayer, {q:String}) > 0 OR positionCaseInsensitiveUTF8(indicator, {q:String}) > 0', { q });
    const r = await api(app.url, admin, `/api/alerts?q=${encodeURIComponent(q)}&limit=1000`);
    expect(r.json.alerts.length).toBe(Math.min(1000, Number(n)));
    expect(Number(n)).toBeGreaterThan(0);
    const none = await api(app.url, admin, '/api/alerts?q=no-such-text-anywhere');
    expect(none.json.alerts).toEqual([]);
  });
});

describe('task pushes', () => {
  it("reach a discipline officer only for their own tasks while others' tasks are pushed", async () => {
    const officerOf = async (u: string) => (await api(app.url, await login(app.url, u, 'admin-pass-123'), '/api/auth/me')).json?.user?.officer as string | undefined;
    const all = pushes.get('admin')!;
    const assignees = new Set(all.map((t) => t.assignee).filter(Boolean));
    // Positive control: tasks of several officers were pushed while the history was worked off.
    expect(assignees.size).toBeGreaterThan(2);
    for (const name of ['discipline1', 'discipline2']) {
      const got = pushes.get(name)!;
      const me = (await officerOf(name)) ?? got[0]?.assignee;
      const mine = all.filter((t) => t.assignee === me);
      expect(got.every((t) => t.assignee === me), name).toBe(true);
      // Every change of my tasks reached me.
      expect(new Set(got.map((t) => t.id))).toEqual(new Set(mine.map((t) => t.id)));
    }
    expect(pushes.get('discipline1')!.length + pushes.get('discipline2')!.length).toBeLessThan(all.length);
  });
});

describe('workbench lists: server paging with state filter and sort', () => {
  it('pages every task once, in the asked order, with a state filter', async () => {
    for (const sort of ['deadline_asc', 'created_desc'] as const) {
      const ids: string[] = [];
      const keys: number[] = [];
      let cursor = '';
      for (let i = 0; i < 100; i++) {
        const r = await api(app.url, admin, `/api/tasks?state=assigned,investigating&sort=${sort}&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        for (const t of r.json.tasks) {
          expect(['assigned', 'investigating']).toContain(t.state);
          ids.push(t.id);
          keys.push(Date.parse(sort === 'deadline_asc' ? t.deadline : t.created_at));
        }
        if (!r.json.next) break;
        cursor = r.json.next;
      }
      const col = sort === 'deadline_asc' ? 'deadline' : 'created_at';
      const direct = await app.ctx.store.query<{ id: string }>(`SELECT id FROM tasks FINAL WHERE state IN ('assigned', 'investigating') ORDER BY ${col} ${sort === 'deadline_asc' ? 'ASC' : 'DESC'}, id ${sort === 'deadline_asc' ? 'ASC' : 'DESC'}`);
      expect(direct.length).toBeGreaterThan(37);
      expect(ids).toEqual(direct.map((r) => r.id));
      expect(keys).toEqual([...keys].sort((a, b) => (sort === 'deadline_asc' ? a - b : b - a)));
    }
  });

  it('answers 400 naming sort for an unknown order, on tasks and reviews', async () => {
    expect((await api(app.url, admin, '/api/tasks?sort=random')).json.error.message).toMatch(/^sort:/);
    expect((await api(app.url, admin, '/api/reviews?sort=random')).json.error.message).toMatch(/^sort:/);
    const r = await api(app.url, admin, '/api/reviews?limit=5');
    expect(r.status).toBe(200);
    expect(r.json).toHaveProperty('next');
  });
});
