/**
 * bench/ingest: sustained ingest over HTTP (NDJSON batches of 1,000, several concurrent senders)
 * into embedded ClickHouse with validation, dedupe, spool and the indicator engine on; compared
 * with a raw `client.insert` (JSONEachRow, batches of 10,000) of the same rows in the same run.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { generateHistory } from '../streams/simulator/generator.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { toWireEvent } from '../streams/ingest/wire.js';
import { toEventRow } from '../sql/queries/events.js';
import { openStore, migrate } from '../sql/store.js';
import { INGEST_TOKEN, killHard, spawnServer, tempDir } from '../tests/helpers.js';
import type { IngestedEvent, OpEvent } from '../streams/types.js';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 60);
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 4);
const BATCH = 1000;

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export async function run(): Promise<Record<string, number>> {
  const day = 86400_000;
  const from = Date.now() - 40 * day;
  const base = generateHistory({ reference: defaultReference, from, days: 35, seed: 7 });
  console.log(`template events: ${base.length}`);
  // Each pass over the template gets fresh ids: the line is kept split around its id.
  const parts = base.map((e) => {
    const line = JSON.stringify(toWireEvent(e));
    const i = line.indexOf('"id":"') + 6;
    const j = line.indexOf('"', i);
    return [line.slice(0, j), line.slice(j)] as const;
  });
  const batchText = (k: number): string => {
    const out: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = k * BATCH + i;
      const p = parts[n % parts.length]!;
      out.push(`${p[0]}-p${Math.floor(n / parts.length)}${p[1]}`);
    }
    return out.join('\n');
  };

  const dataDir = tempDir('im-bench-ingest-');
  const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn', LATENESS_MS: '5000' });
  const pid = server.proc.pid!;
  const rssSamples: number[] = [rssOf(pid)];
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const t0 = Date.now();
  const end = t0 + SECONDS * 1000;
  const sampler = setInterval(() => rssSamples.push(rssOf(pid)), 1000);
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (Date.now() < end) {
      const body = batchText(next++);
      const r = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body });
      const j = (await r.json()) as { accepted?: number };
      if (r.status === 202) accepted += j.accepted ?? 0; else errors++;
    }
  }));
  const secs = (Date.now() - t0) / 1000;
  // Acknowledged means durable in the spool; wait until ClickHouse has every row too.
  for (;;) {
    const h = (await (await fetch(`${server.url}/api/health`)).json()) as { spool_bytes: number };
    if (h.spool_bytes === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const storedSecs = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const httpRate = accepted / secs;
  const storedRate = accepted / storedSecs;
  const rssStart = rssSamples[Math.min(5, rssSamples.length - 1)]!;
  const rssEnd = rssSamples[rssSamples.length - 1]!;
  const rssMax = Math.max(...rssSamples);
  await killHard(server.proc);

  // Baseline: the same rows straight into ClickHouse with the client, 10,000 a batch.
  const store = await openStore({ dataDir: tempDir('im-bench-raw-'), database: 'bench' });
  await migrate(store);
  const rows = base.map((e, i) => toEventRow({ ...(e as OpEvent), seq: i + 1, arrivedAt: Date.now(), flags: [] } as IngestedEvent));
  const total = Math.min(Math.max(accepted, 500_000), 2_000_000);
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

  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(`ingest_http: ${httpRate.toFixed(0)} events/s (${(httpRate / rawRate).toFixed(2)} x raw client.insert) over ${secs.toFixed(0)} s, ${SENDERS} senders, batches of ${BATCH}, ${errors} errors`);
  console.log(`ingest_stored: ${storedRate.toFixed(0)} events/s (${(storedRate / rawRate).toFixed(2)} x raw client.insert) acknowledged and in ClickHouse, ${(storedSecs - secs).toFixed(1)} s after the last 202`);
  console.log(`raw_insert: ${rawRate.toFixed(0)} rows/s (1.00 x baseline) JSONEachRow batches of 10,000, ${total} rows`);
  console.log(`server_rss: start ${mb(rssStart)} MiB, end ${mb(rssEnd)} MiB, max ${mb(rssMax)} MiB (${(rssEnd / rssStart).toFixed(2)} x start)`);
  return { httpRate, storedRate, rawRate, ratio: httpRate / rawRate, rssStart, rssEnd, rssMax };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
