/**
 * GET /api/alerts/stats (the alert cube of migration 060) against direct ClickHouse counts over
 * the alerts table, with the real embedded ClickHouse: alerts spread over 14 months, stored in
 * several versions (status and task link updates), ranges not aligned to hours, every group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, api, login, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { insertAlerts, updateAlerts } from '../sql/queries/alerts.js';
import { CATEGORIES, SEVERITIES, type Alert } from '../streams/types.js';
import type { AlertStatsResponse } from '../server/http/contract.js';

const H = 3600_000, DAY = 24 * H;
const ref = defaultReference;
const START = Date.UTC(2024, 10, 3, 7, 13); // not hour-aligned on purpose
const SPAN = 420 * DAY;
let app: RunningApp & { dataDir: string };
let admin: string;

// Deterministic pseudo-random alerts (mulberry32).
let seed = 42;
const rnd = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const taxOfficers = ref.officers.filter((o) => o.role === 'tax');
const alerts: Alert[] = Array.from({ length: 3000 }, (_, i) => {
  const o = pick(taxOfficers);
  const m = pick(ref.matters);
  return {
    id: `as-${i}`, indicator: `IND-${1 + Math.floor(rnd() * 7)}`, indicator_version: 1, category: pick(CATEGORIES), severity: pick(SEVERITIES),
    // Bursts inside the short ranges below (and just outside their edges), the rest spread out.
    ts: i < 200 ? START + 50 * DAY + Math.floor(rnd() * H) : i < 500 ? START + 100 * DAY + Math.floor(rnd() * 11 * H) : START + Math.floor(rnd() * SPAN), detected_at: START + SPAN, bureau: o.bureau, officer: o.id, taxpayer: null, item: `I-${i}`, matter: m.code,
    evidence: [`e-${i}`], message: { zh: 'x', en: 'x' }, status: 'open',
  };
});

async function stats(token: string, q: Record<string, string>): Promise<AlertStatsResponse> {
  const r = await api(app.url, token, `/api/alerts/stats?${new URLSearchParams(q)}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as AlertStatsResponse;
}

/** The oracle: a direct count over the latest version of each alert. */
async function direct(from: number, to: number, groupExpr: string | null, where = '1'): Promise<Map<string, number>> {
  const matters = ref.matters;
  const rows = await app.ctx.store.query<{ k: string; c: number }>(
    `SELECT ${groupExpr ?? "''"} AS k, count() AS c FROM (SELECT *, transform(matter, {m:Array(String)}, {p:Array(String)}, 'unknown') AS section FROM alerts FINAL)
     WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64}) AND ${where} GROUP BY k`,
    { from, to, m: matters.map((x) => x.code), p: matters.map((x) => x.platform) });
  return new Map(rows.map((r) => [String(r.k), Number(r.c)]));
}

beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url, 'admin', ADMIN_PASSWORD);
  await insertAlerts(app.ctx.store, alerts, 1);
  // Later versions of a third of them (status, task link): still one alert each.
  await updateAlerts(app.ctx.store, alerts.filter((_, i) => i % 3 === 0).map((a) => ({ ...a, status: 'acknowledged', task_id: `t-${a.id}` })), 2);
  await updateAlerts(app.ctx.store, alerts.filter((_, i) => i % 6 === 0).map((a) => ({ ...a, status: 'closed', task_id: `t-${a.id}` })), 3);
});
afterAll(async () => { await app?.close(); });

describe('GET /api/alerts/stats', () => {
  const ranges: [string, number, number][] = [
    ['the whole span', START - DAY, START + SPAN + DAY],
    ['37 minutes inside one hour', START + 50 * DAY + 5 * 60_000, START + 50 * DAY + 42 * 60_000],
    ['9 h 41 min across hour edges', START + 100 * DAY + 17 * 60_000, START + 100 * DAY + 9 * H + 58 * 60_000],
    ['a year, not day-aligned', START + 30 * DAY + 1234, START + 395 * DAY + 98765],
  ];

  for (const [name, from, to] of ranges) {
    it(`counts per bureau, section and severity equal a direct count over ${name}`, async () => {
      for (const [group, expr] of [['bureau', 'bureau'], ['section', 'section'], ['severity', 'toString(severity)']] as const) {
        const s = await stats(admin, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group });
        const want = await direct(from, to, expr);
        expect(want.size).toBeGreaterThan(2);
        expect(new Map(s.rows.map((r) => [r.keys[0]!, r.alerts])), group).toEqual(want);
        expect(s.total.alerts).toBe([...want.values()].reduce((a, b) => a + b, 0));
      }
    });
  }

  it('a bureau × category table and its high counts equal a direct count, filtered by section and severity', async () => {
    const [from, to] = [START + 10 * DAY + 7, START + 300 * DAY - 7];
    const s = await stats(admin, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group: 'bureau,category', section: 'service,inspection', severity: 'high,critical,low' });
    const want = await direct(from, to, "concat(bureau, '|', toString(category))", "section IN ('service', 'inspection') AND severity IN ('high', 'critical', 'low')");
    expect(want.size).toBeGreaterThan(20);
    expect(new Map(s.rows.map((r) => [r.keys.join('|'), r.alerts]))).toEqual(want);
    const high = await direct(from, to, "concat(bureau, '|', toString(category))", "section IN ('service', 'inspection') AND severity IN ('high', 'critical')");
    expect(new Map(s.rows.filter((r) => r.high > 0).map((r) => [r.keys.join('|'), r.high]))).toEqual(high);
  });

  it('with subtotals, a bureau × category table also answers the per-bureau counts, equal to a direct count and to the one-group query', async () => {
    const [from, to] = [START + 20 * DAY + 11, START + 380 * DAY - 11];
    const q = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const s = await stats(admin, { ...q, group: 'bureau,category', subtotals: '1' });
    const want = await direct(from, to, 'bureau');
    expect(want.size).toBeGreaterThan(2);
    expect(new Map(s.subtotals!.map((r) => [r.keys[0]!, r.alerts]))).toEqual(want);
    expect(s.subtotals!.every((r) => r.keys.length === 1)).toBe(true);
    expect(s.rows.every((r) => r.keys.length === 2)).toBe(true);
    const single = await stats(admin, { ...q, group: 'bureau' });
    expect(s.subtotals).toEqual(single.rows);
    expect(s.total).toEqual(single.total);
    // Without the flag there are none; with one group the flag is refused, naming it.
    expect((await stats(admin, { ...q, group: 'bureau,category' })).subtotals).toBeUndefined();
    const bad = await api(app.url, admin, `/api/alerts/stats?${new URLSearchParams({ ...q, group: 'bureau', subtotals: '1' })}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^subtotals:/);
  });

  it('a day series has every Asia/Shanghai day of the range, zeros included, equal to a direct count', async () => {
    const from = Date.UTC(2025, 0, 31, 16); // 2025-02-01 00:00 Shanghai
    const to = from + 28 * DAY;
    const s = await stats(admin, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group: 'day', officer: taxOfficers[0]!.id });
    expect(s.rows).toHaveLength(28);
    expect(s.rows[0]!.keys[0]).toBe(new Date(from).toISOString());
    const want = await direct(from, to, "toString(toDate(ts, 'Asia/Shanghai'))", `officer = '${taxOfficers[0]!.id}'`);
    const got = new Map(s.rows.filter((r) => r.alerts > 0).map((r) => [new Date(Date.parse(r.keys[0]!) + 8 * H).toISOString().slice(0, 10), r.alerts]));
    expect(got).toEqual(want);
    expect(s.rows.some((r) => r.alerts === 0)).toBe(true);
  });

  it('a bureau leader gets their own bureau only, by officer', async () => {
    const leader = await login(app.url, 'leader_b01', ADMIN_PASSWORD);
    const [from, to] = [START, START + SPAN];
    const s = await stats(leader, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group: 'officer' });
    const want = await direct(from, to, 'officer', "bureau = 'B01'");
    expect(want.size).toBeGreaterThan(1);
    expect(new Map(s.rows.map((r) => [r.keys[0]!, r.alerts]))).toEqual(want);
    const other = await api(app.url, leader, `/api/alerts/stats?from=${new Date(from).toISOString()}&bureau=B02`);
    expect(other.status).toBe(400);
    expect(other.json.error.message).toMatch(/^bureau:/);
  });

  it('answers 400 naming the field for a bad group or a missing from', async () => {
    const bad = await api(app.url, admin, '/api/alerts/stats?from=2025-01-01T00:00:00Z&group=taxpayer');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^group:/);
    const missing = await api(app.url, admin, '/api/alerts/stats?group=bureau');
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toMatch(/^from:/);
  });
});
