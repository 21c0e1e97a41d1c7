/**
 * Durability with real server processes and kill -9 (issue 9, points 3 and 8). Each test shows the
 * path its name claims: the spool file is on disk when the process dies, the restart restored the
 * engine from a checkpoint (GET /api/health), and the alert set and the engine's rule state equal
 * those of an uninterrupted run over the same events, run beside it. Waits are explicit idle points
 * read from GET /api/health (everything accepted is evaluated and stored), not sleeps.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { api, eventually, freePort, killHard, login, postEvents, spawnServer, tempDir } from './helpers.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { jsonCheckpointHead } from '../server/engine/checkpoint.js';
import { binaryCheckpointHead } from '../server/engine/checkpoint-codec.js';

const running: ChildProcess[] = [];
afterAll(async () => { for (const p of running) await killHard(p); });

async function start(dataDir: string, extra: Record<string, string> = {}) {
  const s = await spawnServer(dataDir, extra);
  running.push(s.proc);
  return s;
}

/** SIGTERM and wait: the graceful stop writes a last checkpoint. */
async function stopGracefully(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGTERM');
  await done;
}

function batchOf(prefix: string, n: number) {
  const ts = new Date(Date.now() - 3600_000).toISOString();
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, ts, platform: 'service', bureau: 'B01', officer: 'O0001', matter: 'M001', item: `${prefix}-item-${i % 50}`, action: 'handle' }));
}

async function countStored(url: string, token: string, prefix: string): Promise<number> {
  const r = await api(url, token, `/api/events?count=1&id_prefix=${encodeURIComponent(prefix)}`);
  return r.json.count as number;
}

const health = async (url: string) => (await (await fetch(`${url}/api/health`)).json()) as Record<string, any>;
const spoolLines = (dir: string) => readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.ndjson'))
  .reduce((n, f) => n + readFileSync(join(dir, 'spool', f), 'utf8').split('\n').filter(Boolean).length, 0);

/** The explicit idle point: every accepted event evaluated (watermark past the newest ts, nothing buffered), every alert stored, the spool empty. */
async function idle(url: string, newestTs: number): Promise<Record<string, any>> {
  return eventually(async () => {
    const h = await health(url);
    return h.engine_watermark > newestTs && h.engine_buffered_events === 0 && h.alerts_unstored === 0 && h.spool_bytes === 0 ? h : undefined;
  }, 60_000);
}

/**
 * Cancellation bursts (PRC-05, sliding 5 in 60 min, then 60 min quiet) over several officers, plus
 * handles, in ts order: the checkpoint race of issue 9 showed as a cancel counted twice here.
 */
function burstEvents(): { id: string; ts: string; platform: string; bureau: string; officer: string; matter: string; item: string; action: string }[] {
  const officers = defaultReference.officers.filter((o) => o.role === 'tax').slice(0, 8);
  const matter = defaultReference.matters[0]!.code;
  const t0 = Date.now() - 2 * 86400_000;
  const out = [];
  for (let k = 0; k < 48; k++) {
    for (const [j, o] of officers.entries()) {
      const ts = t0 + k * 4 * 60_000 + j * 1000;
      out.push({ id: `xo-${o.id}-${k}`, ts: new Date(ts).toISOString(), platform: 'service', bureau: o.bureau, officer: o.id, matter, item: `xo-item-${o.id}-${k}`, action: k % 6 === 5 ? 'handle' : 'cancel' });
    }
  }
  return out;
}

describe('durability', () => {
  it('keeps events acknowledged right before a kill -9 (the spool file is on disk at the kill), stores them at the restart and counts a resend as duplicates', async () => {
    const dir = tempDir();
    // The events insert never answers: the acknowledged group can only be in the spool when the process dies.
    let s = await start(dir, { FAULT_INJECT: 'hang-before:insert:events:1' });
    const batch = batchOf('k9', 2000);
    const r = await postEvents(s.url, batch, { ndjson: true });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(2000);
    expect(spoolLines(dir)).toBe(2000);
    await killHard(s.proc);
    expect(spoolLines(dir)).toBe(2000); // still there after the kill
    s = await start(dir);
    const token = await login(s.url);
    expect(await countStored(s.url, token, 'k9-')).toBe(2000); // drained before the server listens
    expect(spoolLines(dir)).toBe(0);
    const again = await postEvents(s.url, batch.slice(0, 500), { ndjson: true });
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 500 });
    // positive control: a new id in the same shape is accepted
    const fresh = await postEvents(s.url, batchOf('k9-new', 1), { ndjson: true });
    expect(fresh.json).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await countStored(s.url, token, 'k9-')).toBe(2001);
    await killHard(s.proc);
  }, 180_000);

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
    expect(spoolLines(dir)).toBe(300);
    await killHard(s.proc);
    // the same DATA_DIR with the embedded store: the spool drains at start
    s = await start(dir);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    const token = await login(s.url);
    expect(await countStored(s.url, token, 'down-')).toBe(300);
    expect(spoolLines(dir)).toBe(0);
    await killHard(s.proc);
  }, 180_000);

  it('after three kill -9 restarts, each followed by a resend of the last acknowledged batch, has the alerts and engine state of an uninterrupted run', async () => {
    const events = burstEvents();
    const newest = Math.max(...events.map((e) => Date.parse(e.ts)));
    const batches: (typeof events)[] = [];
    for (let i = 0; i < events.length; i += 16) batches.push(events.slice(i, i + 16));
    // Checkpoints as often as allowed, so they fall between batches and during alert writes.
    const env = { LATENESS_MS: '300', IDLE_MS: '200', CHECKPOINT_INTERVAL_MS: '100' };
    const alertIds = async (url: string) => {
      const token = await login(url);
      const list = (await api(url, token, '/api/alerts?limit=1000')).json.alerts as { id: string; indicator: string; evidence: string[] }[];
      for (const a of list) expect(new Set(a.evidence).size).toBe(a.evidence.length); // no event counted twice
      return { ids: list.map((a) => a.id).sort(), prc05: list.filter((a) => a.indicator === 'PRC-05').length };
    };
    // each rule's state (a rule's position, where it stood when captured, differs between runs)
    const ruleState = (dir: string) => JSON.stringify(Object.entries((JSON.parse(readFileSync(join(dir, 'engine', 'checkpoint.json'), 'utf8')) as { snapshot: { rules: Record<string, { version: number; state: unknown }> } }).snapshot.rules)
      .map(([id, r]) => [id, r.version, r.state]));

    // The uninterrupted run.
    const dirU = tempDir();
    const u = await start(dirU, env);
    for (const b of batches) expect((await postEvents(u.url, b)).status).toBe(202);
    await idle(u.url, newest);
    const want = await alertIds(u.url);
    expect(want.prc05).toBeGreaterThan(8); // positive control: the input does raise bursts
    await stopGracefully(u.proc);

    // The same batches, killed three times; after each restart the last acknowledged batch is sent again.
    const dirK = tempDir();
    let s = await start(dirK, env);
    const kills = new Set([Math.floor(batches.length * 0.3), Math.floor(batches.length * 0.55), Math.floor(batches.length * 0.8)]);
    const restoredFrom: number[] = [];
    for (let b = 0; b < batches.length; b++) {
      const r = await postEvents(s.url, batches[b]!);
      expect(r.status).toBe(202);
      if (!kills.has(b)) continue;
      // A slow machine may not have written its first checkpoint yet; the kill must find one on disk.
      await eventually(async () => ((await health(s.url)).engine_checkpoints_written >= 1 ? true : undefined), 60_000);
      await killHard(s.proc);
      s = await start(dirK, env);
      const h = await health(s.url);
      expect(h.engine_restored_from_seq).toEqual(expect.any(Number)); // the restart went through a checkpoint
      restoredFrom.push(h.engine_restored_from_seq);
      const again = await postEvents(s.url, batches[b]!);
      expect(again.json).toMatchObject({ accepted: 0, duplicates: batches[b]!.length });
    }
    expect(restoredFrom).toHaveLength(3);
    await idle(s.url, newest);
    const got = await alertIds(s.url);
    expect(got.ids).toEqual(want.ids);
    await stopGracefully(s.proc);
    expect(ruleState(dirK)).toEqual(ruleState(dirU));
  }, 300_000);

  it('restarts after a kill -9 from the compact copy of its checkpoint (made by the worker thread), then has the alerts and engine state of an uninterrupted run', async () => {
    const events = burstEvents();
    const newest = Math.max(...events.map((e) => Date.parse(e.ts)));
    const env = { LATENESS_MS: '300', IDLE_MS: '200', CHECKPOINT_INTERVAL_MS: '500' };
    const alertIds = async (url: string) => ((await api(url, await login(url), '/api/alerts?limit=1000')).json.alerts as { id: string }[]).map((a) => a.id).sort();
    const ruleState = (dir: string) => JSON.stringify(Object.entries((JSON.parse(readFileSync(join(dir, 'engine', 'checkpoint.json'), 'utf8')) as { snapshot: { rules: Record<string, { version: number; state: unknown }> } }).snapshot.rules)
      .map(([id, r]) => [id, r.version, r.state]));
    const half = Math.floor(events.length / 2);

    const dirU = tempDir();
    const u = await start(dirU, env);
    for (let i = 0; i < events.length; i += 32) expect((await postEvents(u.url, events.slice(i, i + 32))).status).toBe(202);
    await idle(u.url, newest);
    const want = await alertIds(u.url);
    expect(want.length).toBeGreaterThan(8);
    await stopGracefully(u.proc);

    const dirK = tempDir();
    let s = await start(dirK, env);
    for (let i = 0; i < half; i += 32) expect((await postEvents(s.url, events.slice(i, Math.min(i + 32, half)))).status).toBe(202);
    // everything accepted is in a checkpoint, and the worker has made that checkpoint's copy
    const before = await eventually(async () => {
      const h = await health(s.url);
      return h.engine_last_seq > 0 && h.engine_buffered_events === 0 && h.engine_checkpoint_last?.seq === h.engine_last_seq && h.engine_checkpoint_compact?.last?.seq === h.engine_last_seq ? h : undefined;
    }, 60_000);
    await killHard(s.proc);
    const onDisk = jsonCheckpointHead(join(dirK, 'engine', 'checkpoint.json'));
    expect(binaryCheckpointHead(readFileSync(join(dirK, 'engine', 'checkpoint.bin')))).toEqual(onDisk);
    s = await start(dirK, env);
    const h = await health(s.url);
    expect(h.engine_restored_from_seq).toBe(before.engine_last_seq);
    expect(h.engine_start_timings.checkpoint_format).toBe('compact');
    for (let i = half; i < events.length; i += 32) expect((await postEvents(s.url, events.slice(i, Math.min(i + 32, events.length)))).status).toBe(202);
    await idle(s.url, newest);
    expect(await alertIds(s.url)).toEqual(want);
    await stopGracefully(s.proc);
    expect(ruleState(dirK)).toEqual(ruleState(dirU));
  }, 300_000);
});
