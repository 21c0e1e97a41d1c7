/**
 * Migration 130 (distinct ids as arrays instead of uniqExact states): a store that holds alerts,
 * risk tasks, reviews and handovers under the old rollups has, after the migration, the same
 * figures cell for cell in the new ones; rows inserted afterwards reach them through the new
 * materialized views, a repeated insert still counting once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, readMigrations, type Store } from '../sql/store.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { generateSide, generatorParams } from '../bench/kpis.js';

const TASKS = `dim, key, toString(day) AS day, toString(indicator) AS indicator`;
const REVIEWS = `dim, key, toString(hour) AS hour, toString(outcome) AS outcome, toString(aspect) AS aspect`;
const CELL = `toString(hour) AS hour, toString(bureau) AS bureau, toString(matter) AS matter, toString(officer) AS officer, toString(indicator) AS indicator, toString(category) AS category, toString(severity) AS severity`;

type Row = Record<string, unknown>;
const rows = async (store: Store, sql: string) => (await store.query<Row>(sql)).map((r) => JSON.stringify(Object.values(r).map(String)));

describe('migration 130 (rollup ids as arrays)', () => {
  let dir: string;
  let store: Store;
  const before: Record<string, string[]> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'im-mig130-'));
    store = await openStore({ dataDir: dir, database: 'mig130' });
    await migrate(store, readMigrations().filter((m) => m.version < 130));
    await generateSide(store, generatorParams(defaultReference)); // 200,000 alerts (30,000 re-versioned), 20,000 tasks, 30,000 reviews
    const handover = `INSERT INTO handover_events (handover_id, seq, ts, actor, action, from_state, to_state, task_id, indicator, bureau, subject_officer, outcome, task_resolved_at)
      VALUES ('H1', 3, '2025-03-02 10:00:00', 'u', 'conclude', 'followup', 'concluded', 'TK5', 'IND-1', 'B01', 'o1', 'confirmed', '2025-03-01 09:00:00')`;
    await store.command(handover);
    await store.command(handover); // the same conclusion twice: one confirmed task
    before.tasks = await rows(store, `SELECT ${TASKS}, uniqExactMerge(resolved), uniqExactMerge(confirmed), uniqExactMerge(late), uniqExactMerge(assigned),
      quantileExactMerge(0.5)(resolve_ms), quantileExactMerge(0.5)(assign_ms) FROM kpi_tasks_d GROUP BY dim, key, day, indicator ORDER BY dim, key, day, indicator`);
    before.reviews = await rows(store, `SELECT ${REVIEWS}, uniqExactMerge(ids) FROM kpi_reviews_h GROUP BY dim, key, hour, outcome, aspect ORDER BY dim, key, hour, outcome, aspect`);
    before.cube = await rows(store, `SELECT ${CELL}, uniqExactMerge(ids) FROM alert_cube_h GROUP BY hour, bureau, matter, officer, indicator, category, severity ORDER BY hour, bureau, matter, officer, indicator, category, severity`);
    expect(await migrate(store)).toContain(130);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the same task, review and alert figures cell for cell as the rollups it replaces', async () => {
    expect(before.tasks!.length).toBeGreaterThan(10_000);
    expect(before.reviews!.length).toBeGreaterThan(10_000);
    expect(before.cube!.length).toBeGreaterThan(100_000);
    expect(await rows(store, `SELECT ${TASKS}, length(groupUniqArrayArray(resolved)), length(groupUniqArrayArray(confirmed)), length(groupUniqArrayArray(late)),
      length(groupUniqArrayArray(assigned)), quantileExactMerge(0.5)(resolve_ms), quantileExactMerge(0.5)(assign_ms)
      FROM kpi_tasks_ids_d GROUP BY dim, key, day, indicator ORDER BY dim, key, day, indicator`)).toEqual(before.tasks);
    expect(await rows(store, `SELECT ${REVIEWS}, length(groupUniqArrayArray(ids)) FROM kpi_reviews_ids_h GROUP BY dim, key, hour, outcome, aspect ORDER BY dim, key, hour, outcome, aspect`)).toEqual(before.reviews);
    expect(await rows(store, `SELECT ${CELL}, length(ids) FROM alert_cube_ids_h FINAL ORDER BY hour, bureau, matter, officer, indicator, category, severity`)).toEqual(before.cube);
    // The handover's confirmation is there once, on the day the task was resolved.
    expect(await store.query(`SELECT length(groupUniqArrayArray(confirmed)) AS c FROM kpi_tasks_ids_d WHERE dim = 'officer' AND key = 'o1' AND day = '2025-03-01'`)).toEqual([{ c: 1 }]);
    const left = await store.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('alert_cube_h', 'kpi_tasks_d', 'kpi_reviews_h', 'alert_cube_h_mv', 'kpi_tasks_d_mv', 'kpi_tasks_d_handover_mv', 'kpi_reviews_mv')`);
    expect(left).toEqual([]);
  });

  it('counts alerts inserted after the migration once each, a repeated version included', async () => {
    const cell = `WHERE hour = '2025-07-01 02:00:00' AND bureau = 'BX' AND indicator = 'IND-X'`;
    const insert = (id: string, version: number) => store.command(
      `INSERT INTO alerts (id, indicator, indicator_version, category, severity, ts, detected_at, bureau, officer, taxpayer, item, matter, evidence, message_zh, message_en, status, task_id, version)
       VALUES ('${id}', 'IND-X', 1, 'service', 'high', '2025-07-01 02:10:00', '2025-07-01 02:10:00', 'BX', 'oX', '', '', '', [], '', '', 'open', '', ${version})`);
    await insert('AX1', 1);
    await insert('AX1', 2); // a later version of the same alert
    await insert('AX1', 2); // and that version again (a resend)
    await insert('AX2', 1);
    expect(await store.query(`SELECT sum(length(ids)) AS c FROM alert_cube_ids_h FINAL ${cell}`)).toEqual([{ c: 2 }]);
    expect(await store.query(`SELECT uniqExact(id) AS c FROM alerts WHERE bureau = 'BX'`)).toEqual([{ c: 2 }]);
  });
});
