/**
 * Risk benchmark (docs/risk.md): in a fresh temp DATA_DIR, 1 million resolved tasks (task_events
 * `resolve` rows over a year and 109 indicators) and alerts covering 100,000 officer-days in the
 * score window (1,112 officers × 90 days, 3 alerts each), inserted so that the materialized views
 * fill the rollups as in production. Then every officer's score is recomputed as of the last day
 * from the rollups (`recomputeScores`, one INSERT … SELECT), 10 runs, p50/p95, against a baseline
 * computing the same weights from the raw task_events (1 million rows) in the same run.
 *
 *   npm run bench -- risk
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore } from '../sql/store.js';
import { recomputeScores } from '../sql/queries/risk.js';
import { DEFAULT_RISK_PARAMS as P } from '../streams/risk/model.js';

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 30, 4); // 2026-11-30 12:00 Asia/Shanghai
const TASKS = Number(process.env.BENCH_RESOLVED ?? 1_000_000);
const OFFICERS = 1112;
const DAYS = 90;

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-risk-'));
  const store = await openStore({ dataDir: dir, database: 'bench' });
  try {
    await migrate(store);
    const t0 = Date.now();
    await store.command(
      `INSERT INTO task_events (task_id, seq, ts, actor, action, from_state, to_state, reason, details, indicator, severity, bureau, subject_officer, result, task_created_at, deadline, first_assign)
       SELECT concat('TK-', toString(number)), 3, fromUnixTimestamp64Milli(toInt64({end:Int64} - (cityHash64(number) % 365) * 86400000)), 'bench', 'resolve', 'investigating', 'resolved', '', '',
         concat('IND-', toString(number % 109)), 'high', concat('B', leftPad(toString(number % 21 + 1), 2, '0')), concat('O', toString(number % 5000)),
         if(cityHash64(number, 1) % 100 < 20 + number % 109 % 50, 'confirmed', 'dismissed'), now64(3), now64(3), 0
       FROM numbers({n:UInt64})`, { end: END, n: TASKS });
    const alerts = OFFICERS * DAYS * 3;
    await store.command(
      `INSERT INTO alerts (id, indicator, indicator_version, category, severity, ts, detected_at, bureau, officer, taxpayer, item, matter, evidence, message_zh, message_en, status, version)
       SELECT concat('AL-', toString(number)), concat('IND-', toString(cityHash64(number) % 109)), 1, 'process', 'high',
         fromUnixTimestamp64Milli(toInt64({end:Int64} - (intDiv(number, 3) % {days:UInt32}) * 86400000)), now64(3),
         concat('B', leftPad(toString(intDiv(number, 3 * {days:UInt32}) % 21 + 1), 2, '0')), concat('O', toString(intDiv(number, 3 * {days:UInt32}))), '', '', '', [], '', '', 'open', 1
       FROM numbers({n:UInt64})`, { end: END, days: DAYS, n: alerts });
    const cells = await store.query<{ c: number }>(`SELECT count() AS c FROM (SELECT officer, day FROM risk_alerts_d GROUP BY officer, day)`);
    console.log(`generated ${TASKS.toLocaleString('en')} resolved tasks and ${alerts.toLocaleString('en')} alerts (${Number(cells[0]!.c).toLocaleString('en')} officer-days) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const asOf = new Date(END + 8 * 3600_000).toISOString().slice(0, 10);
    const runs = 10;
    const fast: number[] = [];
    await recomputeScores(store, asOf, P, Date.now());
    for (let i = 0; i < runs; i++) { const t = performance.now(); await recomputeScores(store, asOf, P, Date.now()); fast.push(performance.now() - t); }
    // Baseline: the same weights from the raw resolutions (one row per resolved task), not from the day rollup.
    const raw: number[] = [];
    const rawSql = `SELECT indicator, (1 + sum((result IN ('confirmed','transferred')) * exp2(-dateDiff('day', toDate(ts, 'Asia/Shanghai'), {asof:Date}) / {hl:Float64})))
        / (5 + sum(exp2(-dateDiff('day', toDate(ts, 'Asia/Shanghai'), {asof:Date}) / {hl:Float64}))) AS w
      FROM task_events WHERE action = 'resolve' GROUP BY indicator`;
    for (let i = 0; i < runs; i++) { const t = performance.now(); await store.query(rawSql, { asof: asOf, hl: P.halfLifeDays }); raw.push(performance.now() - t); }
    const scored = await store.query<{ c: number }>(`SELECT count() AS c FROM risk_scores FINAL WHERE day = {d:Date}`, { d: asOf });
    console.log(`officers scored: ${Number(scored[0]!.c).toLocaleString('en')}`);
    console.log(`risk recompute (all officers, from rollups): p50 ${pct(fast, 50).toFixed(1)} ms, p95 ${pct(fast, 95).toFixed(1)} ms (target ≤ 1000 ms)`);
    console.log(`baseline (weights alone from raw task_events): p50 ${pct(raw, 50).toFixed(1)} ms, p95 ${pct(raw, 95).toFixed(1)} ms`);
    console.log(`risk: ${pct(fast, 95).toFixed(1)} ms p95 (ratio ${(pct(raw, 95) / pct(fast, 95)).toFixed(2)}x baseline); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
