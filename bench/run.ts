/**
 * `npm run bench [-- name…]`: runs each benchmark in its own process (one embedded ClickHouse
 * per process) and prints its figures. Each benchmark prints `name: value unit (ratio x baseline)`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['ingest', 'indicators', 'latency', 'kpis', 'client'];
// Not in the default set (long, kill -9 based): `crash` (bench/crash.ts) and `restart` (bench/restart.ts), run by name.
// Also by name only: `profile` (bench/profile.ts, the officer profile's queries on the KPI benchmark's data),
// `backtest` (bench/backtest.ts, one indicator over a year of events), `soak`, `overload`, `risk`, `import`.
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ALL;

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
let failed = 0;
for (const name of names) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) { console.log(`\n== ${name}: no such benchmark`); failed++; continue; }
  console.log(`\n== ${name}`);
  const t0 = Date.now();
  // the server's own young-generation size (package.json `start`): the engine's keyed state is long-lived
  // and with V8's default 16 MiB semi-spaces scavenges copy it over and over (a quarter of the engine's time)
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', file], { stdio: 'inherit' });
  console.log(`(${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s, exit ${r.status})`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
