/**
 * Every KPI of workflow.md against hand-computed values on a small data set with duplicates and a
 * late event, read through GET /api/kpis (the ClickHouse rollups), with the real embedded ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, baseEnv, eventually, login, postEvents, tempDir } from './helpers.js';
import { startApp, type RunningApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { defaultReference } from '../streams/reference/default-data.js';
import { insertAlerts, updateAlerts } from '../sql/queries/alerts.js';
import type { Alert } from '../streams/types.js';
import type { TaskService } from '../server/workflow/tasks.js';

const H = 3600_000, DAY = 24 * H;
const ref = defaultReference;
const iso = (t: number) => new Date(t).toISOString();
// D = Monday 2025-03-10 00:00 Asia/Shanghai.
const D = Date.UTC(2025, 2, 9, 16);
const local = (day: number, hour: number) => D + day * DAY + hour * H;
const M = ref.matters.find((m) => m.code === 'M001')!; // 24 h standard, not a power matter
const Oa = ref.officers.find((o) => o.bureau === 'B01' && o.role === 'tax')!;
const Ob = ref.officers.find((o) => o.bureau === 'B02' && o.role === 'tax')!;
const W = ref.windows.find((w) => w.bureau === 'B01')!.code;
const WB = ref.windows.find((w) => w.bureau === 'B02')!.code;

let offset = 0;
const clock = () => Date.now() + offset;
let app: RunningApp;
let admin: string;
const kpis = async (q: Record<string, string>) => {
  const r = await api(app.url, admin, `/api/kpis?${new URLSearchParams(q)}`);
  expect(r.status).toBe(200);
  return r.json;
};

let n = 0;
const ev = (ts: number, action: string, item: string, o = Oa, extra: object = {}) => ({
  id: `k-${n++}`, ts: iso(ts), platform: 'service', bureau: o.bureau, officer: o.id, matter: M.code, item, action, window: o.bureau === 'B01' ? W : WB, ...extra,
});

beforeAll(async () => {
  expect(M.standard_hours).toBe(24);
  app = await startApp(parseConfig(baseEnv(tempDir())), { clock });
  admin = await login(app.url);
});
afterAll(async () => { await app?.close(); });

describe('KPIs from the rollups', () => {
  let periodEvents = 0;
  it('ingests the data set (duplicates, a late event)', async () => {
    const i5complete = ev(local(0, 11), 'complete', 'I5');
    const first = [
      ev(local(0, 9), 'issue', 'I1'), ev(local(0, 10), 'complete', 'I1'), // on time
      ev(local(0, 9), 'issue', 'I2'), ev(local(1, 12), 'complete', 'I2'), // completed after the deadline
      ev(local(0, 9), 'issue', 'I3'), // never completed
      ev(local(0, 9), 'issue', 'I4'), ev(local(0, 15), 'cancel', 'I4', Oa, { attrs: { reason: 'withdrawn' } }), // cancelled in time
      ev(local(0, 9), 'issue', 'I5'), // its complete arrives late, below
      ev(local(0, 9), 'issue', 'I6', Ob), ev(local(2, 10), 'complete', 'I6', Ob), // B02, overdue
      ev(local(0, 14), 'rate', 'R1', Oa, { attrs: { score: 5 } }), ev(local(0, 14), 'rate', 'R2', Oa, { attrs: { score: 4 } }),
      ev(local(0, 14), 'rate', 'R3', Oa, { attrs: { score: 1 } }), ev(local(0, 14), 'rate', 'R4', Ob, { attrs: { score: 2 } }),
      ev(local(0, 16), 'petition', 'P1', Oa, { attrs: { kind: 'attitude' } }), ev(local(0, 16), 'petition', 'P2', Oa, { attrs: { kind: 'delay' } }),
      ev(local(1, 16), 'petition', 'P3', Oa, { attrs: { kind: 'delay' } }),
    ];
    const yearAgo = [ev(Date.UTC(2024, 2, 10, 4), 'petition', 'P0', Oa, { attrs: { kind: 'x' } }), ev(Date.UTC(2024, 2, 11, 4), 'petition', 'P00', Oa, { attrs: { kind: 'x' } })];
    let r = await postEvents(app.url, [...yearAgo, ...first]);
    expect(r.json).toMatchObject({ accepted: first.length + 2, duplicates: 0 });
    // The same batch again: all duplicates, nothing counted twice.
    r = await postEvents(app.url, first);
    expect(r.json).toMatchObject({ accepted: 0, duplicates: first.length });
    // A late event (earlier than what was already seen), together with a duplicate of the first issue.
    r = await postEvents(app.url, [first[0], i5complete]);
    expect(r.json).toMatchObject({ accepted: 1, duplicates: 1 });
    periodEvents = first.length + 1;
    expect(periodEvents).toBe(18);
  });

  it('events, overdue rate, satisfaction and petitions (all, bureau, window, officer)', async () => {
    // 202 means durable (stored or spooled): wait until all 20 are in the events table, then refresh the overdue rollup.
    await eventually(async () => {
      const [r] = await app.ctx.store.query<{ c: number }>(`SELECT count() AS c FROM events WHERE startsWith(id, 'k-')`);
      return Number(r!.c) === 20 ? true : undefined;
    });
    await app.ctx.services.kpis.refresh();
    const q = { from: iso(D), to: iso(D + 3 * DAY), granularity: 'day' };
    const all = await kpis(q);
    expect(all.buckets).toEqual([iso(D), iso(D + DAY), iso(D + 2 * DAY)]);
    expect(all.series.events).toEqual([15, 2, 1]);
    // Deadlines are all D+1 09:00: 6 items due; I2, I3 and I6 not completed or cancelled by then.
    expect(all.series.overdue.due).toEqual([0, 6, 0]);
    expect(all.series.overdue.overdue).toEqual([0, 3, 0]);
    expect(all.totals.overdue.rate).toBeCloseTo(0.5);
    expect(all.series.satisfaction.ratings).toEqual([4, 0, 0]);
    expect(all.totals.satisfaction.mean).toBeCloseTo(12 / 4);
    expect(all.totals.satisfaction.low_share).toBeCloseTo(2 / 4);
    expect(all.series.petitions.count).toEqual([2, 1, 0]);
    expect(all.series.petitions.previous_year).toEqual([1, 1, 0]);
    expect(all.totals.petitions).toEqual({ count: 3, previous_year: 2, change: 0.5 });

    const b01 = await kpis({ ...q, bureau: 'B01' });
    expect(b01.series.events).toEqual([13, 2, 0]);
    expect(b01.totals.overdue).toEqual({ due: 5, overdue: 2, rate: 0.4 });
    expect(b01.totals.satisfaction.ratings).toBe(3);
    expect(b01.totals.satisfaction.mean).toBeCloseTo(10 / 3);
    expect(b01.totals.satisfaction.low_share).toBeCloseTo(1 / 3);
    const win = await kpis({ ...q, window: W });
    expect(win.totals.overdue).toEqual({ due: 5, overdue: 2, rate: 0.4 });
    expect(win.totals.events).toBe(15);
    expect(win.series.alerts).toBeNull();
    const off = await kpis({ ...q, officer: Ob.id });
    expect(off.totals.overdue).toEqual({ due: 1, overdue: 1, rate: 1 });
    expect(off.totals.satisfaction).toEqual({ ratings: 1, mean: 2, low_share: 1 });

    const week = await kpis({ ...q, granularity: 'week' });
    expect(week.buckets).toEqual([iso(D)]);
    expect(week.totals.overdue).toEqual(all.totals.overdue);
    const month = await kpis({ ...q, granularity: 'month' });
    expect(month.buckets).toEqual([iso(Date.UTC(2025, 1, 28, 16))]);
    expect(month.series.events).toEqual([18]); // the month bucket covers 1 March, so `from` rounds down to it
    const hour = await kpis({ from: iso(local(0, 9)), to: iso(local(0, 11)), granularity: 'hour' });
    expect(hour.series.events).toEqual([6, 1]);
  });

  it('alerts by indicator, category, severity, bureau and per 1,000 events, counted by distinct id', async () => {
    const a = (id: string, indicator: string, severity: Alert['severity'], category: Alert['category'], bureau: string, officer: string, ts: number): Alert => ({
      id, indicator, indicator_version: 1, category, severity, ts, detected_at: ts, bureau, officer, taxpayer: null, item: null, matter: M.code,
      evidence: [], message: { zh: 'x', en: 'x' }, status: 'open',
    });
    const injected = [
      a('KA-1', 'KPI-A', 'high', 'process', 'B01', Oa.id, local(0, 12)), a('KA-2', 'KPI-A', 'high', 'process', 'B01', Oa.id, local(0, 13)),
      a('KA-3', 'KPI-B', 'medium', 'service', 'B02', Ob.id, local(1, 12)),
    ];
    await insertAlerts(app.ctx.store, injected, clock());
    // A status change writes a new version of the row: still one alert.
    await updateAlerts(app.ctx.store, [{ ...injected[0]!, status: 'closed', task_id: null }], clock() + 5);
    // Alerts the engine raised from the data set itself (e.g. overdue items) count as well.
    const engine = await eventually(async () => {
      const r = await api(app.url, admin, `/api/alerts?from=${iso(D)}&to=${iso(D + 3 * DAY)}&limit=1000`);
      const own = (r.json.alerts as any[]).filter((x) => !x.id.startsWith('KA-'));
      return own.some((x) => x.indicator === 'TSK-01') ? own : undefined;
    });
    const k = await kpis({ from: iso(D), to: iso(D + 3 * DAY), granularity: 'day' });
    const total = 3 + engine.length;
    expect(k.totals.alerts.total).toBe(total);
    expect(k.totals.alerts.per_1000_events).toBeCloseTo((total * 1000) / 18);
    expect(k.totals.alerts.by_indicator['KPI-A']).toBe(2);
    expect(k.totals.alerts.by_indicator['KPI-B']).toBe(1);
    expect(k.series.alerts.by_indicator['KPI-A']).toEqual([2, 0, 0]);
    const count = (f: (x: any) => boolean) => engine.filter(f).length;
    expect(k.totals.alerts.by_severity.high).toBe(2 + count((x) => x.severity === 'high'));
    expect(k.totals.alerts.by_category.service ?? 0).toBe(1 + count((x) => x.category === 'service'));
    expect(k.totals.alerts.by_bureau.B02).toBe(1 + count((x) => x.bureau === 'B02'));
    const off = await kpis({ from: iso(D), to: iso(D + 3 * DAY), granularity: 'day', officer: Oa.id });
    expect(off.totals.alerts.by_indicator['KPI-A']).toBe(2);
  });

  it('confirmed share, task timeliness and medians; review outcomes and compliance rate', async () => {
    const tasks = app.ctx.services.tasks;
    const subjects = ref.officers.filter((o) => o.bureau === 'B03' && o.role === 'tax').slice(0, 3);
    const t0 = clock();
    await tasks.onAlerts(subjects.map((o, i) => ({
      id: `KT-${i}`, indicator: 'KPI-T', indicator_version: 1, category: 'process', severity: 'high', ts: t0, detected_at: t0, bureau: 'B03',
      officer: o.id, taxpayer: null, item: null, matter: M.code, evidence: [], message: { zh: 'x', en: 'x' }, status: 'open',
    } satisfies Alert)));
    const ids = tasks.unfinished().filter((t) => t.indicator === 'KPI-T').map((t) => t.id).sort();
    expect(ids).toHaveLength(3);
    // Each step is taken by the person it belongs to (administrators never investigate or review):
    // a login linked to the officer, made once, logged in afresh as the injected clock moves on.
    const made = new Set<string>();
    const as = async (officerId: string, role: 'discipline' | 'tax') => {
      const o = ref.officers.find((x) => x.id === officerId)!;
      const username = `kp-${o.id}`;
      if (!made.has(username)) {
        const c = await api(app.url, admin, '/api/users', { method: 'POST', body: { username, password: 'Officer-pass-4471k', role, bureau: o.bureau, officer: o.id } });
        expect(c.status).toBe(201);
        made.add(username);
      }
      return login(app.url, username, 'Officer-pass-4471k');
    };
    const resolveAt = async (id: string, hours: number, result: string) => {
      offset = hours * H;
      admin = await login(app.url);
      const assignee = await as(tasks.unfinished().find((t) => t.id === id)!.assignee!, 'discipline');
      expect((await api(app.url, assignee, `/api/tasks/${id}/accept`, { method: 'POST', body: {} })).status).toBe(200);
      const r = await api(app.url, assignee, `/api/tasks/${id}/resolve`, { method: 'POST', body: { result, finding: 'checked' } });
      expect(r.status).toBe(200);
    };
    await resolveAt(ids[0]!, 10, 'confirmed');
    await resolveAt(ids[1]!, 20, 'confirmed');
    await resolveAt(ids[2]!, 80, 'dismissed'); // after the 72 h deadline of a high task

    // Reviews: 10 % of the items completed in [D, D+3): B01 has I1, I2, I5 → 1; B02 has I6 → 1.
    const draw = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: iso(D), to: iso(D + 3 * DAY) } });
    expect(draw.status).toBe(201);
    expect(draw.json.draw.strata).toEqual([{ bureau: 'B01', population: 3, sampled: 1 }, { bureau: 'B02', population: 1, sampled: 1 }]);
    const [r1, r2] = draw.json.reviews;
    expect((await api(app.url, await as(r1.reviewers[0], 'tax'), `/api/reviews/${r1.id}/submit`, { method: 'POST', body: { reviewer: r1.reviewers[0], outcome: 'compliant' } })).status).toBe(200);
    expect((await api(app.url, await as(r2.reviewers[0], 'tax'), `/api/reviews/${r2.id}/submit`, { method: 'POST', body: { reviewer: r2.reviewers[0], outcome: 'non_compliant', aspect: 'process', note: 'late' } })).status).toBe(200);

    const q = { from: iso(t0 - DAY), to: iso(t0 + 5 * DAY), granularity: 'day' };
    const k = await kpis(q);
    expect(k.totals.confirmed_share.by_indicator['KPI-T']).toEqual({ resolved: 3, confirmed: 2, share: 2 / 3 });
    expect(k.totals.timeliness.resolved).toBe(3);
    expect(k.totals.timeliness.late).toBe(1);
    expect(k.totals.timeliness.late_rate).toBeCloseTo(1 / 3);
    // Every task opened (here also from the engine's own alerts on the data set) is assigned once.
    const opened = (await api(app.url, admin, '/api/tasks?limit=1000')).json.tasks.length;
    expect(k.totals.timeliness.assigned).toBe(opened);
    expect(k.totals.timeliness.median_assign_ms).toBeLessThan(5000);
    expect(Math.abs(k.totals.timeliness.median_resolve_ms - 20 * H)).toBeLessThan(30_000);
    expect(k.totals.reviews).toMatchObject({ decided: 2, compliant: 1, non_compliant: 1, integrity_suspicion: 0, compliance_rate: 0.5 });
    expect(k.totals.reviews.by_aspect).toEqual({ process: 1, policy: 0, fairness: 0 });
    const b03 = await kpis({ ...q, bureau: 'B03' });
    expect(b03.totals.timeliness).toMatchObject({ resolved: 3, assigned: 3, late: 1 });
    const lateSubject = (await api(app.url, admin, `/api/tasks/${ids[2]}`)).json.subject_officer;
    const one = await kpis({ ...q, officer: lateSubject });
    expect(one.totals.timeliness).toMatchObject({ resolved: 1, late: 1 });
    const b02 = await kpis({ ...q, bureau: 'B02' });
    expect(b02.totals.reviews).toMatchObject({ decided: 1, non_compliant: 1, compliance_rate: 0 });

    // Scope: a B01 leader sees B01 only.
    const leader = await login(app.url, 'leader_b01');
    const lk = await api(app.url, leader, `/api/kpis?${new URLSearchParams({ from: iso(D), to: iso(D + 3 * DAY) })}`);
    expect(lk.json.scope).toEqual({ type: 'bureau', key: 'B01' });
    expect((await api(app.url, leader, `/api/kpis?${new URLSearchParams({ from: iso(D), to: iso(D + 3 * DAY), bureau: 'B02' })}`)).status).toBe(403);
    expect((await api(app.url, admin, `/api/kpis?granularity=year`)).status).toBe(400);
  });

  it('with compare, answers each compared period exactly as its own request would, overlapping periods included', async () => {
    const now = clock();
    const periods: [number, number][] = [[D - 2 * DAY, D + 3 * DAY], [D + DAY + 7 * H, D + 2 * DAY + 3 * H], [now - 6 * DAY, now + DAY]];
    const strip = ({ as_of: _a, settings: _s, compare: _c, ...rest }: Record<string, unknown>) => rest;
    for (const [granularity, scope] of [['day', {}], ['hour', { bureau: 'B01' }], ['week', { window: W }]] as const) {
      const main = { from: iso(D), to: iso(D + 3 * DAY), granularity, ...scope };
      const k = await kpis({ ...main, compare: periods.map(([f, t]) => `${iso(f)}/${iso(t)}`).join(',') });
      expect(k.compare).toHaveLength(3);
      expect(strip(k)).toEqual(strip(await kpis(main)));
      for (const [i, [f, t]] of periods.entries()) {
        expect(k.compare[i], `${granularity} period ${i}`).toEqual(strip(await kpis({ from: iso(f), to: iso(t), granularity, ...scope })));
      }
      // Positive control: the periods hold different figures, so equal answers are not one answer repeated.
      expect(k.compare[0].totals.events).toBeGreaterThan(0);
      expect(k.compare[2].totals.events).not.toBe(k.compare[0].totals.events);
    }
    for (const bad of ['2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z/2025-01-01T00:00:00Z', 'x/y', Array(5).fill(`${iso(D)}/${iso(D + DAY)}`).join(',')]) {
      const r = await api(app.url, admin, `/api/kpis?${new URLSearchParams({ from: iso(D), to: iso(D + DAY), compare: bad })}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error.message).toMatch(/^compare:/);
    }
  });
});
