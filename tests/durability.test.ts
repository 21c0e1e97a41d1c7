import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { api, eventually, exampleEvents, exampleReference, expectedAlerts, freePort, killHard, login, postEvents, spawnServer, tempDir } from './helpers.js';

const running: ChildProcess[] = [];
afterAll(async () => { for (const p of running) await killHard(p); });

async function start(dataDir: string, extra: Record<string, string> = {}) {
  const s = await spawnServer(dataDir, extra);
  running.push(s.proc);
  return s;
}

const CORE = new Set(['SVC-01', 'PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'PRC-05', 'INS-01', 'INS-02', 'FIL-01', 'TSK-01', 'TSK-02']);
const key = (a: { indicator: string; evidence: string[] }) => `${a.indicator}|${a.evidence.join(',')}`;

function batchOf(prefix: string, n: number) {
  const ts = new Date(Date.now() - 3600_000).toISOString();
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, ts, platform: 'service', bureau: 'B01', officer: 'O0001', matter: 'M001', item: `${prefix}-item-${i % 50}`, action: 'handle' }));
}

async function countStored(url: string, token: string, prefix: string): Promise<number> {
  const r = await api(url, token, `/api/events?count=1&id_prefix=${encodeURIComponent(prefix)}`);
  return r.json.count as number;
}

describe('durability', () => {
  it('keeps events acknowledged right before a kill -9 (spool replay) and counts them as duplicates after the restart', async () => {
    const dir = tempDir();
    let s = await start(dir);
    const batch = batchOf('k9', 2000);
    const r = await postEvents(s.url, batch, { ndjson: true });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(2000);
    await killHard(s.proc); // right after the 202
    s = await start(dir);
    const token = await login(s.url);
    expect(await eventually(async () => ((await countStored(s.url, token, 'k9-')) === 2000 ? 2000 : undefined))).toBe(2000);
    const again = await postEvents(s.url, batch.slice(0, 500), { ndjson: true });
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 500 });
    await killHard(s.proc);
  });

  it('answers health 503 with the store down, spools the events, and loses none when the store is back', async () => {
    const dir = tempDir();
    const closed = await freePort();
    let s = await start(dir, { CLICKHOUSE_URL: `http://127.0.0.1:${closed}` });
    const h = await fetch(`${s.url}/api/health`);
    expect(h.status).toBe(503);
    expect((await h.json()).status).not.toBe('ok');
    const batch = batchOf('down', 300);
    const r = await postEvents(s.url, batch);
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(300);
    const dup = await postEvents(s.url, batch.slice(0, 10));
    expect(dup.json.duplicates).toBe(10);
    await killHard(s.proc);
    // the same DATA_DIR with the embedded store: the spool drains at start
    s = await start(dir);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    const token = await login(s.url);
    expect(await eventually(async () => ((await countStored(s.url, token, 'down-')) === 300 ? 300 : undefined))).toBe(300);
    await killHard(s.proc);
  });

  it('ends with the same alert set as an uninterrupted run after a kill -9 mid-stream and a resend from the last acknowledged batch', async () => {
    const dir = tempDir();
    const env = { LATENESS_MS: '300', IDLE_MS: '200', CHECKPOINT_INTERVAL_MS: '150' };
    let s = await start(dir, env);
    let token = await login(s.url);
    expect((await api(s.url, token, '/api/reference', { method: 'PUT', body: exampleReference() })).status).toBe(200);
    const events = exampleEvents();
    const batches: unknown[][] = [];
    for (let i = 0; i < events.length; i += 6) batches.push(events.slice(i, i + 6));
    const killAt = Math.floor(batches.length / 2);
    let lastAcked = -1;
    for (let b = 0; b < killAt; b++) {
      const r = await postEvents(s.url, batches[b]!);
      expect(r.status).toBe(202);
      lastAcked = b;
      await new Promise((res) => setTimeout(res, 120));
    }
    await killHard(s.proc);
    s = await start(dir, env);
    token = await login(s.url);
    for (let b = lastAcked; b < batches.length; b++) {
      const r = await postEvents(s.url, batches[b]!);
      expect(r.status).toBe(202);
    }
    const want = expectedAlerts().map(key).sort();
    const list = async () => (await api(s.url, token, '/api/alerts?limit=1000')).json.alerts as { id: string; indicator: string; evidence: string[] }[];
    await eventually(async () => ((await list()).filter((a) => CORE.has(a.indicator)).length >= want.length ? true : undefined), 20_000);
    await new Promise((res) => setTimeout(res, 1000));
    const alerts = await list();
    expect(alerts.filter((a) => CORE.has(a.indicator)).map(key).sort()).toEqual(want);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    await killHard(s.proc);
  });
});
