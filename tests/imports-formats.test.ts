/**
 * Imports, in one server: CSV and Parquet files of the same events give the same result as the
 * NDJSON file (read by ClickHouse's own readers), and an officer whose level changed mid-history
 * is judged by the level of the time (reference versions with a validity start).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, login, startTestApp, tempDir } from './helpers.js';
import { DAY_MS, allAlerts, importFinished, postImport, simulatedHistory, writeLines } from './imports-helpers.js';
import { defaultReference } from '../streams/reference/default-data.js';

const iso = (t: number) => new Date(t).toISOString();

describe('imports: formats and reference data as of the event time', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;
  const dir = tempDir('im-imp-fmt-');

  beforeAll(async () => {
    app = await startTestApp({ IMPORT_BATCH_BYTES: '65536' });
    admin = await login(app.url, 'admin');
  });
  afterAll(async () => { await app?.close(); });

  it('what a CSV and a Parquet file of the same events give: the same counts, rejects and alerts as the NDJSON file', async () => {
    const from = Date.parse('2026-04-06T00:00:00+08:00');
    const base = simulatedHistory({ from, days: 2, seed: 11, itemsPerDay: 100 });
    const withPrefix = (p: string) => base.lines.map((l) => { const o = JSON.parse(l); o.id = `${p}${o.id}`; return JSON.stringify(o); });
    // One bad row in each: a time that is not one (every format can carry it).
    const bad = (p: string) => JSON.stringify({ ...JSON.parse(base.lines[0]!), id: `${p}bad-1`, ts: 'not a time' });
    const nd = writeLines(dir, 'n.ndjson', [...withPrefix('n-'), bad('n-')]);
    const src = writeLines(dir, 'c-src.ndjson', [...withPrefix('c-'), bad('c-')]);
    const psrc = writeLines(dir, 'p-src.ndjson', [...withPrefix('p-'), bad('p-')]);
    // The CSV and Parquet files are written by ClickHouse itself from the same rows (attrs as JSON text).
    const structure = "id String, ts String, platform String, bureau String, officer String, matter String, item String, action String, taxpayer Nullable(String), window Nullable(String), amount Nullable(Float64), attrs Nullable(String)";
    const csv = join(dir, 'c.csv'), parquet = join(dir, 'p.parquet');
    await app.ctx.store.command(`INSERT INTO FUNCTION file('${csv}', 'CSVWithNames') SELECT * FROM file('${src}', 'JSONEachRow', '${structure}') SETTINGS engine_file_truncate_on_insert = 1`);
    await app.ctx.store.command(`INSERT INTO FUNCTION file('${parquet}', 'Parquet') SELECT * FROM file('${psrc}', 'JSONEachRow', '${structure}') SETTINGS engine_file_truncate_on_insert = 1`);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^"id","ts",/);

    const results: Record<string, any> = {};
    for (const [fmt, path] of [['ndjson', nd], ['csv', csv], ['parquet', parquet]] as const) {
      const post = await postImport(app.url, admin, readFileSync(path), `format=${fmt}`);
      expect(post.status).toBe(202);
      results[fmt] = await importFinished(app.url, admin, post.json.id);
    }
    const n = base.events.length;
    for (const fmt of ['ndjson', 'csv', 'parquet']) {
      expect(results[fmt], fmt).toMatchObject({ state: 'done', rows_read: n + 1, accepted: n, duplicates: 0, rejected: 1 });
    }
    expect(results.ndjson.alerts).toBeGreaterThan(0);
    const dead = (await api(app.url, admin, '/api/dead-letters?limit=1000')).json.dead_letters as { source: string; reason: string; event_id: string }[];
    for (const fmt of ['ndjson', 'csv', 'parquet']) {
      const mine = dead.filter((d) => d.source === `import:${results[fmt].id}`);
      expect(mine.map((d) => d.reason.split(':')[0]), fmt).toEqual(['ts']);
    }
    const keysOf = async (id: string, p: string) => {
      const all = await allAlerts(app.url, admin, 'historical=1');
      return all.filter((a) => a.evidence[0].startsWith(p)).map((a) => `${a.indicator}|${a.evidence.map((e: string) => e.slice(p.length)).join(',')}`).sort();
    };
    const nk = await keysOf(results.ndjson.id, 'n-');
    expect(nk.length).toBe(results.ndjson.alerts);
    expect(await keysOf(results.csv.id, 'c-')).toEqual(nk);
    expect(await keysOf(results.parquet.id, 'p-')).toEqual(nk);
  }, 240_000);

  it('what it does with an officer whose level changed mid-history: each approve is judged by the level valid at its time', async () => {
    const matter = defaultReference.matters.find((m) => m.limits && m.limits.length >= 3 && m.limits[2]! > m.limits[0]!)!;
    const officer = defaultReference.officers.find((o) => o.role === 'tax' && o.level === 1)!;
    const t0 = Date.parse('2025-01-06T10:00:00+08:00');
    const mid = t0 + 10 * DAY_MS;
    const withLevel = (level: number) => defaultReference.officers.map((o) => (o.id === officer.id ? { ...o, level } : o));
    // Reference data as it stood: level 1 from before the history, level 3 from the middle of it.
    expect((await api(app.url, admin, '/api/reference', { method: 'PUT', body: { officers: withLevel(1), valid_from: iso(t0 - DAY_MS) } })).status).toBe(200);
    expect((await api(app.url, admin, '/api/reference', { method: 'PUT', body: { officers: withLevel(3), valid_from: iso(mid) } })).status).toBe(200);
    // The running reference did not change: it is the version valid now.
    const cur = (await api(app.url, admin, '/api/reference')).json;
    expect(cur.officers.find((o: any) => o.id === officer.id).level).toBe(officer.level);

    const amount = (matter.limits![0]! + matter.limits![2]!) / 2; // above the level-1 limit, within the level-3 one
    const ev = (id: string, ts: number, action: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, ts: iso(ts), platform: matter.platform, bureau: officer.bureau, officer: officer.id, matter: matter.code, item: `${id}-item`, action, ...extra });
    const lines = [
      ev('lv-before', t0 + DAY_MS, 'approve', { amount }),
      ev('lv-after', mid + DAY_MS, 'approve', { amount }),
    ];
    const post = await postImport(app.url, admin, lines.join('\n'), 'format=ndjson');
    const done = await importFinished(app.url, admin, post.json.id);
    expect(done).toMatchObject({ state: 'done', accepted: 2 });
    const prc02 = (await allAlerts(app.url, admin, 'historical=1&indicator=PRC-02')).filter((a) => a.evidence[0].startsWith('lv-'));
    // Before the change (level 1) the amount is beyond authority; after it (level 3) it is not.
    expect(prc02.map((a) => a.evidence)).toEqual([['lv-before']]);
  }, 120_000);
});
