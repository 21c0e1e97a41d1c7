/**
 * bench/latency: time from POST /api/events to the socket.io `alert`, at a steady background
 * of simulated traffic (default 2,000 events/s), for a per-event rule (TSK-02, decided on
 * arrival) and a rule decided in ts order (PRC-01, decided once the watermark passes, ~L later).
 * Baseline: the round trip of the POST itself (time to its 202).
 */
import { pathToFileURL } from 'node:url';
import { io } from 'socket.io-client';
import { LiveSimulator } from '../streams/simulator/live.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { toWireEvent } from '../streams/ingest/wire.js';
import { ADMIN_PASSWORD, INGEST_TOKEN, killHard, login, spawnServer, tempDir } from '../tests/helpers.js';

const RATE = Number(process.env.BENCH_LATENCY_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const LATENESS_MS = 5000;
const POWER = defaultReference.matters.find((m) => m.power)!.code;
const NON_POWER = defaultReference.matters.find((m) => !m.power)!.code;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

export async function run(): Promise<Record<string, number>> {
  const server = await spawnServer(tempDir('im-bench-latency-'), { LOG_LEVEL: 'warn', LATENESS_MS: String(LATENESS_MS), IDLE_MS: '2000' });
  const token = await login(server.url, 'admin', ADMIN_PASSWORD);
  const socket = io(server.url, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((ok, fail) => { socket.on('connect', () => ok()); socket.on('connect_error', fail); });

  const sentAt = new Map<string, { kind: 'per_event' | 'ts_order'; indicator: string; t: number }>();
  const latency = { per_event: [] as number[], ts_order: [] as number[] };
  socket.on('alert', (a: { indicator: string; evidence: string[] }) => {
    const now = performance.now();
    for (const id of a.evidence) {
      const s = sentAt.get(id);
      if (s && s.indicator === a.indicator) { latency[s.kind].push(now - s.t); sentAt.delete(id); }
    }
  });

  const post = async (events: unknown[]) => {
    const t = performance.now();
    const r = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` }, body: JSON.stringify(events) });
    await r.arrayBuffer();
    return performance.now() - t;
  };

  // The live simulator runs a little under its nominal rate at this speed (its queue is capped): ask for more.
  const sim = new LiveSimulator({ reference: defaultReference, ratePerSecond: RATE * 1.2, seed: 11, clock: Date.now });
  const postTimes: number[] = [];
  let background = 0;
  let probes = 0;
  const t0 = Date.now();
  const end = t0 + SECONDS * 1000;
  const bg = (async () => {
    while (Date.now() < end) {
      const batch = sim.next(Date.now()).map(toWireEvent);
      if (batch.length) { postTimes.push(await post(batch)); background += batch.length; }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const probe = (async () => {
    let n = 0;
    while (Date.now() < end - LATENESS_MS - 2000) {
      n++;
      const ts = new Date().toISOString();
      const base = { platform: 'collection', bureau: 'B01', matter: POWER, ts };
      // TSK-02: a manual assignment on a power matter, decided on arrival.
      const assign = { ...base, id: `lat-a-${n}`, officer: 'O0002', item: `lat-i-${n}`, action: 'assign', attrs: { mode: 'manual' } };
      // PRC-01: the same officer accepts and approves one item, decided in ts order.
      // (a matter that is not a power matter, so an off-hours approve does not raise SVC-01 on arrival)
      const accept = { ...base, matter: NON_POWER, id: `lat-c-${n}`, officer: 'O0001', item: `lat-j-${n}`, action: 'accept' };
      const approve = { ...base, matter: NON_POWER, id: `lat-p-${n}`, officer: 'O0001', item: `lat-j-${n}`, action: 'approve', amount: 10 };
      await post([accept]);
      const t = performance.now();
      sentAt.set(assign.id, { kind: 'per_event', indicator: 'TSK-02', t });
      sentAt.set(approve.id, { kind: 'ts_order', indicator: 'PRC-01', t });
      await post([assign, approve]);
      probes++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await Promise.all([bg, probe]);
  await new Promise((r) => setTimeout(r, LATENESS_MS + 3000));
  const secs = (Date.now() - t0) / 1000;
  socket.close();
  await killHard(server.proc);

  const base50 = pct(postTimes, 50);
  const r = {
    background_rate: background / SECONDS,
    per_event_p50: pct(latency.per_event, 50), per_event_p99: pct(latency.per_event, 99),
    ts_order_p50: pct(latency.ts_order, 50), ts_order_p99: pct(latency.ts_order, 99),
    post_p50: base50, probes, missed: probes * 2 - latency.per_event.length - latency.ts_order.length,
  };
  console.log(`background: ${r.background_rate.toFixed(0)} events/s simulated traffic over ${SECONDS} s (${secs.toFixed(0)} s with the tail), ${probes} probes, ${r.missed} alerts not received`);
  console.log(`latency_per_event (TSK-02): p50 ${r.per_event_p50.toFixed(0)} ms, p99 ${r.per_event_p99.toFixed(0)} ms (${(r.per_event_p50 / base50).toFixed(2)} x baseline POST round trip p50 ${base50.toFixed(0)} ms)`);
  console.log(`latency_ts_order (PRC-01, L=${LATENESS_MS} ms): p50 ${r.ts_order_p50.toFixed(0)} ms, p99 ${r.ts_order_p99.toFixed(0)} ms (${(r.ts_order_p50 / base50).toFixed(2)} x baseline); target p99 ≤ L + 250 = ${LATENESS_MS + 250} ms`);
  return r;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
