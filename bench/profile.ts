/**
 * Officer profile benchmark (docs/officer-profile.md): in a fresh temp DATA_DIR, the KPI
 * benchmark's year of history (bench/kpis.ts: events through the materialized views, alerts, risk
 * tasks, reviews) at a smaller default size (BENCH_PROFILE_EVENTS, default 5,000,000 events; the KPI
 * benchmark's 50 million with BENCH_PROFILE_EVENTS=50000000), plus what the profile reads that the
 * KPI data lacks: reviews with a handler, cases, and a daily risk snapshot of every officer for the
 * last 90 days. Then the profile of 20 different officers for the year's last 90 days: every query of
 * GET /api/officers/:id/profile (as the endpoint runs them: the section first, then one query for the
 * six figures and one for the risk series), BENCH_PROFILE_RUNS runs (default 40), p50/p95, and each query alone; against a baseline
 * measured in the same run: the officer's events of the period counted from the raw `events` table.
 *
 *   npm run bench -- profile        (not in the default set)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER } from 'rxjs';
import { migrate, openStore, type Store } from '../sql/store.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { refreshOverdue, replaceMatterHours } from '../sql/queries/kpis.js';
import { YEAR_START, generateChunk, generateSide, generatorParams } from './kpis.js';
import { officerProfile } from '../server/officers/profile.js';
import { RiskService } from '../server/risk/service.js';
import { DEFAULT_RISK_PARAMS } from '../streams/risk/model.js';
import {
  officerSection, profileAlerts, profileCases, profileOverdue, profileReviews,
  profileRiskScore, profileRiskSeries, profileSatisfaction, type ProfileScope,
  alertsQuery, casesQuery, overdueQuery, reviewsQuery, riskScoreQuery, runFigures, satisfactionQuery,
} from '../sql/queries/officer-profile.js';
import { createLogger } from '../server/log.js';

const DAY = 86_400_000;
const YEAR_END = YEAR_START + 365 * DAY;
const TARGET_MS = 150;

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  await fn(0);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await fn(i); out.push(performance.now() - t); }
  return out;
}

async function extras(store: Store, p: { offs: string[]; bureaus: string[] }): Promise<void> {
  // 30,000 decided reviews of officers' work over the year (the KPI data's reviews carry no handler).
  await store.command(
    `INSERT INTO review_events (review_id, seq, ts, actor, action, bureau, window, handler, outcome, aspect, details)
     SELECT concat('RVH', toString(number)), 1, fromUnixTimestamp64Milli(toInt64({y0:Int64} + number * intDiv({span:Int64}, 30000))), 'bench', 'decide',
       {bureaus:Array(String)}[1 + cityHash64(number, 7) % length({bureaus:Array(String)})] AS b, '',
       {offs:Array(String)}[1 + cityHash64(number, 7) % length({offs:Array(String)})],
       ['compliant', 'compliant', 'compliant', 'non_compliant', 'integrity_suspicion'][1 + cityHash64(number) % 5] AS outcome,
       if(outcome = 'non_compliant', ['process', 'policy', 'fairness'][1 + intDiv(cityHash64(number), 5) % 3], ''), ''
     FROM numbers(30000)`, { ...p, y0: YEAR_START, span: YEAR_END - YEAR_START });
  // 20,000 cases (two versions each: opened, then for two in three closed).
  await store.command(
    `INSERT INTO cases (id, subject_officer, bureau, state, task_ids, alert_ids, created_at, updated_at, closed_at, version)
     SELECT concat('CS', toString(intDiv(number, 2))), {offs:Array(String)}[1 + k % length({offs:Array(String)})], {bureaus:Array(String)}[1 + k % length({bureaus:Array(String)})],
       if(number % 2 = 1 AND k % 3 != 0, 'closed', 'investigating'), [], [], c, c, if(number % 2 = 1 AND k % 3 != 0, c + toIntervalDay(5), NULL), number % 2 + 1
     FROM (SELECT number, cityHash64(intDiv(number, 2)) AS k, fromUnixTimestamp64Milli(toInt64({y0:Int64} + intDiv(number, 2) * intDiv({span:Int64}, 20000))) AS c FROM numbers(40000))`,
    { ...p, y0: YEAR_START, span: YEAR_END - YEAR_START - 6 * DAY });
  // A daily risk snapshot of every officer with alerts, for the year's last 90 days.
  await store.command(
    `INSERT INTO risk_scores (officer, bureau, day, score, alerts, computed_at)
     SELECT o, b, d, (cityHash64(o, d) % 1000) / 100, cityHash64(o, d) % 7, now64(3)
     FROM (SELECT arrayJoin(arrayZip({offs:Array(String)}, {bureaus:Array(String)})) AS ob, ob.1 AS o, ob.2 AS b)
     ARRAY JOIN arrayMap(i -> toDate({last:String}) - i, range(90)) AS d`, { ...p, last: new Date(YEAR_END - DAY + 8 * 3600_000).toISOString().slice(0, 10) });
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_PROFILE_EVENTS ?? 5_000_000);
  const runs = Number(process.env.BENCH_PROFILE_RUNS ?? 40);
  const chunk = 5_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-profile-'));
  const store = await openStore({ dataDir: dir, database: 'bench' });
  try {
    await migrate(store);
    const ref = defaultReference;
    await replaceMatterHours(store, ref.matters.map((m) => ({ matter: m.code, hours: m.standard_hours })));
    const tax = ref.officers.filter((o) => o.role === 'tax' && o.bureau !== 'HQ');
    const p = generatorParams(ref);
    const g0 = performance.now();
    for (let s = 0; s < total; s += chunk) await generateChunk(store, s, Math.min(chunk, total - s), total, p);
    await generateSide(store, p);
    await extras(store, p);
    await refreshOverdue(store);
    const s0 = performance.now();
    while (performance.now() - s0 < 180_000) {
      const [m] = await store.query<{ c: number }>('SELECT count() AS c FROM system.merges');
      if (Number(m?.c ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await store.command('SYSTEM STOP VIEW kpi_overdue_mv');
    const [c] = await store.query<{ e: number; l: number }>('SELECT (SELECT count() FROM events) AS e, (SELECT count() FROM officer_lines_d) AS l');
    console.log(`generated ${Number(c!.e).toLocaleString('en')} events (officer_lines_d ${Number(c!.l).toLocaleString('en')} rows), ${tax.length} officers, in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    const risk = new RiskService({ store, clock: () => YEAR_END - DAY, log: createLogger('warn'), params: DEFAULT_RISK_PARAMS, taskChanges$: NEVER });
    const toDay = new Date(YEAR_END - DAY + 8 * 3600_000).toISOString().slice(0, 10);
    const fromDay = new Date(YEAR_END - 90 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    const period = { from: fromDay, to: toDay };
    const from = YEAR_END - 90 * DAY, to = YEAR_END;
    const sample = Array.from({ length: 20 }, (_, i) => tax[(i * 53) % tax.length]!);
    const scopes: ProfileScope[] = [];
    for (const o of sample) scopes.push({ officer: o.id, bureau: o.bureau, peers: (await officerSection(store, { officer: o.id, bureau: o.bureau, from, to })).peers, from, to });
    const peers = scopes.map((s) => s.peers.length);
    console.log(`period ${fromDay} – ${toDay}; peers per section: min ${Math.min(...peers)}, max ${Math.max(...peers)}`);
    const first = await officerProfile({ store, risk, clock: () => YEAR_END - DAY }, sample[0]!, period);
    console.log(`sample profile ${sample[0]!.id}: alerts ${first.alerts.total.value} (section mean ${first.alerts.total.mean?.toFixed(2)}), overdue ${first.overdue.overdue}/${first.overdue.due}, ratings ${first.satisfaction.ratings}, reviews ${first.reviews.reviews}, cases open ${first.cases.open.value}, risk series ${first.risk.series.length} days`);

    const whole = await timed(runs, (i) => officerProfile({ store, risk, clock: () => YEAR_END - DAY }, sample[i % sample.length]!, period));
    const baseline = await timed(runs, (i) => {
      const s = scopes[i % scopes.length]!;
      return store.query(`SELECT count() AS c FROM events WHERE bureau = {b:String} AND officer = {o:String} AND ts >= fromUnixTimestamp64Milli({f:Int64}) AND ts < fromUnixTimestamp64Milli({t:Int64})`, { b: s.bureau, o: s.officer, f: from, t: to });
    });
    const b50 = pct(baseline, 50), b95 = pct(baseline, 95);
    const asOf = toDay;
    const queries: [string, (s: ProfileScope) => Promise<unknown>][] = [
      ['section (main line, peers)', (s) => officerSection(store, s)],
      ['alerts (total and by indicator)', (s) => profileAlerts(store, s)],
      ['cases', (s) => profileCases(store, s)], ['reviews (findings and outcomes by aspect)', (s) => profileReviews(store, s)],
      ['overdue', (s) => profileOverdue(store, s)], ['satisfaction', (s) => profileSatisfaction(store, s)],
      ['risk score, parts and peers', (s) => profileRiskScore(store, s, asOf, DEFAULT_RISK_PARAMS)], ['risk series', (s) => profileRiskSeries(store, s)],
      ['the six figures in one query (as the endpoint runs them)', (s) => runFigures(store, {
        a: alertsQuery(s), c: casesQuery(s), f: reviewsQuery(s), o: overdueQuery(s), sa: satisfactionQuery(s), r: riskScoreQuery(s, asOf, DEFAULT_RISK_PARAMS),
      })],
    ];
    for (const [name, fn] of queries) {
      const xs = await timed(Math.max(10, Math.round(runs / 2)), (i) => fn(scopes[i % scopes.length]!));
      console.log(`profile query ${name}: p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`);
    }
    const w50 = pct(whole, 50), w95 = pct(whole, 95);
    console.log(`baseline raw scan (the officer's events of the period from events): p50 ${b50.toFixed(1)} ms, p95 ${b95.toFixed(1)} ms`);
    console.log(`profile (all 3 queries of GET /api/officers/:id/profile), 90 days: p50 ${w50.toFixed(1)} ms (${(w50 / b50).toFixed(1)}x baseline), p95 ${w95.toFixed(1)} ms (${(w95 / b95).toFixed(1)}x baseline) (target ≤ ${TARGET_MS} ms: ${w95 <= TARGET_MS ? 'met' : 'not met'})`);
    console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
