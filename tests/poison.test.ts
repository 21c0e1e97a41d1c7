/**
 * No poison pill (issue 9, point 1): input that ClickHouse cannot store never blocks what comes
 * after it. Validation rejects non-well-formed Unicode and invalid UTF-8; what still reaches the
 * store and is refused there is isolated by splitting the batch; health says `degraded` while
 * writes keep failing. Real server, real embedded ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, INGEST_TOKEN, login, postEvents, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import { insertIsolating } from '../sql/isolate.js';
import { insertEventRows, toEventRow } from '../sql/queries/events.js';
import type { IngestedEvent } from '../streams/types.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertSink } from '../server/engine/alert-sink.js';
import type { Alert } from '../streams/types.js';

let app: RunningApp;
const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const ts = () => new Date(Date.now() - 60_000).toISOString();
let n = 0;
const ev = (patch: Record<string, unknown> = {}) => ({ id: `p-${Date.now()}-${++n}`, ts: ts(), ...base, ...patch });
/** The JSON text a sender writes: `\ud800` as the six-character escape, which JSON.parse turns into a lone surrogate. */
const withLoneSurrogate = (e: object, field: string) => JSON.stringify(e).replace(`"${field}":"SURROGATE"`, `"${field}":"\\ud800"`);

beforeAll(async () => { app = await startTestApp(); });
afterAll(async () => { await app?.close(); });

async function storedIds(ids: string[]): Promise<string[]> {
  const rows = await app.ctx.store.query<{ id: string }>('SELECT id FROM events FINAL WHERE id IN {ids:Array(String)} ORDER BY id', { ids });
  return rows.map((r) => r.id);
}
const allStored = (ids: string[]) => eventually(async () => ((await storedIds(ids)).length === ids.length ? true : undefined));
const deadLetter = (where: string, params: Record<string, unknown>) => eventually(async () => {
  const rows = await app.ctx.store.query<{ reason: string; raw: string; raw_base64: number; source: string; event_id: string }>(
    `SELECT reason, raw, raw_base64, source, event_id FROM dead_letters WHERE ${where}`, params);
  return rows.length ? rows : undefined;
});
const post = (body: string | Buffer, contentType = 'application/json') =>
  fetch(`${app.url}/api/events`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${INGEST_TOKEN}` }, body: typeof body === 'string' ? body : new Uint8Array(body) });

describe('lone surrogates (valid JSON, no UTF-8 form)', () => {
  it('rejects an event whose officer is "\\ud800" naming the field, and stores every event after it', async () => {
    const before = ev();
    const bad = ev({ officer: 'SURROGATE' });
    const after = ev();
    const body = `[${JSON.stringify(before)},${withLoneSurrogate(bad, 'officer')},${JSON.stringify(after)}]`;
    const r = await post(body);
    expect(r.status).toBe(202);
    const json = await r.json();
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([{ index: 1, id: bad.id, error: expect.stringMatching(/^officer: must be well-formed Unicode/) }]);
    // later requests still go in: the case that used to stop every insert after it
    const later = [ev(), ev()];
    expect((await postEvents(app.url, later)).json.accepted).toBe(2);
    await allStored([before.id, after.id, ...later.map((e) => e.id)]);
    const [dl] = await deadLetter('event_id = {id:String}', { id: bad.id });
    expect(dl!.reason).toMatch(/^officer:/);
    expect(dl!.raw).toContain('"officer":"\\ud800"'); // exactly as sent
    const health = await (await fetch(`${app.url}/api/health`)).json();
    expect(health.status).toBe('ok');
  });

  it('names the field for every string field, attrs keys and attrs values, in arrays and NDJSON', async () => {
    const cases: [string, string, RegExp][] = [
      ['bureau', JSON.stringify(ev({ bureau: 'SURROGATE' })).replace('"bureau":"SURROGATE"', '"bureau":"B\\udc00"'), /^bureau: must be well-formed/],
      ['item', withLoneSurrogate(ev({ item: 'SURROGATE' }), 'item'), /^item: must be well-formed/],
      ['matter', withLoneSurrogate(ev({ matter: 'SURROGATE' }), 'matter'), /^matter: must be well-formed/],
      ['taxpayer', withLoneSurrogate(ev({ taxpayer: 'SURROGATE' }), 'taxpayer'), /^taxpayer: must be well-formed/],
      ['window', withLoneSurrogate(ev({ window: 'SURROGATE' }), 'window'), /^window: must be well-formed/],
      ['attrs value', withLoneSurrogate(ev({ attrs: { note: 'SURROGATE' } }), 'note'), /^attrs\.note: must be well-formed/],
      ['attrs key', JSON.stringify(ev({ attrs: { KEY: 1 } })).replace('"KEY"', '"k\\ud83d"'), /^attrs\.k\uFFFD: the key must be well-formed/],
      ['unknown field', JSON.stringify(ev({ FIELD: 1 })).replace('"FIELD"', '"\\udfff"'), /^\uFFFD: unknown field/],
    ];
    const good = ev();
    const nd = await post([...cases.map((c) => c[1]), JSON.stringify(good)].join('\n'), 'application/x-ndjson');
    const ndJson = await nd.json();
    expect(ndJson.accepted).toBe(1);
    expect(ndJson.rejected).toHaveLength(cases.length);
    cases.forEach(([, , re], i) => expect(ndJson.rejected[i].error, cases[i]![0]).toMatch(re));
    const goodArr = ev();
    const arr = await (await post(`[${cases.map((c) => c[1]).join(',')},${JSON.stringify(goodArr)}]`)).json();
    expect(arr.accepted).toBe(1);
    cases.forEach(([, , re], i) => expect(arr.rejected[i].error, cases[i]![0]).toMatch(re));
    await allStored([good.id, goodArr.id]);
  });

  it('keeps a rejected event whose id is a lone surrogate as a dead letter, and the dead-letter table keeps taking rows', async () => {
    const id = `x\\ud800-${Date.now()}`;
    const raw = `{"id":"${id}","ts":"${ts()}","platform":"collection"}`;
    const marker = ev();
    const r = await post(`[${raw},${JSON.stringify({ ...marker, amount: -1 })}]`);
    const json = await r.json();
    expect(json.rejected[0]).toMatchObject({ index: 0, id: expect.stringContaining('\uFFFD'), error: expect.stringMatching(/^id:/) });
    const [dl] = await deadLetter('position(raw, {needle:String}) > 0', { needle: id });
    expect(dl!.raw).toBe(raw);
    expect(dl!.event_id).toContain('\uFFFD');
    // the next dead letter, and the next events, still go in
    await deadLetter('event_id = {id:String}', { id: marker.id });
    const next = ev();
    expect((await postEvents(app.url, [next])).json.accepted).toBe(1);
    await allStored([next.id]);
  });
});

describe('invalid UTF-8 bytes', () => {
  it('rejects an NDJSON line with invalid UTF-8 on its own and keeps its exact bytes (base64)', async () => {
    const a = ev();
    const b = ev();
    const badLine = Buffer.concat([Buffer.from(JSON.stringify(ev({ officer: 'O' })).slice(0, -2)), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const body = Buffer.concat([Buffer.from(JSON.stringify(a) + '\n'), badLine, Buffer.from('\n' + JSON.stringify(b) + '\n')]);
    const r = await post(body, 'application/x-ndjson');
    expect(r.status).toBe(202);
    const json = await r.json();
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([{ index: 1, error: expect.stringMatching(/^line: is not valid UTF-8 \(byte \d+ of the line\)/) }]);
    await allStored([a.id, b.id]);
    const [dl] = await deadLetter('raw = {raw:String}', { raw: badLine.toString('base64') });
    expect(dl!.raw_base64).toBe(1);
    expect(Buffer.from(dl!.raw, 'base64').equals(badLine)).toBe(true);
  });

  it('answers 400 for a JSON body with invalid UTF-8 (not silently replaced) and keeps its bytes', async () => {
    const body = Buffer.concat([Buffer.from(`[${JSON.stringify(ev())},{"id":"`), Buffer.from([0xc3, 0x28]), Buffer.from(`"}]`)]);
    const r = await post(body);
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/^body: is not valid UTF-8 \(byte \d+\)/);
    const [dl] = await deadLetter('raw = {raw:String}', { raw: body.toString('base64') });
    expect(dl!.raw_base64).toBe(1);
    const token = await login(app.url);
    const listed = await api(app.url, token, '/api/dead-letters?limit=1000');
    expect(listed.json.dead_letters.find((d: { raw: string }) => d.raw === body.toString('base64'))).toMatchObject({ raw_base64: 1 });
  });
});

describe('second line of defence: rows the store refuses are isolated', () => {
  const row = (id: string, officer = 'O0001'): string => JSON.stringify(toEventRow({
    id, ts: Date.now() - 1000, platform: 'collection', bureau: 'B01', officer, matter: 'M001', item: 'I-1', action: 'handle', seq: 1, arrivedAt: Date.now(), flags: [],
  } as IngestedEvent));

  it('splits a refused batch until the bad rows are alone: the others are stored, the bad ones returned with the store\'s error', async () => {
    const ids = Array.from({ length: 37 }, (_, i) => `iso-${Date.now()}-${i}`);
    const rows = ids.map((id, i) => (i === 5 || i === 30 ? row(id, '\ud800') : row(id)));
    const inserts: number[] = [];
    const out = await insertIsolating(app.ctx.store, rows, (part) => { inserts.push(part.length); return insertEventRows(app.ctx.store, part.join('\n')); }, { table: 'events' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.refused.map((r) => JSON.parse(r.row).id)).toEqual([ids[5], ids[30]]);
    expect(out.refused[0]!.error).toMatch(/surrogate/);
    expect(await storedIds(ids)).toEqual(ids.filter((_, i) => i !== 5 && i !== 30).sort());
    expect(inserts[0]).toBe(37); // the whole batch first; splitting only after the refusal
    expect(inserts.length).toBeLessThan(2 * 2 * Math.ceil(Math.log2(37)) + 2);
  });

  it('does not split when the store itself fails (a missing table): nothing is dead-lettered, the caller keeps the rows', async () => {
    const ids = [`miss-${Date.now()}-a`, `miss-${Date.now()}-b`];
    await app.ctx.store.command('DETACH TABLE event_ids');
    let out;
    try {
      out = await insertIsolating(app.ctx.store, ids.map((id) => row(id)), (part) => insertEventRows(app.ctx.store, part.join('\n')), { table: 'events' });
    } finally {
      await app.ctx.store.command('ATTACH TABLE event_ids');
    }
    expect(out).toMatchObject({ ok: false, error: expect.stringMatching(/event_ids/) });
    expect(await storedIds(ids)).toEqual([]);
    // positive control: the same rows go in once the table is back
    const again = await insertIsolating(app.ctx.store, ids.map((id) => row(id)), (part) => insertEventRows(app.ctx.store, part.join('\n')), { table: 'events' });
    expect(again).toEqual({ ok: true, refused: [] });
    expect(await storedIds(ids)).toEqual(ids);
  });

  it('drains a spool file holding a row the store refuses: the rest is stored, the bad row dead-lettered with the store\'s error', async () => {
    // A spool written by an earlier build whose validation let a lone surrogate through.
    // Left in this server's own DATA_DIR while it is stopped (one engine per process: the same path).
    const dir = (app as RunningApp & { dataDir: string }).dataDir;
    const stamp = Date.now();
    const ids = Array.from({ length: 9 }, (_, i) => `spool-${stamp}-${i}`);
    await app.close();
    mkdirSync(join(dir, 'spool'), { recursive: true });
    writeFileSync(join(dir, 'spool', `${String(stamp * 1000).padStart(20, '0')}-0.ndjson`), ids.map((id, i) => row(id, i === 4 ? '\ud800' : 'O0001')).join('\n') + '\n');
    app = await startTestApp({}, dir);
    expect(await storedIds(ids)).toEqual(ids.filter((_, i) => i !== 4));
    const [dl] = await deadLetter('event_id = {id:String}', { id: ids[4] });
    expect(dl!.source).toBe('store');
    expect(dl!.reason).toMatch(/^store: refused the event row: .*surrogate/);
    expect(app.ctx.ingest.spoolBytes).toBe(0);
    const health = await (await fetch(`${app.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', rejected_by_store: { events: 1 } });
    const next = ev();
    expect((await postEvents(app.url, [next])).json.accepted).toBe(1);
    await allStored([next.id]);
  });

  it('stores the other alerts of a batch when the store refuses one, and dead-letters the refused alert', async () => {
    const sink = app.ctx.services.sink;
    const mk = (id: string, officer: string): Alert => ({
      id, indicator: 'TSK-02', indicator_version: 1, category: 'process', severity: 'medium', ts: Date.now() - 5000, detected_at: Date.now(),
      bureau: 'B01', officer, taxpayer: null, item: 'I-1', matter: 'M001', evidence: [`${id}-ev`], message: { zh: 'x', en: 'x' }, status: 'open',
    });
    const stamp = Date.now();
    sink.push([mk(`al-${stamp}-1`, 'O0001'), mk(`al-${stamp}-2`, '\ud800'), mk(`al-${stamp}-3`, 'O0002')]);
    await sink.flush();
    const rows = await app.ctx.store.query<{ id: string }>('SELECT id FROM alerts WHERE startsWith(id, {p:String}) ORDER BY id', { p: `al-${stamp}` });
    expect(rows.map((r) => r.id)).toEqual([`al-${stamp}-1`, `al-${stamp}-3`]);
    const [dl] = await deadLetter('source = \'alert\' AND event_id = {id:String}', { id: `al-${stamp}-2-ev` });
    expect(JSON.parse(dl!.raw).id).toBe(`al-${stamp}-2`);
  });
});

describe('health while the store keeps failing', () => {
  it('answers degraded with the reason and the spool size while event inserts fail, and ok once they drain', async () => {
    const okBefore = await (await fetch(`${app.url}/api/health`)).json();
    expect(okBefore.status).toBe('ok');
    await app.ctx.store.command('DETACH TABLE event_ids');
    const e = ev();
    try {
      expect((await postEvents(app.url, [e])).status).toBe(202); // durable in the spool
      const degraded = await eventually(async () => {
        const h = await (await fetch(`${app.url}/api/health`)).json();
        return h.status === 'degraded' ? h : undefined;
      });
      expect(degraded.reasons.join('\n')).toMatch(/^events: \d+ write\(s\) failed since .*event_ids/m);
      expect(degraded.spool_bytes).toBeGreaterThan(0);
      expect(await storedIds([e.id])).toEqual([]);
    } finally {
      await app.ctx.store.command('ATTACH TABLE event_ids');
    }
    await allStored([e.id]);
    const after = await eventually(async () => {
      const h = await (await fetch(`${app.url}/api/health`)).json();
      return h.status === 'ok' ? h : undefined;
    });
    expect(after.spool_bytes).toBe(0);
  });
});

describe('workflow writes and request bodies', () => {
  const alert = (id: string, officer: string): Alert => ({
    id, indicator: 'PRC-01', indicator_version: 1, category: 'process', severity: 'high', ts: Date.now() - 5000, detected_at: Date.now(),
    bureau: 'B01', officer, taxpayer: null, item: `${id}-item`, matter: 'M001', evidence: [`${id}-ev`], message: { zh: 'x', en: 'x' }, status: 'open',
  });
  const taskOf = (alertId: string) => app.ctx.store.query<{ id: string }>('SELECT id FROM tasks FINAL WHERE has(alert_ids, {a:String})', { a: alertId });

  it('dead-letters a task row the store refuses and opens the next task (the workflow is not held back)', async () => {
    const stamp = Date.now();
    // A subject the store cannot hold (only reachable past validation, e.g. a future code path): the second line of defence.
    await app.ctx.services.tasks.onAlerts([alert(`wf-${stamp}-bad`, '\ud800')]);
    await app.ctx.services.tasks.onAlerts([alert(`wf-${stamp}-good`, 'O0003')]);
    expect(await eventually(async () => ((await taskOf(`wf-${stamp}-good`)).length === 1 ? true : undefined))).toBe(true);
    expect(await taskOf(`wf-${stamp}-bad`)).toEqual([]);
    const [dl] = await deadLetter("source = 'workflow:tasks'", {});
    expect(dl!.reason).toMatch(/^store: refused the tasks row/);
    expect(JSON.parse(dl!.raw).alert_ids).toEqual([`wf-${stamp}-bad`]);
  });

  it('answers 400 naming the field for a lone surrogate in any JSON request body, and takes the same body well-formed', async () => {
    const admin = await login(app.url);
    const send = (body: string) => fetch(`${app.url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body });
    const bad = await send('{"username":"u\\ud800x","password":"a-long-pass-phrase-91","role":"analyst","bureau":"HQ"}');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^username: must be well-formed Unicode/);
    const good = await send(`{"username":"wellformed${Date.now() % 100000}","password":"a-long-pass-phrase-91","role":"analyst","bureau":"HQ"}`);
    expect(good.status).toBe(201);
    const loginBad = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"\\ud800","password":"x"}' });
    expect(loginBad.status).toBe(400);
  });
});
