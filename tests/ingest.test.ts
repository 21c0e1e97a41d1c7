import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp, INGEST_TOKEN } from './helpers.js';
import type { RunningApp } from '../server/app.js';

let app: RunningApp;
const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const ts = () => new Date(Date.now() - 60_000).toISOString();
let n = 0;
const ev = (patch: Record<string, unknown> = {}) => ({ id: `t-${++n}`, ts: ts(), ...base, ...patch });

// A small cache, so that older ids are answered by the dedupe filter and the store's id index.
beforeAll(async () => { app = await startTestApp({ DEDUPE_CACHE_SIZE: '1000' }); });
afterAll(async () => { await app?.close(); });

async function storedCount(ids: string[]): Promise<number> {
  const rows = await app.ctx.store.query<{ c: number }>('SELECT count() AS c FROM events FINAL WHERE id IN {ids:Array(String)}', { ids });
  return Number(rows[0]!.c);
}

/** The 202 comes once events are durable in the spool; the insert into ClickHouse follows within milliseconds. */
async function rowsOnceStored<T>(sql: string, params: Record<string, unknown>, n = 1): Promise<T[]> {
  return eventually(async () => {
    const rows = await app.ctx.store.query<T>(sql, params);
    return rows.length >= n ? rows : undefined;
  });
}

describe('POST /api/events', () => {
  it('accepts a single object, a JSON array and NDJSON', async () => {
    const one = await postEvents(app.url, ev());
    expect(one).toMatchObject({ status: 202, json: { accepted: 1, duplicates: 0, rejected: [] } });
    const arr = await postEvents(app.url, [ev(), ev()]);
    expect(arr.json).toMatchObject({ accepted: 2, duplicates: 0 });
    const nd = await postEvents(app.url, [ev(), ev(), ev()], { ndjson: true });
    expect(nd).toMatchObject({ status: 202, json: { accepted: 3 } });
  });

  it('processes the rest of a mixed batch and keeps each rejected event raw in the dead letters', async () => {
    const bad = { ...ev(), amount: -5 };
    const good = [ev(), ev()];
    const r = await postEvents(app.url, [good[0], bad, good[1], { ...ev(), colour: 'red' }]);
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(2);
    expect(r.json.rejected).toEqual([
      { index: 1, id: bad.id, error: expect.stringMatching(/^amount:/) },
      { index: 3, id: expect.any(String), error: expect.stringMatching(/^colour:/) },
    ]);
    await eventually(async () => ((await storedCount(good.map((g) => g.id))) === 2 ? true : undefined));
    const dl = await rowsOnceStored<{ raw: string; reason: string }>('SELECT raw, reason FROM dead_letters WHERE event_id = {id:String}', { id: bad.id });
    expect(dl).toHaveLength(1);
    expect(JSON.parse(dl[0]!.raw)).toEqual(bad);
    const token = await login(app.url);
    const listed = await api(app.url, token, '/api/dead-letters?limit=1000');
    expect(listed.json.dead_letters.find((d: { event_id: string }) => d.event_id === bad.id)).toMatchObject({ reason: expect.stringMatching(/^amount:/), raw: dl[0]!.raw });
  });

  it('rejects an unparseable NDJSON line on its own, indexed over non-blank lines', async () => {
    const a = ev();
    const b = ev();
    const body = `${JSON.stringify(a)}\n\n{"id": broken\n${JSON.stringify(b)}\n`;
    const r = await fetch(`${app.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body });
    const json = await r.json();
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([{ index: 1, error: expect.stringMatching(/JSON/) }]);
  });

  it('answers 400 for a body that is not JSON at all and keeps it as a dead letter', async () => {
    const body = 'this is not json ' + Date.now();
    const r = await fetch(`${app.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` }, body });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBeTruthy();
    const dl = await rowsOnceStored('SELECT raw FROM dead_letters WHERE raw = {raw:String}', { raw: body });
    expect(dl).toHaveLength(1);
  });

  it('counts a repeated id as a duplicate within one batch and across batches, and stores it once', async () => {
    const a = ev();
    const r1 = await postEvents(app.url, [a, a, ev()]);
    expect(r1.json).toMatchObject({ accepted: 2, duplicates: 1 });
    const r2 = await postEvents(app.url, [a]);
    expect(r2.json).toMatchObject({ accepted: 0, duplicates: 1 });
    await eventually(async () => ((await storedCount([a.id])) === 1 ? true : undefined));
    expect(await storedCount([a.id])).toBe(1);
  });

  it('still finds duplicates once their ids have left the in-memory cache', async () => {
    const batch = Array.from({ length: 2500 }, () => ev());
    expect((await postEvents(app.url, batch, { ndjson: true })).json.accepted).toBe(2500);
    await eventually(async () => ((await storedCount(batch.map((b) => b.id))) === 2500 ? true : undefined));
    await postEvents(app.url, Array.from({ length: 1500 }, () => ev()), { ndjson: true }); // push the first ids out of the cache
    const again = await postEvents(app.url, batch.slice(0, 100), { ndjson: true });
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 100 });
  });

  it('fills the id index with the same insert as the events, seq for seq', async () => {
    const batch = Array.from({ length: 50 }, () => ev());
    expect((await postEvents(app.url, batch, { ndjson: true })).json.accepted).toBe(50);
    const ids = batch.map((b) => b.id);
    const indexed = await rowsOnceStored<{ id: string; seq: string }>('SELECT id, toString(seq) AS seq FROM event_ids WHERE id IN {ids:Array(String)}', { ids }, 50);
    const stored = await app.ctx.store.query<{ id: string; seq: string }>('SELECT id, toString(seq) AS seq FROM events WHERE id IN {ids:Array(String)}', { ids });
    const bySeq = (rows: { id: string; seq: string }[]) => rows.map((r) => `${r.id}@${r.seq}`).sort();
    expect(bySeq(indexed)).toEqual(bySeq(stored));
    expect(indexed).toHaveLength(50);
  });

  it('rejects an invalid event even when its id is already known', async () => {
    const a = ev();
    await postEvents(app.url, [a]);
    const r = await postEvents(app.url, [{ ...a, action: 'explode' }]);
    expect(r.json.accepted).toBe(0);
    expect(r.json.duplicates).toBe(0);
    expect(r.json.rejected[0].error).toMatch(/^action:/);
  });

  it('flags unknown bureau, officer and matter codes but accepts the event', async () => {
    const a = ev({ bureau: 'ZZ9', officer: 'nobody', matter: 'MX' });
    expect((await postEvents(app.url, [a])).json.accepted).toBe(1);
    const rows = await rowsOnceStored<{ flags: string[] }>('SELECT flags FROM events WHERE id = {id:String}', { id: a.id });
    expect(rows[0]!.flags.sort()).toEqual(['unknown_bureau', 'unknown_matter', 'unknown_officer']);
  });

  it('answers 401 without the ingest token or with a wrong one', async () => {
    expect((await postEvents(app.url, [ev()], { token: 'wrong-token' })).status).toBe(401);
    const r = await fetch(`${app.url}/api/events`, { method: 'POST', body: '[]' });
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('unauthorized');
  });

  it('answers 413 for a body over 16 MiB', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024 + 10);
    const r = await fetch(`${app.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` }, body: big });
    expect(r.status).toBe(413);
  });

  it('stores a batch that spans many months (over the per-insert partition limit)', async () => {
    const start = Date.UTC(2010, 0, 15);
    const batch = Array.from({ length: 150 }, (_, i) => ev({ ts: new Date(start + i * 31 * 86400_000).toISOString() }));
    const r = await postEvents(app.url, batch);
    expect(r.json.accepted).toBe(150);
    await eventually(async () => ((await storedCount(batch.map((b) => b.id))) === 150 ? true : undefined));
  });
});

describe('health, migrations, auth', () => {
  it('reports ok with the embedded store', async () => {
    const r = await fetch(`${app.url}/api/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', store: 'embedded' });
  });

  it('applied each migration once', async () => {
    const rows = await app.ctx.store.query<{ version: number; c: number }>('SELECT version, count() AS c FROM schema_migrations GROUP BY version');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(Number(r.c)).toBe(1);
    const { migrate } = await import('../sql/store.js');
    expect(await migrate(app.ctx.store)).toEqual([]);
  });

  it('logs admin in with a token and a cookie, and refuses a wrong password', async () => {
    const r = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/im_session=/);
    const body = await r.json();
    expect(body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const bad = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'nope' }) });
    expect(bad.status).toBe(401);
  });

  it('stores passwords hashed with scrypt, never in clear', async () => {
    const rows = await app.ctx.store.query<{ password_hash: string }>("SELECT password_hash FROM users FINAL WHERE username = 'admin'");
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.password_hash).not.toContain('admin-pass-123');
  });

  it('replaces reference lists as a whole on PUT, as a new version, admin only', async () => {
    const token = await login(app.url);
    const before = await api(app.url, token, '/api/reference');
    expect(before.json.bureaus.length).toBeGreaterThanOrEqual(22);
    const put = await api(app.url, token, '/api/reference', { method: 'PUT', body: { bureaus: [{ code: 'B01', name: '福田局', name_en: 'Futian' }] } });
    expect(put.status).toBe(200);
    expect(put.json.version).toBe(before.json.version + 1);
    expect(put.json.bureaus).toHaveLength(1);
    expect(put.json.matters.length).toBe(before.json.matters.length);
    const bad = await api(app.url, token, '/api/reference', { method: 'PUT', body: { matters: [{ code: 'X' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^matters\[0\]\./);
    // a user of another role may read but not write
    await api(app.url, token, '/api/users', { method: 'POST', body: { username: 'ana', password: 'analyst-pass', role: 'analyst', bureau: 'HQ' } });
    const ana = await login(app.url, 'ana', 'analyst-pass');
    expect((await api(app.url, ana, '/api/reference')).status).toBe(200);
    expect((await api(app.url, ana, '/api/reference', { method: 'PUT', body: { bureaus: [] } })).status).toBe(403);
    expect((await api(app.url, 'garbage', '/api/reference')).status).toBe(401);
    await api(app.url, token, '/api/reference', { method: 'PUT', body: { bureaus: before.json.bureaus } });
  });
});
