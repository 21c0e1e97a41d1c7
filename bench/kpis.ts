/**
 * KPI benchmark (docs/workflow.md, "KPIs"): in a fresh temp DATA_DIR, generate a year of history
 * (≥ 50 million events by default, BENCH_EVENTS to change) inside ClickHouse with INSERT … SELECT
 * from numbers(), in chunks, into `events` so that the materialized views fill as in production;
 * plus alerts, task history and review outcomes. Then time each KPI query for the year at day
 * granularity (all bureaus and one bureau; 20 runs; p50/p95) and compare with the same KPI scanned
 * from raw events.
 *
 *   npx tsx bench/kpis.ts          (or: import { run } from './bench/kpis.js'; await run())
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrate, openStore, type Store } from '../sql/store.js';
import { defaultReference } from '../streams/reference/default-data.js';
import type { ReferenceData } from '../streams/types.js';
import {
  alertKpis, eventKpis, eventKpisFromRaw, overdueFromRaw, overdueKpis, refreshOverdue, replaceMatterHours, reviewKpis, taskKpis, type KpiRange,
} from '../sql/queries/kpis.js';
import { computeKpis } from '../server/workflow/kpis.js';

const DAY = 86400_000;
export const YEAR_START = Date.UTC(2024, 11, 31, 16); // 2025-01-01 00:00 Asia/Shanghai
const YEAR_END = YEAR_START + 365 * DAY;
const EVENTS_PER_ITEM = 6;

export interface BenchLine { name: string; value: number; unit: string; ratio?: number }

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** One chunk of the year's events: items of EVENTS_PER_ITEM events each, spread evenly over the year. */
/** The arrays generateChunk draws from: the tax officers outside HQ with a window of their bureau each, and the matters. */
export type GeneratorParams = { offs: string[]; bureaus: string[]; wins: string[]; matters: string[]; plats: string[]; hours: number[] };

export function generatorParams(ref: ReferenceData): GeneratorParams {
  const tax = ref.officers.filter((o) => o.role === 'tax' && o.bureau !== 'HQ');
  const winsOf = new Map<string, string[]>();
  for (const w of ref.windows) (winsOf.get(w.bureau) ?? winsOf.set(w.bureau, []).get(w.bureau)!).push(w.code);
  return {
    offs: tax.map((o) => o.id), bureaus: tax.map((o) => o.bureau), wins: tax.map((o, i) => { const ws = winsOf.get(o.bureau) ?? ['']; return ws[i % ws.length]!; }),
    matters: ref.matters.map((m) => m.code), plats: ref.matters.map((m) => m.platform), hours: ref.matters.map((m) => m.standard_hours),
  };
}

export async function generateChunk(store: Store, start: number, count: number, total: number, p: Record<string, unknown>): Promise<void> {
  const items = Math.ceil(total / EVENTS_PER_ITEM);
  await store.command(
    `INSERT INTO events (id, ts, platform, bureau, officer, matter, item, action, taxpayer, window, amount, attrs, flags, seq, arrived_at)
     SELECT concat('E', toString(number)) AS id, fromUnixTimestamp64Milli(toInt64(t)) AS ts, plats[mi + 1] AS platform, bureaus[oi + 1] AS bureau,
       offs[oi + 1] AS officer, matters[mi + 1] AS matter, concat('I', toString(k)) AS item, act AS action, concat('T', toString(h % 2000000)) AS taxpayer,
       wins[oi + 1] AS window, if(act = 'approve', toNullable(toFloat64(h % 100000)), NULL) AS amount,
       multiIf(act = 'rate', concat('{"score":', toString(1 + (intDiv(h, 1099511627776) % 5)), '}'), act = 'petition', '{"kind":"delay"}', '') AS attrs,
       [] AS flags, number + 1 AS seq, fromUnixTimestamp64Milli(toInt64(t)) AS arrived_at
     FROM (
       SELECT number, intDiv(number, ${EVENTS_PER_ITEM}) AS k, number % ${EVENTS_PER_ITEM} AS step, cityHash64(k) AS h,
         h % length({offs:Array(String)}) AS oi, intDiv(h, 7919) % length({matters:Array(String)}) AS mi,
         {offs:Array(String)} AS offs, {bureaus:Array(String)} AS bureaus, {wins:Array(String)} AS wins, {matters:Array(String)} AS matters,
         {plats:Array(String)} AS plats, {hours:Array(Float64)} AS hours,
         {y0:Int64} + intDiv(k * {span:Int64}, {items:Int64}) AS t0,
         hours[mi + 1] * 3600000 * ((intDiv(h, 1048576) % 140) / 100) AS d,
         multiIf(step = 0, t0, step = 1, t0 + 0.1 * d, step = 2, t0 + 0.3 * d, step = 3, t0 + 0.6 * d, step = 4, t0 + d, t0 + d + 3600000) AS t,
         multiIf(step = 0, 'issue', step = 1, 'accept', step = 2, 'handle', step = 3, 'approve',
                 step = 4, if(intDiv(h, 4096) % 33 = 0, 'cancel', 'complete'), if(intDiv(h, 1099511627776) % 50 = 0, 'petition', 'rate')) AS act
       FROM numbers({start:UInt64}, {count:UInt64})
     ) WHERE t < {y1:Int64}
     SETTINGS parallel_view_processing = 1, max_insert_threads = 2, min_insert_block_size_rows = 2000000, min_insert_block_size_bytes = 0`,
    { ...p, start, count, items, span: YEAR_END - YEAR_START, y0: YEAR_START, y1: YEAR_END });
}

export async function generateSide(store: Store, p: Record<string, unknown>): Promise<void> {
  // ~200,000 alerts a year (some rows re-versioned, as status changes do).
  await store.command(
    `INSERT INTO alerts (id, indicator, indicator_version, category, severity, ts, detected_at, bureau, officer, taxpayer, item, matter, evidence, message_zh, message_en, status, task_id, version)
     SELECT concat('A', toString(number % 200000)) AS id, concat('IND-', toString(cityHash64(number % 200000) % 109)) AS indicator, 1,
       ['service', 'process', 'inspection', 'filing'][1 + cityHash64(number % 200000) % 4] AS category,
       ['low', 'medium', 'high', 'critical'][1 + intDiv(cityHash64(number % 200000), 97) % 4] AS severity,
       fromUnixTimestamp64Milli(toInt64({y0:Int64} + (number % 200000) * intDiv({span:Int64}, 200000))) AS ts, ts,
       {bureaus:Array(String)}[1 + cityHash64(number % 200000) % length({bureaus:Array(String)})] AS bureau,
       {offs:Array(String)}[1 + cityHash64(number % 200000) % length({offs:Array(String)})] AS officer, '', '', '', [], '', '',
       if(number >= 200000, 'closed', 'open'), '', number
     FROM numbers(230000)`, { ...p, y0: YEAR_START, span: YEAR_END - YEAR_START });
  // 20,000 risk tasks: first assignment and resolution.
  await store.command(
    `INSERT INTO task_events (task_id, seq, ts, actor, action, from_state, to_state, indicator, severity, bureau, subject_officer, result, task_created_at, deadline, first_assign)
     SELECT concat('TK', toString(intDiv(number, 2))) AS task_id, toUInt32(number % 2 + 1), fromUnixTimestamp64Milli(toInt64(c + if(number % 2 = 0, 600000, (intDiv(cityHash64(number), 3) % 100) * 3600000))),
       'bench', if(number % 2 = 0, 'assign', 'resolve'), '', '', concat('IND-', toString(cityHash64(intDiv(number, 2)) % 109)), 'high',
       {bureaus:Array(String)}[1 + cityHash64(intDiv(number, 2)) % length({bureaus:Array(String)})],
       {offs:Array(String)}[1 + cityHash64(intDiv(number, 2)) % length({offs:Array(String)})],
       if(number % 2 = 1, ['confirmed', 'dismissed', 'transferred'][1 + cityHash64(number) % 3], ''),
       fromUnixTimestamp64Milli(toInt64(c)), fromUnixTimestamp64Milli(toInt64(c + 72 * 3600000)), toUInt8(number % 2 = 0)
     FROM (SELECT number, {y0:Int64} + intDiv(number, 2) * intDiv({span:Int64}, 20000) AS c FROM numbers(40000))`, { ...p, y0: YEAR_START, span: YEAR_END - YEAR_START - 5 * DAY });
  // 30,000 decided reviews.
  await store.command(
    `INSERT INTO review_events (review_id, seq, ts, actor, action, bureau, window, handler, outcome, aspect, details)
     SELECT concat('RV', toString(number)), 1, fromUnixTimestamp64Milli(toInt64({y0:Int64} + number * intDiv({span:Int64}, 30000))), 'bench', 'decide',
       {bureaus:Array(String)}[1 + cityHash64(number) % length({bureaus:Array(String)})] AS bureau, '', '',
       ['compliant', 'compliant', 'compliant', 'non_compliant', 'integrity_suspicion'][1 + cityHash64(number) % 5] AS outcome,
       if(outcome = 'non_compliant', ['process', 'policy', 'fairness'][1 + intDiv(cityHash64(number), 5) % 3], ''), ''
     FROM numbers(30000)`, { ...p, y0: YEAR_START, span: YEAR_END - YEAR_START });
}

export async function run(opts: { events?: number; chunk?: number; runs?: number; log?: (s: string) => void } = {}): Promise<BenchLine[]> {
  const total = opts.events ?? Number(process.env.BENCH_EVENTS ?? 50_000_000);
  const chunk = opts.chunk ?? 5_000_000;
  const runs = opts.runs ?? 20;
  const log = opts.log ?? ((s: string) => console.log(s));
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-kpis-'));
  const store = await openStore({ dataDir: dir, database: 'bench' });
  const lines: BenchLine[] = [];
  const out = (l: BenchLine) => {
    lines.push(l);
    log(`${l.name}: ${l.value < 10 ? l.value.toFixed(2) : l.value.toFixed(1)} ${l.unit}${l.ratio !== undefined ? ` (${l.ratio.toFixed(1)}x baseline)` : ''}`);
  };
  try {
    await migrate(store);
    const ref = defaultReference;
    await replaceMatterHours(store, ref.matters.map((m) => ({ matter: m.code, hours: m.standard_hours })));
    const p = generatorParams(ref);
    const g0 = performance.now();
    for (let s = 0; s < total; s += chunk) {
      const t = performance.now();
      await generateChunk(store, s, Math.min(chunk, total - s), total, p);
      log(`  generated events ${Math.min(s + chunk, total).toLocaleString('en')} / ${total.toLocaleString('en')} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    await generateSide(store, p);
    const [{ c }] = await store.query<{ c: number }>('SELECT count() AS c FROM events');
    out({ name: 'events generated', value: Number(c) / 1e6, unit: 'M events' });
    out({ name: 'generation time', value: (performance.now() - g0) / 1000, unit: 's' });
    const r0 = performance.now();
    await refreshOverdue(store);
    out({ name: 'overdue rollup refresh', value: (performance.now() - r0) / 1000, unit: 's' });
    // Let the background merges of the freshly inserted parts settle (at most 3 minutes), as they would between loads.
    const s0 = performance.now();
    while (performance.now() - s0 < 180_000) {
      const [m] = await store.query<{ c: number }>('SELECT count() AS c FROM system.merges');
      if (Number(m?.c ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    out({ name: 'merge settle time', value: (performance.now() - s0) / 1000, unit: 's' });
    // The periodic refresh (every minute) is stopped while timing: at this bench's 8 M items a refresh takes
    // seconds of both cores; at a real deployment's ~300,000 items a year it is well under a second.
    await store.command('SYSTEM STOP VIEW kpi_overdue_mv');
    const [sizes] = await store.query<{ e: number; i: number; o: number }>(
      `SELECT (SELECT count() FROM kpi_events_h) AS e, (SELECT count() FROM kpi_items) AS i, (SELECT count() FROM kpi_overdue_h) AS o`);
    log(`  rollup rows: kpi_events_h ${Number(sizes!.e).toLocaleString('en')}, kpi_items ${Number(sizes!.i).toLocaleString('en')}, kpi_overdue_h ${Number(sizes!.o).toLocaleString('en')}`);

    const scopes: [string, KpiRange][] = [
      ['all', { dim: 'all', key: '', from: YEAR_START, to: YEAR_END, g: 'day' }],
      ['bureau B01', { dim: 'bureau', key: 'B01', from: YEAR_START, to: YEAR_END, g: 'day' }],
    ];
    for (const [label, r] of scopes) {
      const baseline = {
        events: pct(await time(() => eventKpisFromRaw(store, r), 2), 50),
        overdue: pct(await time(() => overdueFromRaw(store, r), 2), 50),
      };
      const queries: [string, () => Promise<unknown>, number | undefined][] = [
        ['events+satisfaction+petitions', () => eventKpis(store, r), baseline.events],
        ['petitions previous year', () => eventKpis(store, r, 1), baseline.events],
        ['overdue rate', () => overdueKpis(store, r), baseline.overdue],
        ['alerts', () => alertKpis(store, r), undefined],
        ['tasks (confirmed share, timeliness)', () => taskKpis(store, r), undefined],
        ['reviews', () => reviewKpis(store, r), undefined],
        ['GET /api/kpis (all KPIs)', () => computeKpis(store, r.from, r.to, 'day', { dim: r.dim, key: r.key }), baseline.events + baseline.overdue],
      ];
      for (const [name, fn, base] of queries) {
        const xs = await time(fn, runs);
        const p50 = pct(xs, 50), p95 = pct(xs, 95);
        out({ name: `kpi ${name}, year by day, ${label}, p50`, value: p50, unit: 'ms', ratio: base ? base / p50 : undefined });
        out({ name: `kpi ${name}, year by day, ${label}, p95`, value: p95, unit: 'ms', ratio: base ? base / p95 : undefined });
      }
      out({ name: `baseline raw scan events, ${label}`, value: baseline.events, unit: 'ms' });
      out({ name: `baseline raw scan overdue, ${label}`, value: baseline.overdue, unit: 'ms' });
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
