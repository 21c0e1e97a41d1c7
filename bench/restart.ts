/**
 * Restart recovery benchmark (`npm run bench -- restart`, issue 14 point 4): how long the engine
 * takes to resume after kill -9 with BENCH_RESTART_ITEMS (1,000,000) open work items.
 *
 * 1. The open items' state (issue + accept each, all within their standard time) is built by the
 *    real engine with the default catalog and reference data, in this process, and written as the
 *    server's checkpoint (seq 0) into a fresh DATA_DIR — posting 2 million events through HTTP first
 *    would take longer than the measurement. The events of those items are not in the store.
 * 2. A real server process starts on that DATA_DIR (restores the checkpoint), takes
 *    BENCH_RESTART_TAIL events over HTTP, writes its own checkpoint (CHECKPOINT_INTERVAL_MS 60 s),
 *    waits for the worker thread's compact copy of it (checkpoint.bin), takes another tail (stored,
 *    after the checkpoint: to be replayed), and is killed with SIGKILL.
 * 3. The measured restarts, from the same files: spawn → the server listens (it listens only once
 *    the engine is restored and the tail replayed, server/app.ts), with the server's own
 *    read/restore/replay timings from GET /api/health. Once with the copy set aside (the JSON alone:
 *    as after a kill while the copy is being made), once from the copy. Neither writes a checkpoint.
 * Baseline: reading the same number of rows (one per open item, an item's columns) from the
 * embedded ClickHouse through the store's client, in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CheckpointFile } from '../server/engine/checkpoint.js';
import { openStore } from '../sql/store.js';
import { defaultCatalog } from '../streams/catalog/index.js';
import { IndicatorEngine, type EngineSnapshot } from '../streams/engine/engine.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { ReferenceIndex } from '../streams/reference/index.js';
import type { OpEvent } from '../streams/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-restart-token-123456';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); const p = typeof a === 'object' && a ? a.port : 0; s.close(() => ok(p)); });
  });
}

interface Server { url: string; proc: ChildProcess; listenMs: number; output: () => string }

async function startServer(dataDir: string, extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const env = {
    ...process.env, DATA_DIR: dataDir, PORT: String(port), SIMULATE: '0', DEMO_USERS: '0', INGEST_TOKEN: TOKEN,
    ADMIN_PASSWORD: 'admin-pass-123', LOG_LEVEL: 'info', CHECKPOINT_INTERVAL_MS: '5000', ...extra,
  };
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['--max-semi-space-size=64', '--max-old-space-size=8192', '--import', 'tsx', join(ROOT, 'server', 'main.ts')], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += String(d); });
  proc.stderr!.on('data', (d) => { out += String(d); });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.status === 200 || r.status === 503) return { url, proc, listenMs: performance.now() - t0, output: () => out };
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > 1_800_000) { proc.kill('SIGKILL'); throw new Error(`server did not start:\n${out}`); }
    await sleep(50);
  }
}

async function health(url: string): Promise<Record<string, any>> { return (await fetch(`${url}/api/health`)).json() as Promise<Record<string, any>>; }

async function until(what: string, check: () => Promise<boolean>, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await check()) return; await sleep(200); }
  throw new Error(`timed out waiting for ${what}`);
}

async function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGKILL');
  await done;
}

/** events of `n` clean items started at `t0`, each issue + accept + one handle (open, far from their deadline) */
function tailEvents(prefix: string, n: number, t0: number): OpEvent[] {
  const out: OpEvent[] = [];
  const officers = defaultReference.officers.filter((o) => o.role === 'tax');
  for (let k = 0; k < n; k++) {
    const m = defaultReference.matters[k % defaultReference.matters.length];
    const o = officers[(k * 7) % officers.length];
    const base = { platform: m.platform, bureau: o.bureau, matter: m.code, item: `${prefix}-I${k}`, taxpayer: `T${k % 50_000}` };
    out.push({ ...base, id: `${prefix}-${k}-i`, ts: t0 + k, officer: 'system', action: 'issue' } as OpEvent);
    out.push({ ...base, id: `${prefix}-${k}-a`, ts: t0 + k + 10, officer: o.id, action: 'accept' } as OpEvent);
    out.push({ ...base, id: `${prefix}-${k}-h`, ts: t0 + k + 20, officer: o.id, action: 'handle' } as OpEvent);
  }
  return out;
}

async function post(url: string, events: OpEvent[]): Promise<void> {
  const wire = (e: OpEvent) => JSON.stringify({ ...e, ts: new Date(e.ts).toISOString() });
  for (let i = 0; i < events.length; i += 5000) {
    const r = await fetch(`${url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body: events.slice(i, i + 5000).map(wire).join('\n') });
    if (r.status !== 202) throw new Error(`POST /api/events ${r.status}: ${await r.text()}`);
  }
}

/** the engine state of `n` open items (issue + accept each), as the server's checkpoint at seq 0 */
function buildCheckpoint(dataDir: string, n: number, now: number): { buildMs: number; bytes: number; keyed: number } {
  const t0 = performance.now();
  const ref = new ReferenceIndex(defaultReference);
  const engine = new IndicatorEngine(defaultCatalog, ref, { latenessMs: 5000, idleMs: 2000 });
  const officers = defaultReference.officers.filter((o) => o.role === 'tax');
  const matters = defaultReference.matters;
  const start = now - 40 * 60_000; // the items start within the last 40 min: the shortest standard time is hours
  const step = (35 * 60_000) / n;
  let id = 0;
  for (let k = 0; k < n; k++) {
    const ts = Math.round(start + k * step);
    const m = matters[k % matters.length];
    const o = officers[(k * 7) % officers.length];
    const base = { platform: m.platform, bureau: o.bureau, matter: m.code, item: `open-${k}`, taxpayer: `T${k % 200_000}` };
    engine.onEvent({ ...base, id: `open-e${(id++).toString(36)}`, ts, officer: 'system', action: 'issue' } as OpEvent, ts);
    engine.onEvent({ ...base, id: `open-e${(id++).toString(36)}`, ts: ts + 20, officer: o.id, action: 'accept' } as OpEvent, ts + 20);
  }
  const file = new CheckpointFile<EngineSnapshot>(join(dataDir, 'engine'));
  file.write(CheckpointFile.serialize({ seq: 0, written_at: Date.now(), snapshot: engine.snapshot() }));
  return { buildMs: performance.now() - t0, bytes: statSync(join(dataDir, 'engine', 'checkpoint.json')).size, keyed: engine.stats().keyedItems };
}

/** the baseline: the same number of rows, an open item's columns each, read from the embedded ClickHouse */
async function clickhouseRead(n: number): Promise<number> {
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'perf-restart-ch-')), database: 'bench' });
  try {
    const sql = `SELECT concat('open-', toString(number)) AS item, concat('open-e', toString(number)) AS id, toInt64(1780000000000 + number) AS ts,
      concat('B', toString(number % 21)) AS bureau, concat('O', toString(number % 420)) AS officer, concat('M', toString(number % 130)) AS matter,
      concat('T', toString(number % 200000)) AS taxpayer FROM numbers({n:UInt64})`;
    await store.query(sql, { n: 1000 });
    const t0 = performance.now();
    const rows = await store.query<{ item: string }>(sql, { n });
    if (rows.length !== n) throw new Error(`read ${rows.length} rows`);
    return performance.now() - t0;
  } finally { await store.close(); }
}

export async function run(): Promise<Record<string, number>> {
  const items = Number(process.env.BENCH_RESTART_ITEMS ?? 1_000_000);
  const tail = Number(process.env.BENCH_RESTART_TAIL ?? 20_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'perf-restart-'));
  const now = Date.now();
  const built = buildCheckpoint(dataDir, items, now);
  console.log(`built: ${items} open items (${built.keyed} keyed entries) in ${(built.buildMs / 1000).toFixed(1)} s, checkpoint ${(built.bytes / 2 ** 20).toFixed(0)} MiB`);

  // one checkpoint a minute: the copy of the one after the first tail is made, and the second tail
  // sent, before the next (which would take the tail in)
  const first = await startServer(dataDir, { CHECKPOINT_INTERVAL_MS: '60000' });
  const h1 = await health(first.url);
  if (h1.engine_restored_from_seq !== 0) throw new Error(`first start did not restore the built checkpoint: ${JSON.stringify(h1)}\n${first.output()}`);
  await post(first.url, tailEvents('tail1', tail / 3, now - 10 * 60_000));
  await until('the first tail evaluated', async () => { const h = await health(first.url); return h.engine_last_seq > 0 && h.alerts_unstored === 0 && h.engine_buffered_events === 0; });
  const tail1Seq = (await health(first.url)).engine_last_seq as number;
  await until('a checkpoint after the first tail', async () => ((await health(first.url)).engine_checkpoint_last?.seq ?? 0) >= tail1Seq);
  // what capturing the state costs the running server (rule by rule, in slices): it sets how often checkpoints are written
  const capture = await health(first.url);
  // the worker thread's compact copy of that checkpoint (checkpoint.bin), which a restart reads instead of the JSON
  await until('the compact copy of the last checkpoint', async () => {
    const h = await health(first.url);
    return h.engine_checkpoint_compact?.last != null && h.engine_checkpoint_compact.last.seq === h.engine_checkpoint_last?.seq;
  });
  const compact = (await health(first.url)).engine_checkpoint_compact.last as { seq: number; written_at: number; ms: number; bytes: number };
  await post(first.url, tailEvents('tail2', tail / 3, now - 5 * 60_000));
  await until('the second tail evaluated', async () => { const h = await health(first.url); return h.engine_last_seq > 0 && h.alerts_unstored === 0 && h.engine_buffered_events === 0; });
  const atKill = await health(first.url);
  if (atKill.engine_checkpoint_last?.seq !== compact.seq || atKill.engine_checkpoint_last?.written_at !== compact.written_at) throw new Error(`a checkpoint was written after the copy was made (${JSON.stringify(atKill.engine_checkpoint_last)}): the tail would not be replayed`);
  await killHard(first.proc);

  // Both restarts from the same files, neither writing a checkpoint: first from the JSON alone (the
  // copy set aside: as after a kill while the copy is being made), then from the copy.
  const bin = join(dataDir, 'engine', 'checkpoint.bin');
  const restart = async (format: 'json' | 'compact') => {
    const server = await startServer(dataDir, { CHECKPOINT_INTERVAL_MS: '3600000' });
    const h = await health(server.url);
    await killHard(server.proc);
    const t = h.engine_start_timings as { read_ms: number; restore_ms: number; replay_ms: number; checkpoint_bytes: number; checkpoint_format: string };
    if (h.engine_restored_from_seq !== compact.seq || t.checkpoint_format !== format) throw new Error(`the ${format} restart did not go through that checkpoint: ${JSON.stringify(h)}`);
    return { ms: Math.round(server.listenMs), ...t, replayed: h.engine_replayed as number };
  };
  renameSync(bin, `${bin}.aside`);
  const viaJson = await restart('json');
  renameSync(`${bin}.aside`, bin);
  const viaCopy = await restart('compact');

  const baseline = await clickhouseRead(items);
  return {
    open_items: items,
    restart_to_listening_ms: viaCopy.ms,
    checkpoint_read_ms: viaCopy.read_ms,
    restore_ms: viaCopy.restore_ms,
    replay_ms: viaCopy.replay_ms,
    replayed_events: viaCopy.replayed,
    checkpoint_mib: Math.round(viaCopy.checkpoint_bytes / 2 ** 20),
    restart_json_ms: viaJson.ms,
    json_read_ms: viaJson.read_ms,
    json_restore_ms: viaJson.restore_ms,
    json_replay_ms: viaJson.replay_ms,
    json_mib: Math.round(viaJson.checkpoint_bytes / 2 ** 20),
    compact_ms: compact.ms,
    first_start_ms: Math.round(first.listenMs),
    capture_ms: capture.engine_checkpoint_capture_ms as number,
    capture_longest_slice_ms: capture.engine_checkpoint_longest_slice_ms as number,
    clickhouse_read_ms: Math.round(baseline),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`load average before: ${load()}`);
  const r = await run();
  const x = (ms: number) => `${(ms / r.clickhouse_read_ms).toFixed(2)}x baseline`;
  console.log(`restart_after_kill9: ${(r.restart_to_listening_ms / 1000).toFixed(1)} s to listening with the engine restored from the checkpoint's compact copy, ${r.open_items} open items (${x(r.restart_to_listening_ms)}: reading ${r.open_items} rows from ClickHouse ${(r.clickhouse_read_ms / 1000).toFixed(1)} s)`);
  console.log(`restart_parts: compact copy read+decode ${r.checkpoint_read_ms} ms (${r.checkpoint_mib} MiB), restore ${r.restore_ms} ms, replay of ${r.replayed_events} events after the checkpoint ${r.replay_ms} ms`);
  console.log(`restart_from_json: ${(r.restart_json_ms / 1000).toFixed(1)} s (${x(r.restart_json_ms)}; ${(r.restart_json_ms / r.restart_to_listening_ms).toFixed(2)}x the copy): read+parse ${r.json_read_ms} ms (${r.json_mib} MiB), restore ${r.json_restore_ms} ms, replay ${r.json_replay_ms} ms (a kill while the copy is being made)`);
  console.log(`checkpoint_capture: ${(r.capture_ms / 1000).toFixed(1)} s to capture the state in the running server (longest slice ${r.capture_longest_slice_ms} ms); its compact copy ${(r.compact_ms / 1000).toFixed(1)} s in the worker thread; first start from the built checkpoint ${(r.first_start_ms / 1000).toFixed(1)} s`);
  console.log(`load average after: ${load()}`);
}
