/**
 * Imports beside live traffic, alone, and through a kill -9 (issue 14 "done when"): history
 * imported while live events flow leaves the live alerts exactly as a run without it; the
 * imported alerts are exactly those of the same file imported alone into an empty server; a
 * kill -9 mid-import, then the restart's resume, ends with every event once and the same alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { api, eventually, killHard, login, postEvents, spawnServer, startTestApp, tempDir } from './helpers.js';
import { DAY_MS, allAlerts, alertKeys, importFinished, postImport, simulatedHistory, writeLines } from './imports-helpers.js';

const HOUR = 3_600_000;

/** Everything the live engine saw is evaluated and stored, and W is past the newest event. */
const liveSettled = (url: string, newestTs: number) => eventually(async () => {
  const h = (await api(url, '', '/api/health')).json;
  return h.engine_watermark > newestTs && h.engine_buffered_events === 0 && h.alerts_unstored === 0 && h.spool_bytes === 0 ? h : undefined;
}, 60_000, 200);

async function postLive(url: string, lines: string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 1000) expect((await postEvents(url, lines.slice(i, i + 1000), { ndjson: true })).status).toBe(202);
}

describe('imports beside live traffic, alone, and through a kill -9', () => {
  const dir = tempDir('im-imp-iso-');
  // History: 5 days, months before the live traffic. Live: the last 24 hours, sent as it happens
  // (a whole day, so that it holds working hours whatever the time the test runs).
  const hist = simulatedHistory({ from: Date.parse('2026-05-04T00:00:00+08:00'), days: 5, seed: 21, itemsPerDay: 120, prefix: 'h-' });
  const histFile = writeLines(dir, 'history.ndjson', hist.lines);
  const liveFrom = Date.now() - 24 * HOUR;
  const live = simulatedHistory({ from: liveFrom, days: 1, seed: 22, itemsPerDay: 200, prefix: 'l-' });
  const liveEvents = live.events.filter((e) => e.ts < Date.now() - 60_000).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
  const liveLines = liveEvents.map((e) => live.lines[live.events.indexOf(e)]!);
  const newestLive = liveEvents[liveEvents.length - 1]!.ts;

  let both: Awaited<ReturnType<typeof startTestApp>>;
  const procs: ChildProcess[] = [];
  let alone: { url: string }, liveOnly: { url: string };
  beforeAll(async () => {
    [both, alone, liveOnly] = await Promise.all([
      startTestApp(),
      spawnServer(tempDir()).then((s) => { procs.push(s.proc); return s; }),
      spawnServer(tempDir()).then((s) => { procs.push(s.proc); return s; }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await both?.close();
    for (const p of procs) await killHard(p);
  });

  it('what an import beside live events does: live alerts as without it, imported alerts as the file alone in an empty server', async () => {
    const [a, b, c] = [await login(both.url), await login(alone.url), await login(liveOnly.url)];
    // Beside: the import starts, live events flow while it runs.
    const imp = await postImport(both.url, a, readFileSync(histFile), 'format=ndjson');
    expect(imp.status).toBe(202);
    await postLive(both.url, liveLines);
    const beside = await importFinished(both.url, a, imp.json.id);
    // Alone: the same file into an empty server; live only: the same live events, no import.
    const imp2 = await postImport(alone.url, b, readFileSync(histFile), 'format=ndjson');
    const aloneDone = await importFinished(alone.url, b, imp2.json.id);
    await postLive(liveOnly.url, liveLines);
    await Promise.all([liveSettled(both.url, newestLive), liveSettled(liveOnly.url, newestLive)]);

    expect(beside).toMatchObject({ state: 'done', accepted: hist.events.length, duplicates: 0 });
    expect(aloneDone).toMatchObject({ state: 'done', accepted: hist.events.length, alerts: beside.alerts });
    const liveBeside = alertKeys(await allAlerts(both.url, a, 'historical=0'));
    const liveAlone = alertKeys(await allAlerts(liveOnly.url, c, ''));
    expect(liveAlone.length).toBeGreaterThan(0);
    expect(liveBeside).toEqual(liveAlone);
    const histBeside = alertKeys(await allAlerts(both.url, a, 'historical=1'));
    expect(histBeside.length).toBeGreaterThan(0);
    expect(histBeside).toEqual(alertKeys(await allAlerts(alone.url, b, 'historical=1')));
    // The import opened no task; the live stream did.
    const tasks = (await api(both.url, a, '/api/tasks?limit=1000')).json.tasks as { evidence: string[] }[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.evidence.every((e) => e.startsWith('l-')))).toBe(true);
  }, 300_000);

  it('what a kill -9 mid-import does: the restart resumes it, every event stored once, the same alerts as the file alone', async () => {
    const data = tempDir();
    // Small batches: the kill lands between progress records.
    let srv = await spawnServer(data, { IMPORT_BATCH_BYTES: '32768' });
    procs.push(srv.proc);
    let t = await login(srv.url);
    const imp = await postImport(srv.url, t, readFileSync(histFile), 'format=ndjson');
    expect(imp.status).toBe(202);
    const atKill = await eventually(async () => {
      const r = (await api(srv.url, t, `/api/imports/${imp.json.id}`)).json;
      return r.rows_read > 0 ? r : undefined;
    }, 60_000, 20);
    await killHard(srv.proc);
    // The kill landed mid-import (else this test would prove nothing).
    expect(atKill.state).toBe('running');
    expect(atKill.rows_read).toBeLessThan(hist.events.length);

    srv = await spawnServer(data, { IMPORT_BATCH_BYTES: '32768' });
    procs.push(srv.proc);
    expect(srv.output()).toMatch(new RegExp(`import ${imp.json.id}: resuming`));
    t = await login(srv.url);
    const done = await importFinished(srv.url, t, imp.json.id);
    expect(done).toMatchObject({ state: 'done', rows_read: hist.events.length, accepted: hist.events.length, duplicates: 0, rejected: 0 });
    const count = (await api(srv.url, t, `/api/events?count=1&from=${new Date(hist.events[0]!.ts - DAY_MS).toISOString()}&to=${new Date(Date.now()).toISOString()}`)).json.count;
    expect(count).toBe(hist.events.length);
    const b = await login(alone.url);
    const keys = alertKeys(await allAlerts(srv.url, t, 'historical=1'));
    expect(keys).toEqual(alertKeys(await allAlerts(alone.url, b, 'historical=1')));
    expect(done.alerts).toBe(keys.length);
  }, 300_000);
});
