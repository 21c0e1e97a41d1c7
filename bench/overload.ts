/**
 * bench/overload: the server under 10× its sustainable ingest rate (issue 9, point 5).
 * 1. baseline: closed loop (8 senders, each waits for its 202) for BENCH_OVERLOAD_BASELINE_S → the sustainable rate R;
 * 2. overload: open loop at 10 × R for BENCH_OVERLOAD_SECONDS (default 60): batches of 1,000 are sent on a
 *    fixed schedule whatever the answers (at most BENCH_OVERLOAD_OPEN requests open at once, the client's own limit);
 * 3. catch-up: time from the end of the load until every acknowledged event is in ClickHouse.
 * Prints peak RSS (ratio to the baseline phase), 202/429/503 counts, acknowledged = stored, catch-up time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { INGEST_TOKEN, killHard, spawnServer, tempDir, login } from '../tests/helpers.js';

const BASELINE_S = Number(process.env.BENCH_OVERLOAD_BASELINE_S ?? 15);
const SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
const FACTOR = Number(process.env.BENCH_OVERLOAD_FACTOR ?? 10);
const OPEN = Number(process.env.BENCH_OVERLOAD_OPEN ?? 512);
const BATCH = 1000;
const stamp = Date.now();

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const mib = (b: number) => (b / 2 ** 20).toFixed(0);

let seq = 0;
function body(): string {
  const k = seq++;
  const ts = new Date(Date.now() - 30_000).toISOString();
  const lines: string[] = [];
  for (let i = 0; i < BATCH; i++) lines.push(`{"id":"ov-${stamp}-${k}-${i}","ts":"${ts}","platform":"collection","bureau":"B02","officer":"O000${i % 10}","matter":"M001","item":"OV-${k}-${i % 50}","action":"${i % 2 ? 'handle' : 'accept'}"}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = tempDir('bench-overload-');
  const server = await spawnServer(dir, { LOG_LEVEL: 'warn' });
  const pid = server.proc.pid!;
  let peak = 0;
  let phasePeak = 0;
  const sampler = setInterval(() => { const r = rssOf(pid); peak = Math.max(peak, r); phasePeak = Math.max(phasePeak, r); }, 250);
  const post = (text: string) => fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: text });
  let acked = 0;
  const counts: Record<number, number> = {};
  const count = (status: number) => { counts[status] = (counts[status] ?? 0) + 1; };
  try {
    // 1. baseline
    const until = Date.now() + BASELINE_S * 1000;
    let baseAcked = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        const r = await post(body());
        if (r.status === 202) baseAcked += ((await r.json()) as { accepted: number }).accepted; else await r.arrayBuffer();
      }
    }));
    acked += baseAcked;
    const rate = baseAcked / BASELINE_S;
    const baselineRss = phasePeak;
    console.log(`overload: sustainable rate ${Math.round(rate)} events/s (closed loop, 8 senders, ${BASELINE_S} s); peak RSS ${mib(baselineRss)} MiB; load ${loadavg()[0]!.toFixed(1)}`);

    // 2. overload, open loop
    phasePeak = 0;
    const target = rate * FACTOR;
    const perTick = target / BATCH / 20; // requests per 50 ms tick
    let open = 0;
    let offered = 0;
    let skipped = 0;
    let credit = 0;
    const inflight = new Set<Promise<void>>();
    const t0 = Date.now();
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        if (Date.now() - t0 >= SECONDS * 1000) { clearInterval(tick); done(); return; }
        credit += perTick;
        while (credit >= 1) {
          credit--;
          if (open >= OPEN) { skipped++; continue; }
          open++;
          offered += BATCH;
          const p: Promise<void> = post(body()).then(async (r) => {
            count(r.status);
            if (r.status === 202) acked += ((await r.json()) as { accepted: number }).accepted; else await r.arrayBuffer();
          }, () => count(0)).finally(() => { open--; inflight.delete(p); });
          inflight.add(p);
        }
      }, 50);
    });
    const loadEnd = Date.now();
    await Promise.all(inflight);
    console.log(`overload: offered ${Math.round(offered / SECONDS)} events/s for ${SECONDS} s (target ${Math.round(target)} = ${FACTOR} × sustainable; ${skipped} sends skipped at the client's limit of ${OPEN} open requests)`);
    console.log(`overload: answers 202 ×${counts[202] ?? 0}, 429 ×${counts[429] ?? 0}, 503 ×${counts[503] ?? 0}, errors ×${counts[0] ?? 0}, other ${Object.entries(counts).filter(([s]) => !['0', '202', '429', '503'].includes(s)).map(([s, n]) => `${s}×${n}`).join(' ') || 'none'}`);
    console.log(`overload: acknowledged ${Math.round((acked - baseAcked) / SECONDS)} events/s (${((acked - baseAcked) / SECONDS / rate).toFixed(2)} × sustainable)`);
    console.log(`overload: peak RSS ${mib(phasePeak)} MiB (${(phasePeak / baselineRss).toFixed(2)} × the baseline phase's ${mib(baselineRss)} MiB)`);

    // 3. catch-up: every acknowledged event stored
    const token = await login(server.url);
    let stored = 0;
    for (;;) {
      const r = await fetch(`${server.url}/api/events?count=1&id_prefix=ov-${stamp}-`, { headers: { authorization: `Bearer ${token}` } });
      stored = ((await r.json()) as { count: number }).count;
      const h = (await (await fetch(`${server.url}/api/health`)).json()) as { spool_events_waiting: number };
      if (stored >= acked && h.spool_events_waiting === 0) break;
      if (Date.now() - loadEnd > 600_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`overload: catch-up ${((Date.now() - loadEnd) / 1000).toFixed(1)} s after the load ended; stored ${stored} of ${acked} acknowledged (${stored === acked ? 'none lost, none doubled' : 'MISMATCH'}); load ${loadavg()[0]!.toFixed(1)}`);
    if (stored !== acked) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await killHard(server.proc);
  }
}

await main();
