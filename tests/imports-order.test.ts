/**
 * The replay beside the load (server/replay/load-replay.ts) against the replay read back from the
 * store: a file in ts order is replayed while it loads (equal times put in id order in the worker),
 * a file out of order is replayed from the store after its load; both give the same alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { killHard, login, spawnServer, tempDir } from './helpers.js';
import { allAlerts, alertKeys, importFinished, postImport, simulatedHistory, writeLines } from './imports-helpers.js';
import { toWireLine } from '../streams/simulator/cli.js';
import { DrawRng } from '../streams/workflow/prng.js';

const TEN_MINUTES = 600_000;

describe('the replay beside the load and the replay from the store', () => {
  const dir = tempDir('im-imp-order-');
  // Times cut to ten minutes: many events share a ts, so the order of ties matters.
  const { events } = simulatedHistory({ from: Date.parse('2026-04-06T00:00:00+08:00'), days: 4, seed: 31, prefix: 'o-' });
  for (const e of events) e.ts = Math.floor(e.ts / TEN_MINUTES) * TEN_MINUTES;
  // In ts order, each tie in reverse id order (the worker must sort it); and shuffled.
  const inTsOrder = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? 1 : -1));
  const rng = new DrawRng('0badc0de');
  const shuffled = [...events];
  for (let i = shuffled.length - 1; i > 0; i--) { const j = rng.int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]; }
  const ordered = writeLines(dir, 'ordered.ndjson', inTsOrder.map(toWireLine));
  const unordered = writeLines(dir, 'shuffled.ndjson', shuffled.map(toWireLine));

  const procs: ChildProcess[] = [];
  let a: Awaited<ReturnType<typeof spawnServer>>, b: Awaited<ReturnType<typeof spawnServer>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([spawnServer(tempDir(), { IMPORT_BATCH_BYTES: '65536' }), spawnServer(tempDir(), { IMPORT_BATCH_BYTES: '65536' })]);
    procs.push(a.proc, b.proc);
  }, 180_000);
  afterAll(async () => { for (const p of procs) await killHard(p); });

  it('what a file in ts order and the same file shuffled give: the same events, the same historical alerts; only the shuffled one replays from the store', async () => {
    const ties = events.length - new Set(events.map((e) => e.ts)).size;
    expect(ties).toBeGreaterThan(events.length / 4);
    const [ta, tb] = [await login(a.url), await login(b.url)];
    const [ia, ib] = [await postImport(a.url, ta, readFileSync(ordered), 'format=ndjson'), await postImport(b.url, tb, readFileSync(unordered), 'format=ndjson')];
    const [da, db] = [await importFinished(a.url, ta, ia.json.id), await importFinished(b.url, tb, ib.json.id)];
    expect(da).toMatchObject({ state: 'done', accepted: events.length, duplicates: 0, rejected: 0 });
    expect(db).toMatchObject({ state: 'done', accepted: events.length, duplicates: 0, rejected: 0, alerts: da.alerts });
    expect(da.alerts).toBeGreaterThan(0);
    const keys = alertKeys(await allAlerts(a.url, ta, 'historical=1'));
    expect(keys).toHaveLength(da.alerts);
    expect(keys).toEqual(alertKeys(await allAlerts(b.url, tb, 'historical=1')));
    expect(a.output()).not.toMatch(/replaying from the store/);
    expect(b.output()).toMatch(new RegExp(`import ${ib.json.id}: replaying from the store after the load \\(row o-\\S+ is older than the one stored before it`));
  }, 300_000);
});
