/**
 * npm run bench -- import: events/s of POST /api/imports (NDJSON: upload, validation, dedupe,
 * store, then the isolated replay of 109 indicators in a worker) for a simulated history of
 * BENCH_IMPORT_EVENTS events (default 200,000; the figure is ≥ 5,000,000), with the
 * ratio to ClickHouse loading the same file straight into a table with its own reader
 * (INSERT … SELECT FROM file(…, JSONEachRow)) in the same run, and to the live HTTP path
 * (POST /api/events, NDJSON batches of 1,000, 8 senders, a server process of its own) over the
 * first BENCH_IMPORT_LIVE_EVENTS events of the same file (default: all of it up to 1,000,000)
 * with fresh ids.
 */
import { appendFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { INGEST_TOKEN, killHard, spawnServer, startTestApp, login, tempDir } from '../tests/helpers.js';
import { importFinished, postImport } from '../tests/imports-helpers.js';
import { generateHistory } from '../streams/simulator/generator.js';
import { toWireLine } from '../streams/simulator/cli.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { readFileSync } from 'node:fs';

const N = Number(process.env.BENCH_IMPORT_EVENTS ?? 200_000);
// Far enough back that the whole history ends before now (the simulator makes ~170,000 events in 30 days;
// a start of 2025-01-06 put 1.3 of 5 million events in the future, rejected as `ts: more than 5 minutes ahead`).
const FROM = Math.min(Date.parse('2025-01-06T00:00:00+08:00'), Date.now() - Math.ceil(N / 100_000) * 30 * 86_400_000);
const dir = tempDir('im-bench-import-');
const lines: string[] = [];
let days = 0;
for (let seed = 1; lines.length < N; seed++) {
  const evs = generateHistory({ reference: defaultReference, from: FROM + days * 86_400_000, days: 30, seed });
  for (const e of evs) { e.id = `b${seed}-${e.id}`.slice(0, 64); lines.push(toWireLine(e)); if (lines.length >= N) break; }
  days += 30;
}
const file = join(dir, 'history.ndjson');
// In parts: 5 million lines are more text than one JS string may hold.
writeFileSync(file, '');
for (let i = 0; i < lines.length; i += 100_000) appendFileSync(file, lines.slice(i, i + 100_000).join('\n') + '\n');
console.log(`import bench: ${lines.length.toLocaleString()} events, ${(statSync(file).size / 1048576).toFixed(1)} MiB, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const app = await startTestApp({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...(process.env.IMPORT_BATCH_BYTES ? { IMPORT_BATCH_BYTES: process.env.IMPORT_BATCH_BYTES } : {}) });
const admin = await login(app.url);
// Baseline: ClickHouse's own reader into a table of the same shape as events.
await app.ctx.store.command('CREATE TABLE bench_raw AS events');
const cpuOf = (c: NodeJS.CpuUsage, secs: number) => `process CPU ${((c.user + c.system) / 1e6).toFixed(1)} s, ${((c.user + c.system) / lines.length).toFixed(1)} µs/event, ${((c.user + c.system) / 1e6 / secs).toFixed(2)} cores busy`;
let cpu = process.cpuUsage();
let t = performance.now();
await app.ctx.store.command(`INSERT INTO bench_raw (id, ts, platform, bureau, officer, matter, item, action, taxpayer, window, amount, attrs)
  SELECT id, parseDateTime64BestEffort(ts, 3), platform, bureau, officer, matter, item, action, ifNull(taxpayer, ''), ifNull(window, ''), amount, ifNull(toString(attrs), '')
  FROM file('${file}', 'JSONEachRow', 'id String, ts String, platform String, bureau String, officer String, matter String, item String, action String, taxpayer Nullable(String), window Nullable(String), amount Nullable(Float64), attrs Nullable(String)')`);
const rawS = (performance.now() - t) / 1000;
const rawCpu = process.cpuUsage(cpu);
cpu = process.cpuUsage();
t = performance.now();
const post = await postImport(app.url, admin, readFileSync(file), 'format=ndjson');
const done = await importFinished(app.url, admin, post.json.id, 3_600_000);
const impS = (performance.now() - t) / 1000;
const impCpu = process.cpuUsage(cpu);
const raw = lines.length / rawS, imp = lines.length / impS;
console.log(`straight into ClickHouse (file() + JSONEachRow): ${Math.round(raw).toLocaleString()} events/s (${rawS.toFixed(1)} s; ${cpuOf(rawCpu, rawS)})`);
console.log(`POST /api/imports to done (load + replay; accepted ${done.accepted}, rejected ${done.rejected}, duplicates ${done.duplicates}; ${done.alerts} historical alerts): ${Math.round(imp).toLocaleString()} events/s (${impS.toFixed(1)} s; ${cpuOf(impCpu, impS)}), ${(imp / raw).toFixed(2)} × ClickHouse's own reader; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
await app.close();

// The live path: the same rows through POST /api/events (ids changed: b… → L…, same length) into a server of its own.
const LIVE = Math.min(lines.length, Number(process.env.BENCH_IMPORT_LIVE_EVENTS ?? 1_000_000));
const live = await spawnServer(tempDir('im-bench-import-live-'), { LOG_LEVEL: 'warn', LATENESS_MS: '5000' });
let next = 0, acked = 0;
t = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => {
  for (;;) {
    const from = next;
    next += 1000;
    if (from >= LIVE) return;
    const body = lines.slice(from, Math.min(LIVE, from + 1000)).map((l) => `{"id":"L${l.slice(8)}`).join('\n');
    const r = await fetch(`${live.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body });
    const j = (await r.json()) as { accepted?: number };
    if (r.status === 202) acked += j.accepted ?? 0; else throw new Error(`live path: ${r.status} ${JSON.stringify(j)}`);
  }
}));
const liveS = (performance.now() - t) / 1000;
const liveRate = acked / liveS;
await killHard(live.proc);
console.log(`live HTTP path (POST /api/events, ${acked.toLocaleString()} of the first ${LIVE.toLocaleString()} events acknowledged, 8 senders): ${Math.round(liveRate).toLocaleString()} events/s (${liveS.toFixed(1)} s); the import is ${(imp / liveRate).toFixed(2)} × the live path; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
process.exit(0);
