import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { api, login, postEvents, startTestApp, exampleEvents, eventually, tempDir } from './helpers.js';
import { DAY_MS, allAlerts, alertKeys, importFinished, postImport, simulatedHistory, writeLines } from './imports-helpers.js';

describe('imports of history (POST /api/imports, NDJSON)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;
  const dir = tempDir('im-imp-files-');
  const from = Date.parse('2026-03-02T00:00:00+08:00');
  const hist = simulatedHistory({ from, days: 4, prefix: 'h-' });
  const file = writeLines(dir, 'history.ndjson', hist.lines);

  beforeAll(async () => {
    app = await startTestApp();
    admin = await login(app.url);
  });
  afterAll(async () => { await app?.close(); });

  it('what it does with an NDJSON file: every event stored once, alerts stored as historical with no risk task; the same file again is all duplicates', async () => {
    const post = await postImport(app.url, admin, readFileSync(file), 'format=ndjson&name=history.ndjson');
    expect(post.status).toBe(202);
    const done = await importFinished(app.url, admin, post.json.id);
    expect(done).toMatchObject({ id: post.json.id, state: 'done', rows_read: hist.events.length, accepted: hist.events.length, duplicates: 0, rejected: 0 });
    expect(done.alerts).toBeGreaterThan(0);
    const count = await api(app.url, admin, `/api/events?count=1&from=${new Date(from).toISOString()}&to=${new Date(from + 5 * DAY_MS).toISOString()}`);
    expect(count.json.count).toBe(hist.events.length);
    const alerts = await allAlerts(app.url, admin, 'historical=1');
    expect(alerts.length).toBe(done.alerts);
    expect(alerts.every((a) => a.historical === true && a.task_id === null)).toBe(true);
    const tasks = await api(app.url, admin, '/api/tasks?limit=1000');
    expect(tasks.json.tasks).toEqual([]);

    const again = await postImport(app.url, admin, readFileSync(file), 'format=ndjson');
    const second = await importFinished(app.url, admin, again.json.id);
    expect(second).toMatchObject({ state: 'done', rows_read: hist.events.length, accepted: 0, duplicates: hist.events.length, alerts: 0 });
  }, 240_000);

  it('what historical=0|1 does on GET /api/alerts: live alerts only, or imported ones only', async () => {
    const live = exampleEvents();
    expect((await postEvents(app.url, live)).status).toBe(202);
    const liveAlerts = await eventually(async () => {
      const a = await allAlerts(app.url, admin, 'historical=0');
      return a.length > 0 ? a : undefined;
    });
    expect(liveAlerts.every((a) => a.historical === false)).toBe(true);
    const hist1 = await allAlerts(app.url, admin, 'historical=1');
    const both = await allAlerts(app.url, admin, '');
    expect(hist1.length).toBeGreaterThan(0);
    expect(both.length).toBe(hist1.length + (await allAlerts(app.url, admin, 'historical=0')).length);
    expect((await api(app.url, admin, '/api/alerts?historical=2')).json.error.message).toMatch(/^historical:/);
    const one = await api(app.url, admin, `/api/alerts/${hist1[0].id}`);
    expect(one.json.historical).toBe(true);
  });

  it('what it does for a user who is not an admin, and with a bad format: 403 and 400 naming the field', async () => {
    const analyst = await login(app.url, 'analyst');
    expect((await postImport(app.url, analyst, '{}', 'format=ndjson')).status).toBe(403);
    const bad = await postImport(app.url, admin, '{}', 'format=xml');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^format:/);
    const list = await api(app.url, admin, '/api/imports');
    expect(list.json.imports.length).toBe(2);
    expect(list.json.imports[0]).toMatchObject({ author: 'admin', state: 'done' });
  });
});

describe('npm run import (scripts/import.ts)', () => {
  it('what the CLI does with a file: uploads it, shows the progress to the end, exits 0 with the counts', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { ROOT, ADMIN_PASSWORD } = await import('./helpers.js');
    const app = await startTestApp();
    try {
      const dir = tempDir('im-imp-cli-');
      const hist = simulatedHistory({ from: Date.parse('2026-02-02T00:00:00+08:00'), days: 1, prefix: 'cli-', itemsPerDay: 60 });
      const file = writeLines(dir, 'cli.ndjson', hist.lines);
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/import.ts', file, '--url', app.url], { cwd: ROOT, env: { ...process.env, IMPORT_PASSWORD: ADMIN_PASSWORD } });
      expect(run.stdout).toMatch(new RegExp(`done finished: read ${hist.events.length.toLocaleString('en-US')}, accepted ${hist.events.length.toLocaleString('en-US')}`));
      const admin = await login(app.url);
      const list = (await api(app.url, admin, '/api/imports')).json.imports;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ file_name: 'cli.ndjson', state: 'done', accepted: hist.events.length });
    } finally {
      await app.close();
    }
  }, 240_000);
});
