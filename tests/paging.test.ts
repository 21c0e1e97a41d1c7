/**
 * Small breakages of the paged endpoints (issue 9, point 7): the task list's own `next` cursor,
 * crafted cursors and paging numbers (400, never 500), and time filters on columns that a
 * millisecond alias used to shadow (audit from/to, tasks overdue). Real server, real ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, baseEnv, eventually, login, postEvents, tempDir } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';
import { startApp, type RunningApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';

let app: RunningApp;
/** The server's clock runs this far ahead of the wall clock (an injected clock: deadlines pass without waiting). */
let clockShift = 0;
let admin: string;
const iso = (t: number) => new Date(t).toISOString();
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const nonPower = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
const subjects = ref.officers.filter((o) => o.bureau === 'B01' && o.role === 'tax').slice(0, 3);

beforeAll(async () => {
  app = await startApp(parseConfig(baseEnv(tempDir())), { clock: () => Date.now() + clockShift });
  admin = await login(app.url);
  // Self-approval (PRC-01, high) by three officers, a week ago: three tasks.
  const t0 = Date.now() - 7 * 86400_000;
  const window = ref.windows.find((w) => w.bureau === 'B01')!.code;
  const events = subjects.flatMap((o, k) => {
    const ev = (n: number, action: string, who: string) => ({
      id: `pg-${k}-${n}`, ts: iso(t0 + (k * 10 + n) * 60_000), platform: 'service', bureau: 'B01', officer: who, matter: nonPower.code, item: `PG-I${k}`, action, window,
    });
    return [ev(0, 'issue', 'system'), ev(1, 'accept', o.id), ev(2, 'approve', o.id), ev(3, 'complete', o.id)];
  });
  expect((await postEvents(app.url, events)).status).toBe(202);
  await eventually(async () => {
    const l = await api(app.url, admin, '/api/tasks?indicator=PRC-01&limit=1000');
    return l.json.tasks?.length >= 3 ? true : undefined;
  }, 30_000);
});
afterAll(async () => { await app?.close(); });

describe('GET /api/tasks paging', () => {
  it('follows its own next cursor to page 2 and 3, each task once, newest first', async () => {
    const all = (await api(app.url, admin, '/api/tasks?indicator=PRC-01&limit=1000')).json.tasks.map((t: { id: string }) => t.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await api(app.url, admin, `/api/tasks?indicator=PRC-01&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      seen.push(...r.json.tasks.map((t: { id: string }) => t.id));
      cursor = r.json.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('lists with overdue=1 exactly the open tasks whose deadline the server clock has passed', async () => {
    const overdueNow = (token = admin) => api(app.url, token, '/api/tasks?indicator=PRC-01&overdue=1&limit=1000');
    const all = (await api(app.url, admin, '/api/tasks?indicator=PRC-01&limit=1000')).json.tasks;
    const open = all.filter((t: { state: string }) => ['open', 'assigned', 'investigating'].includes(t.state));
    expect(open.length).toBeGreaterThanOrEqual(3);
    // just created: no deadline (72 h for high) has passed
    expect((await overdueNow()).json.tasks).toEqual([]);
    // 100 days later by the server's clock: every open one has
    clockShift = 100 * 86400_000;
    try {
      const later = (await overdueNow(await login(app.url))).json.tasks; // a fresh session: 12 h ones expire
      expect(later.map((t: { id: string }) => t.id).sort()).toEqual(open.map((t: { id: string }) => t.id).sort());
      for (const t of later) expect(t.overdue).toBe(true);
    } finally {
      clockShift = 0;
    }
  });
});

describe('crafted paging values answer 400 naming the parameter', () => {
  const crafted = {
    fractional: cursorOf([1.5, 'x']),
    huge: cursorOf([1e300, 'x']),
    unsafe: cursorOf([2 ** 63, 'x']),
    negative: cursorOf([-1, 'x']),
    'wrong shape': cursorOf({ ts: 1, id: 'x' }),
    'id not a string': cursorOf([1, 2]),
    garbage: '%%%not-base64%%%',
    'not JSON': Buffer.from('hello').toString('base64url'),
  };
  for (const path of ['/api/tasks', '/api/alerts', '/api/events']) {
    it(`${path}: every crafted cursor is a 400 on cursor; its own next cursor is a 200`, async () => {
      for (const [name, c] of Object.entries(crafted)) {
        const r = await api(app.url, admin, `${path}?limit=1&cursor=${encodeURIComponent(c)}`);
        expect(r.status, `${name}: ${JSON.stringify(r.json)}`).toBe(400);
        expect(r.json.error.message).toMatch(/^cursor:/);
      }
      const first = await api(app.url, admin, `${path}?limit=1`);
      expect(first.status).toBe(200);
      expect(first.json.next).toEqual(expect.any(String));
      expect((await api(app.url, admin, `${path}?limit=1&cursor=${first.json.next}`)).status).toBe(200);
    });
  }

  it('/api/audit: before and limit out of range are 400s; its own next is a 200', async () => {
    for (const before of ['1e300', '1.5', '-1', 'abc', String(2 ** 64)]) {
      const r = await api(app.url, admin, `/api/audit?before=${before}`);
      expect(r.status, before).toBe(400);
      expect(r.json.error.message).toMatch(/^before:/);
    }
    const first = await api(app.url, admin, '/api/audit?limit=1');
    expect(first.status).toBe(200);
    expect((await api(app.url, admin, `/api/audit?limit=1&before=${first.json.next}`)).status).toBe(200);
  });

  it('/api/reviews: offset out of range is a 400', async () => {
    for (const offset of ['1e300', '1.5', '-1']) {
      const r = await api(app.url, admin, `/api/reviews?offset=${offset}`);
      expect(r.status, offset).toBe(400);
    }
    expect((await api(app.url, admin, '/api/reviews?offset=0')).status).toBe(200);
  });
});

describe('GET /api/audit from/to', () => {
  it('keeps records inside [from, to) and none outside', async () => {
    const all = (await api(app.url, admin, '/api/audit?limit=1000')).json.records as { seq: number; ts: string }[];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const times = all.map((r) => Date.parse(r.ts));
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const inside = (await api(app.url, admin, `/api/audit?limit=1000&from=${iso(first)}&to=${iso(last + 1)}`)).json.records;
    expect(inside.map((r: { seq: number }) => r.seq)).toEqual(all.map((r) => r.seq));
    expect((await api(app.url, admin, `/api/audit?limit=1000&from=${iso(last + 1)}`)).json.records).toEqual([]);
    expect((await api(app.url, admin, `/api/audit?limit=1000&to=${iso(first)}`)).json.records).toEqual([]);
    // a bound between two records splits them
    const mid = Date.parse(all[all.length - 1]!.ts) + 1;
    const after = (await api(app.url, admin, `/api/audit?limit=1000&from=${iso(mid)}`)).json.records;
    expect(after.every((r: { ts: string }) => Date.parse(r.ts) >= mid)).toBe(true);
    expect(after.length).toBe(all.filter((r) => Date.parse(r.ts) >= mid).length);
  });
});
