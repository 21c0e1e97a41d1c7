/**
 * The engine checkpoint moved from JSON (`checkpoint.json`) to the binary format
 * (`checkpoint.bin`, server/engine/checkpoint-codec.ts). A data directory written by the earlier
 * version must restore from its JSON checkpoint once, and the next checkpoint replace it. Real server
 * processes on one DATA_DIR.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { EngineCheckpointFile } from '../server/engine/checkpoint.js';
import { api, eventually, exampleEvents, killHard, login, postEvents, spawnServer, tempDir } from './helpers.js';

const running: ChildProcess[] = [];
afterAll(async () => { for (const p of running) await killHard(p); });

async function stopGracefully(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGTERM'); // the graceful stop writes a last checkpoint
  await done;
}

const health = async (url: string) => (await fetch(`${url}/api/health`)).json() as Promise<Record<string, any>>;

describe('engine checkpoint upgrade', () => {
  it('what a start does with the JSON checkpoint of the earlier version: restores from it (nothing replayed), and the next checkpoint replaces it with the binary one holding the same rule state', async () => {
    const dir = tempDir();
    const env = { CHECKPOINT_INTERVAL_MS: '3600000' };
    const a = await spawnServer(dir, env);
    running.push(a.proc);
    const events = exampleEvents();
    expect((await postEvents(a.url, events)).status).toBe(202);
    await eventually(async () => { const h = await health(a.url); return h.engine_last_seq >= events.length && h.alerts_unstored === 0 && h.engine_buffered_events === 0 ? true : undefined; }, 30_000);
    const alerts = (await api(a.url, await login(a.url), '/api/alerts?limit=1000')).json.alerts as { id: string }[];
    expect(alerts.length).toBeGreaterThan(0); // positive control: there is state and there are alerts
    await stopGracefully(a.proc);

    const bin = join(dir, 'engine', 'checkpoint.bin'), json = join(dir, 'engine', 'checkpoint.json');
    const written = EngineCheckpointFile.readFrom(dir)!;
    expect(written.seq).toBeGreaterThanOrEqual(events.length);
    // the earlier version's file: the same checkpoint as JSON, and no binary one
    writeFileSync(json, JSON.stringify(written));
    unlinkSync(bin);
    const jsonBytes = statSync(json).size;

    const b = await spawnServer(dir, env);
    running.push(b.proc);
    const h = await health(b.url);
    expect(h.engine_restored_from_seq).toBe(written.seq);
    expect(h.engine_replayed).toBe(0);
    expect(h.engine_start_timings.checkpoint_bytes).toBe(jsonBytes); // it read the JSON file
    const again = (await api(b.url, await login(b.url), '/api/alerts?limit=1000')).json.alerts as { id: string }[];
    expect(again.map((x) => x.id).sort()).toEqual(alerts.map((x) => x.id).sort());
    await stopGracefully(b.proc);

    expect(existsSync(bin)).toBe(true);
    expect(existsSync(json)).toBe(false);
    const next = EngineCheckpointFile.readFrom(dir)!;
    expect(next.seq).toBe(written.seq);
    expect(JSON.stringify(next.snapshot.rules)).toBe(JSON.stringify(written.snapshot.rules));
  }, 120_000);
});
