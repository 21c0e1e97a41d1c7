/**
 * bench/ingest: sustained ingest over HTTP (NDJSON batches of 1,000, several concurrent senders)
 * into embedded ClickHouse with validation, dedupe, spool and the indicator engine on; compared
 * with a raw `client.insert` (JSONEachRow, batches of 10,000) of the same rows in the same run.
 *
 * Two workloads from one simulated 35-day history (~190k events):
 * - replay: the history sent again and again with fresh event ids (items and times repeat);
 * - advancing: each pass is 35 days later with fresh items too, so time moves on as in real traffic
 *   (more time-based alerts, and the engine's per-item state reaches its retention horizon).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { generateHistory } from '../streams/simulator/generator.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { isoShanghai, toWireEvent } from '../streams/ingest/wire.js';
import { toEventRow } from '../sql/queries/events.js';
import { openStore, migrate } from '../sql/store.js';
import { INGEST_TOKEN, killHard, spawnServer, tempDir } from '../tests/helpers.js';
import type { IngestedEvent, OpEvent } from '../streams/types.js';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 60);
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 8);
const WORKLOADS = (process.env.BENCH_INGEST_WORKLOADS ?? 'replay,advancing').split(',') as Workload[];
const BATCH = 1000;
const DAY = 86400_000;
const SPAN = 35 * DAY;
/** The advancing workload starts this many spans back (~11.5 years), so no pass reaches the present. */
const PASSES = 120;

type Workload = 'replay' | 'advancing';

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** NDJSON batch k of a workload; each template line is kept split around its id, ts and item. */
function batchMaker(base: OpEvent[], workload: Workload): (k: number) => string {
  const parts = base.map((e) => {
    const s = JSON.stringify(toWireEvent(e));
    const a = s.indexOf('"id":"') + 6, b = s.indexOf('"', a);
    const c = s.indexOf('"ts":"') + 6, d = s.indexOf('"', c);
    const f = s.indexOf('"item":"') + 8, g = s.indexOf('"', f);
    return { id: s.slice(0, b), toTs: s.slice(b, c), ts: s.slice(c, d), toItem: s.slice(d, g), rest: s.slice(g), tsMs: e.ts };
  });
  return (k) => {
    const out: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = k * BATCH + i;
      const pass = Math.floor(n / parts.length);
      const p = parts[n % parts.length]!;
      const sfx = `-p${pass}`;
      out.push(workload === 'replay'
        ? `${p.id}${sfx}${p.toTs}${p.ts}${p.toItem}${p.rest}`
        : `${p.id}${sfx}${p.toTs}${isoShanghai(p.tsMs - (PASSES - pass) * SPAN)}${p.toItem}${sfx}${p.rest}`);
    }
    return out.join('\n');
  };
}

interface Sustained { rate: number; storedRate: number; secs: number; drainSecs: number; accepted: number; errors: number; rss: number[] }

async function sustained(base: OpEvent[], workload: Workload): Promise<Sustained> {
  const batchText = batchMaker(base, workload);
  const server = await spawnServer(tempDir(`im-bench-ingest-${workload}-`), { LOG_LEVEL: 'warn', LATENESS_MS: '5000' });
  const pid = server.proc.pid!;
  const rss: number[] = [];
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const t0 = Date.now();
  const end = t0 + SECONDS * 1000;
  const sampler = setInterval(() => rss.push(rssOf(pid)), 1000);
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (Date.now() < end) {
      const body = batchText(next++);
      const r = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body });
      const j = (await r.json()) as { accepted?: number };
      if (r.status === 202) accepted += j.accepted ?? 0; else errors++;
    }
  }));
  const secs = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  // Acknowledged means durable in the spool; wait until ClickHouse has every row too.
  for (;;) {
    const h = (await (await fetch(`${server.url}/api/health`)).json()) as { spool_bytes: number };
    if (h.spool_bytes === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const storedSecs = (Date.now() - t0) / 1000;
  await killHard(server.proc);
  return { rate: accepted / secs, storedRate: accepted / storedSecs, secs, drainSecs: storedSecs - secs, accepted, errors, rss };
}

const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function run(): Promise<Record<string, number>> {
  const base = generateHistory({ reference: defaultReference, from: Date.now() - 40 * DAY, days: 35, seed: 7 });
  console.log(`template events: ${base.length}; ${SENDERS} senders, batches of ${BATCH}, ${SECONDS} s per workload`);
  const runs: Partial<Record<Workload, Sustained>> = {};
  for (const w of WORKLOADS) runs[w] = await sustained(base, w);

  // Baseline: the same rows straight into ClickHouse with the client, 10,000 a batch.
  const store = await openStore({ dataDir: tempDir('im-bench-raw-'), database: 'bench' });
  await migrate(store);
  const rows = base.map((e, i) => toEventRow({ ...e, seq: i + 1, arrivedAt: Date.now(), flags: [] } as IngestedEvent));
  const total = Math.min(Math.max(Object.values(runs)[0]?.accepted ?? 0, 500_000), 2_000_000);
  const r0 = Date.now();
  for (let done = 0; done < total; done += 10_000) {
    const chunk = [];
    for (let i = 0; i < 10_000; i++) {
      const row = rows[(done + i) % rows.length]!;
      chunk.push({ ...row, id: `${row.id}-r${done + i}` });
    }
    await store.insert('events', chunk);
  }
  const rawRate = total / ((Date.now() - r0) / 1000);
  await store.close();

  const out: Record<string, number> = { rawRate };
  for (const [name, r] of Object.entries(runs) as [Workload, Sustained][]) {
    // RSS: the mean of each third of the run, so a steady state reads as flat and growth as a slope.
    const third = Math.floor(r.rss.length / 3);
    const thirds = [r.rss.slice(0, third), r.rss.slice(third, 2 * third), r.rss.slice(2 * third)].map(mean);
    console.log(`ingest_http[${name}]: ${r.rate.toFixed(0)} events/s (${(r.rate / rawRate).toFixed(2)} x raw client.insert) over ${r.secs.toFixed(0)} s, ${r.errors} errors`);
    console.log(`ingest_stored[${name}]: ${r.storedRate.toFixed(0)} events/s (${(r.storedRate / rawRate).toFixed(2)} x raw client.insert) acknowledged and in ClickHouse, ${r.drainSecs.toFixed(1)} s after the last 202`);
    console.log(`server_rss[${name}]: mean by third ${thirds.map(mib).join(' / ')} MiB, max ${mib(Math.max(...r.rss))} MiB (last third ${(thirds[2]! / thirds[1]!).toFixed(2)} x middle third); every 10 s: ${r.rss.filter((_, i) => i % 10 === 9).map(mib).join(' ')} MiB`);
    Object.assign(out, { [`${name}Rate`]: r.rate, [`${name}StoredRate`]: r.storedRate, [`${name}RssLastThird`]: thirds[2]! });
  }
  console.log(`raw_insert: ${rawRate.toFixed(0)} rows/s (1.00 x baseline) JSONEachRow batches of 10,000, ${total} rows`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
