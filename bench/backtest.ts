/**
 * Backtest benchmark (issue 14 point 3): in a fresh temp DATA_DIR, the KPI benchmark's year of
 * events (bench/kpis.ts, generated inside ClickHouse; BENCH_BACKTEST_EVENTS, default 5,000,000; the
 * KPI benchmark's 50 million with BENCH_BACKTEST_EVENTS=50000000), then one indicator
 * (BENCH_BACKTEST_INDICATOR, default PRC-01: self-approval, reads accepts and approvals of every
 * matter) backtested over the whole year through POST /api/indicators/:id/backtest on a real server
 * (the replay in its worker thread). Printed: events scanned per second, the ratio to a plain scan of
 * the same rows in the same order (the backtest's own query, `eventsInOrder`, in the backtest's pages, read to the end with
 * nothing evaluated), and the server's GET /api/health round-trip p99 while the backtest runs,
 * probed every 50 ms (target ≤ 200 ms).
 *
 *   npm run bench -- backtest        (not in the default set)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { eventsInOrder } from '../sql/queries/events.js';
import { BACKTEST_PAGE, matterCodesOf } from '../server/replay/backtest.js';
import { YEAR_START, generateChunk, generatorParams } from './kpis.js';

const DAY = 86_400_000;
const YEAR_END = YEAR_START + 365 * DAY;
const TARGET_HEALTH_MS = 200;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

function postNoTimeout(url: string, token: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'im-bench-backtest-'));
  const app = await startApp(parseConfig({ DATA_DIR: dataDir, PORT: '0', SIMULATE: '0', ADMIN_PASSWORD: 'admin-pass-123', INGEST_TOKEN: 'bench-token-123456', LOG_LEVEL: 'warn' }));
  try {
    const store = app.ctx.store;
    const ref = defaultReference;
    const p = generatorParams(ref);
    const total = Number(process.env.BENCH_BACKTEST_EVENTS ?? 5_000_000);
    const g0 = performance.now();
    for (let s0 = 0; s0 < total; s0 += 5_000_000) await generateChunk(store, s0, Math.min(5_000_000, total - s0), total, p);
    const [{ c: events }] = await store.query<{ c: number }>('SELECT count() AS c FROM events');
    console.log(`backtest: ${Number(events).toLocaleString('en')} events over 2025 generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    const indicator = process.env.BENCH_BACKTEST_INDICATOR ?? 'PRC-01';
    const def = app.ctx.services.engine.catalog.find((d) => d.id === indicator);
    if (!def) throw new Error(`no indicator ${indicator}`);
    // Baseline: the backtest's own query (same filters pushed down, same order), read to the end, nothing evaluated.
    const s0 = performance.now();
    let scanned = 0;
    for await (const page of eventsInOrder(store, { from: YEAR_START, to: YEAR_END, actions: def.actions, matters: matterCodesOf(def, await app.ctx.reference.history()), bureau: null }, BACKTEST_PAGE)) scanned += page.length;
    const scanMs = performance.now() - s0;
    const scanRate = scanned / (scanMs / 1000);
    console.log(`plain scan of the same rows (${def.actions.join(', ')}): ${scanned.toLocaleString('en')} rows in ${(scanMs / 1000).toFixed(1)} s, ${Math.round(scanRate).toLocaleString('en')} rows/s`);

    const login = (await (await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).json()) as { token: string };
    let running = true;
    const health: number[] = [];
    const probe = (async () => {
      while (running) {
        const t0 = performance.now();
        await (await fetch(`${app.url}/api/health`)).arrayBuffer();
        if (running) health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const b0 = performance.now();
    // node:http, not fetch: fetch gives up when the answer's headers take over 300 s (undici's
    // headersTimeout), and over the 50-million-event data set the backtest takes longer than that.
    const r = await postNoTimeout(`${app.url}/api/indicators/${indicator}/backtest`, login.token,
      JSON.stringify({ from: new Date(YEAR_START).toISOString(), to: new Date(YEAR_END).toISOString() }));
    const out = JSON.parse(r.body) as { events_scanned: number; total: number };
    const btMs = performance.now() - b0;
    running = false;
    await probe;
    if (r.status !== 200) throw new Error(`backtest: ${r.status} ${JSON.stringify(out)}`);
    const rate = out.events_scanned / (btMs / 1000);
    const p99 = pct(health, 99);
    console.log(`backtest ${indicator}: ${out.events_scanned.toLocaleString('en')} events in ${(btMs / 1000).toFixed(1)} s, ${out.total.toLocaleString('en')} hits`);
    console.log(`backtest: ${Math.round(rate).toLocaleString('en')} events/s (${(rate / scanRate).toFixed(2)}x plain scan)`);
    console.log(`backtest: health p99 ${Math.round(p99)} ms over ${health.length} probes, max ${Math.round(Math.max(...health))} ms (target ≤ ${TARGET_HEALTH_MS} ms); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await app.close();
    try { rmSync(dataDir, { recursive: true, force: true }); } catch { /* chDB may still hold files */ }
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
