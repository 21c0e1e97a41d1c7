/**
 * bench/soak: the server fed by its own simulator (the simulator's mix, through the real ingest
 * path) at BENCH_SOAK_RATE events/s (default 5,000) for BENCH_SOAK_MINUTES (default 30), with
 * BENCH_SOAK_CLIENTS socket.io clients (default 50) on the alert wall. Per BENCH_SOAK_BUCKET_S
 * (default 300 s): server RSS, event→alert latency p99 (alert received − its event time; ts-ordered
 * rules include the lateness L by design), the server's event-loop delay (p99 of each full minute
 * and the max, from /api/health), health round-trip p99, the events stored in the bucket (the rate
 * reached), and the least-squares slope of RSS over the buckets.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { io as connect, type Socket } from 'socket.io-client';
import { killHard, login, spawnServer, tempDir } from '../tests/helpers.js';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 30);
const BUCKET_S = Number(process.env.BENCH_SOAK_BUCKET_S ?? 300);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 5000);
const CLIENTS = Number(process.env.BENCH_SOAK_CLIENTS ?? 50);
/** A directory for a V8 CPU profile of the server (written when it stops, on SIGTERM at the end). */
const CPU_PROF_DIR = process.env.BENCH_SOAK_CPU_PROF;

/** Resident memory of the server: all of it, and the anonymous part (heap, native allocations) apart from file-backed pages (mapped files, reclaimable). */
const rssOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
};
const p99 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]! : NaN);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  const server = await spawnServer(tempDir('bench-soak-'), { SIMULATE: '1', SIMULATE_RATE: String(RATE), LOG_LEVEL: 'warn', LATENESS_MS: '5000', IDLE_MS: '2000' },
    CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []);
  const pid = server.proc.pid!;
  const token = await login(server.url);
  const sockets: Socket[] = [];
  const emptyBucket = () => ({ rss: [] as number[], anon: [] as number[], file: [] as number[], latency: [] as number[], health: [] as number[], loopP99: [] as number[], loopMax: 0, heap: 0, heapTotal: 0, keyed: 0, spool: 0, captureMs: 0, pauseMs: 0, compactMs: 0, store: 0, external: 0, sheds: 0, alerts: 0, probeErrors: 0, from: Date.now() });
  let bucket = emptyBucket();
  for (let i = 0; i < CLIENTS; i++) {
    const s = connect(server.url, { auth: { token }, transports: ['websocket'] });
    s.on('alert', (a: { ts: string | number }) => {
      bucket.alerts++;
      if (i === 0) bucket.latency.push(Date.now() - (typeof a.ts === 'number' ? a.ts : Date.parse(a.ts)));
    });
    sockets.push(s);
  }
  const rows: { minute: number; rss: number; anon: number; latency: number; health: number; alerts: number; loopP99: number; loopMax: number; rate: number }[] = [];
  const storedBetween = async (from: number, to: number) => {
    const r = await fetch(`${server.url}/api/events?count=1&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, { headers: { authorization: `Bearer ${token}` } });
    return r.ok ? Number(((await r.json()) as { count?: number }).count ?? NaN) : NaN;
  };
  const storedBetweenOrNaN = async (from: number, to: number) => { try { return await storedBetween(from, to); } catch { return NaN; }
  };
  const sampler = setInterval(() => { const m = rssOf(pid); bucket.rss.push(m.rss); bucket.anon.push(m.anon); bucket.file.push(m.file); }, 1000);
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      // A probe that fails (a kept-alive connection the server closed during a stall) is counted, not fatal.
      const h = await fetch(`${server.url}/api/health`).then((r) => r.json() as Promise<{
        event_loop_delay?: { last_window: { p99_ms: number } | null; current: { max_ms: number } };
        memory?: { heap_used_mib: number; heap_total_mib?: number; external_mib?: number; store_tracked_mib?: number | null }; engine_keyed_entries?: number; engine_state_budget?: { sheds: number }; spool_events_waiting?: number; engine_checkpoint_capture_ms?: number; engine_checkpoint_longest_pause_ms?: number; engine_checkpoint_compact?: { last: { ms: number } | null } | null;
      }>, () => null);
      if (!h) { bucket.probeErrors++; await new Promise((r) => setTimeout(r, 250)); continue; }
      bucket.health.push(performance.now() - t0);
      bucket.heap = h.memory?.heap_used_mib ?? 0;
      bucket.heapTotal = h.memory?.heap_total_mib ?? 0;
      bucket.keyed = h.engine_keyed_entries ?? 0;
      bucket.spool = h.spool_events_waiting ?? 0;
      bucket.captureMs = h.engine_checkpoint_capture_ms ?? 0;
      bucket.pauseMs = h.engine_checkpoint_longest_pause_ms ?? 0;
      bucket.compactMs = h.engine_checkpoint_compact?.last?.ms ?? 0;
      bucket.store = h.memory?.store_tracked_mib ?? 0;
      bucket.external = h.memory?.external_mib ?? 0;
      bucket.sheds = h.engine_state_budget?.sheds ?? 0;
      const loop = h.event_loop_delay;
      if (loop) {
        if (loop.last_window && bucket.loopP99.at(-1) !== loop.last_window.p99_ms) bucket.loopP99.push(loop.last_window.p99_ms);
        bucket.loopMax = Math.max(bucket.loopMax, loop.current.max_ms);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  console.log(`soak: ${MINUTES} min at ${RATE} events/s (simulator), ${CLIENTS} socket.io clients, buckets of ${BUCKET_S} s; load ${loadavg()[0]!.toFixed(1)}`);
  const end = Date.now() + MINUTES * 60_000;
  for (let k = 1; Date.now() < end; k++) {
    await new Promise((r) => setTimeout(r, Math.min(BUCKET_S * 1000, end - Date.now())));
    const b = bucket;
    bucket = emptyBucket();
    // events by their own time: the simulator stamps them as they are sent; the last seconds may still be on their way
    const stored = await storedBetweenOrNaN(b.from, bucket.from);
    const row = { minute: (k * BUCKET_S) / 60, rss: mean(b.rss), anon: mean(b.anon), latency: p99(b.latency), health: p99(b.health), alerts: b.alerts / CLIENTS, loopP99: Math.max(...b.loopP99, 0), loopMax: b.loopMax, rate: stored / ((bucket.from - b.from) / 1000) };
    rows.push(row);
    console.log(`soak: t=${row.minute.toFixed(1)} min  events stored ${Math.round(row.rate)}/s  RSS ${(row.rss / 2 ** 20).toFixed(0)} MiB (anonymous ${(row.anon / 2 ** 20).toFixed(0)}, file-backed ${(mean(b.file) / 2 ** 20).toFixed(0)})  event→alert p99 ${Math.round(row.latency)} ms  event-loop delay p99 ${row.loopP99} ms (max ${row.loopMax} ms)  health round-trip p99 ${Math.round(row.health)} ms  heap ${b.heap} MiB (committed ${b.heapTotal})  external ${b.external} MiB  store ${b.store} MiB  keyed entries ${b.keyed}  spool backlog ${b.spool}  checkpoint capture ${b.captureMs} ms (engine paused ≤ ${b.pauseMs} ms, compact copy ${b.compactMs} ms in the worker)  state sheds ${b.sheds}  alerts/client ${row.alerts}${b.probeErrors ? `  failed probes ${b.probeErrors}` : ''}  load ${loadavg()[0]!.toFixed(1)}`);
  }
  probing = false;
  await probe;
  clearInterval(sampler);
  // least-squares slope of RSS over time, without the first bucket (heap sizing)
  const pts = rows.length > 2 ? rows.slice(1) : rows;
  for (const [label, of] of [['RSS', (r: typeof rows[number]) => r.rss], ['anonymous RSS', (r: typeof rows[number]) => r.anon]] as const) {
    const mx = mean(pts.map((r) => r.minute)), my = mean(pts.map(of));
    const slope = pts.reduce((a, r) => a + (r.minute - mx) * (of(r) - my), 0) / Math.max(1e-9, pts.reduce((a, r) => a + (r.minute - mx) ** 2, 0));
    console.log(`soak: ${label} slope ${(slope / 2 ** 20).toFixed(2)} MiB/min over buckets 2–${rows.length} (${((slope * 60) / my * 100).toFixed(1)} %/h of the mean ${(my / 2 ** 20).toFixed(0)} MiB)`);
  }
  for (const s of sockets) s.close();
  if (CPU_PROF_DIR) {
    // a clean stop writes the profile
    const exited = new Promise((ok) => server.proc.once('exit', ok));
    server.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 120_000))]);
    console.log(`soak: server CPU profile in ${CPU_PROF_DIR}`);
  }
  await killHard(server.proc);
}

await main();
