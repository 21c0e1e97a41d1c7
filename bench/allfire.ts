/**
 * `npm run bench -- allfire`: a 30-day `npm run simulate` (default volume, the catalog's patterns
 * planted) loaded into a fresh server through POST /api/events; waits until every indicator of
 * GET /api/indicators has a hit count above 0, then prints the alerts per 1,000 events.
 * Exit 1 when some indicator has not fired within the wait.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ADMIN_PASSWORD, INGEST_TOKEN, ROOT, killHard, sleep, spawnServer, tempDir } from '../tests/helpers.js';

const BATCH = 5000;
const WAIT_MS = Number(process.env.ALLFIRE_WAIT_MS ?? 240_000);

async function main(): Promise<void> {
  const dir = tempDir('im-bench-allfire-');
  const file = join(dir, 'sim.ndjson');
  const t0 = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'streams/simulator/cli.ts'), '--days', '30', '--out', file], { cwd: ROOT, encoding: 'utf8' });
  console.log(`simulate: ${out.trim()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);

  const server = await spawnServer(join(dir, 'data'), { LOG_LEVEL: 'warn', LATENESS_MS: '5000', IDLE_MS: '2000' });
  try {
    const t1 = Date.now();
    let accepted = 0;
    for (let i = 0; i < lines.length; i += BATCH) {
      const r = await fetch(`${server.url}/api/events`, {
        method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: lines.slice(i, i + BATCH).join('\n'),
      });
      const j = (await r.json()) as { accepted: number; rejected: unknown[] };
      if (r.status !== 202 || j.rejected.length) throw new Error(`POST /api/events ${r.status}: ${JSON.stringify(j).slice(0, 500)}`);
      accepted += j.accepted;
    }
    console.log(`loaded: ${accepted} events in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const deadline = Date.now() + WAIT_MS;
    let list: { id: string; hits: number }[] = [];
    for (;;) {
      const r = await fetch(`${server.url}/api/indicators`, { headers: { authorization: `Bearer ${token}` } });
      list = ((await r.json()) as { indicators: { id: string; hits: number }[] }).indicators;
      if (list.every((d) => d.hits > 0) || Date.now() > deadline) break;
      await sleep(3000);
    }
    const silent = list.filter((d) => d.hits === 0).map((d) => d.id);
    const alerts = list.reduce((n, d) => n + d.hits, 0);
    console.log(`indicators: ${list.length}, fired: ${list.length - silent.length}${silent.length ? `, silent: ${silent.join(' ')}` : ''}`);
    console.log(`alerts: ${alerts}, per 1,000 events: ${((1000 * alerts) / accepted).toFixed(2)}`);
    console.log(`top: ${[...list].sort((a, b) => b.hits - a.hits).slice(0, 8).map((d) => `${d.id} ${d.hits}`).join(', ')}`);
    console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    if (silent.length) process.exitCode = 1;
  } finally {
    await killHard(server.proc);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
