/**
 * The officer profile (docs/officer-profile.md) through the HTTP API with the real embedded
 * ClickHouse: hand-made events, alerts, cases and review outcomes for one officer, two peers of the
 * same section (main business line `service` in bureau B01) and one officer of another line; every
 * figure of GET /api/officers/:id/profile equals the hand count, the peers' distribution included;
 * scope as for alerts (a bureau leader reads only their bureau's officers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, api, eventually, login, startTestApp } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';
import { insertAlerts } from '../sql/queries/alerts.js';
import { insertCaseVersions, type CaseRow } from '../sql/queries/cases.js';
import type { Alert } from '../streams/types.js';
import { localDate } from '../streams/time.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let admin: string;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = Date.now();
const t0 = now - 5 * DAY;
const tax = ref.officers.filter((o) => o.bureau === 'B01' && o.role === 'tax' && o.active !== false);
const [O, P1, P2, Q] = [tax[0]!, tax[1]!, tax[2]!, tax[3]!];
const matter = ref.matters.find((m) => m.platform === 'service' && m.standard_hours <= 48)!;
const inspection = ref.matters.find((m) => m.platform === 'inspection' && m.standard_hours <= 96)!;
const FROM = localDate(now - 10 * DAY);
const TO = localDate(now);

let seq = 0;
const ms = (t: number) => `fromUnixTimestamp64Milli(toInt64(${Math.round(t)}))`;
const q = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
/** One stored event (straight into the store, so that only these rollup rows exist). */
function ev(officer: string, action: string, item: string, t: number, opts: { platform?: string; matter?: string; score?: number } = {}) {
  seq++;
  const attrs = opts.score ? `{"score":${opts.score}}` : '';
  return `(${q(`pf-${seq}`)}, ${ms(t)}, ${q(opts.platform ?? 'service')}, 'B01', ${q(officer)}, ${q(opts.matter ?? matter.code)}, ${q(item)}, ${q(action)}, ${q(attrs)}, [], ${seq}, ${ms(t)})`;
}
/** An item issued by `officer` and completed after `hours` (never, when null). */
function item(officer: string, id: string, hours: number | null, platform = 'service'): string[] {
  const m = platform === 'service' ? matter.code : inspection.code;
  const out = [ev(officer, 'issue', id, t0, { platform, matter: m })];
  if (hours !== null) out.push(ev(officer, 'complete', id, t0 + hours * HOUR, { platform, matter: m }));
  return out;
}
const rate = (officer: string, score: number) => ev(officer, 'rate', `pf-rate-${seq}`, t0 + HOUR, { score });

function alert(id: string, officer: string, indicator: string, ts: number): Alert {
  return {
    id, indicator, indicator_version: 1, category: indicator.startsWith('SVC') ? 'service' : 'process', severity: 'high', ts, detected_at: ts,
    bureau: 'B01', officer, taxpayer: null, item: null, matter: matter.code, evidence: [], message: { zh: '测试', en: 'test' }, status: 'open',
  };
}
function kase(id: string, officer: string, state: string, version: number, closedAt: number | null): CaseRow {
  return {
    id, subject_officer: officer, bureau: 'B01', state, task_ids: [], alert_ids: [], assignee: '', assigner: '', draw_id: '', draw_task: '',
    created_at: now - 40 * DAY, updated_at: closedAt ?? now - 40 * DAY, closed_at: closedAt, version,
  };
}
const decide = (id: string, handler: string, outcome: string, aspect: string, t: number) =>
  `(${q(id)}, 1, ${ms(t)}, 'pf-test', 'decide', 'B01', '', ${q(handler)}, ${q(outcome)}, ${q(aspect)}, '')`;

const profile = async (officer: string, token = admin, query = `?from=${FROM}&to=${TO}`) => api(app.url, token, `/api/officers/${officer}/profile${query}`);

beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url);
  const store = app.ctx.store;
  const hours = matter.standard_hours;
  // O: three service items (on time, late, never completed), one inspection item (on time), ratings 5, 3, 1.
  // P1: one service item on time, rating 4. P2: two service items (one late), ratings 5, 5.
  // Q: inspection mostly (two items, one late) and one service item: another section.
  const events = [
    ...item(O.id, 'pf-o1', hours / 2), ...item(O.id, 'pf-o2', hours + 1), ...item(O.id, 'pf-o3', null), ...item(O.id, 'pf-o4', 1, 'inspection'),
    rate(O.id, 5), rate(O.id, 3), rate(O.id, 1),
    ...item(P1.id, 'pf-p1', 1), rate(P1.id, 4),
    ...item(P2.id, 'pf-p21', 1), ...item(P2.id, 'pf-p22', hours + 2), rate(P2.id, 5), rate(P2.id, 5),
    ...item(Q.id, 'pf-q1', 1, 'inspection'), ...item(Q.id, 'pf-q2', inspection.standard_hours + 1, 'inspection'), ...item(Q.id, 'pf-q3', null),
  ];
  await store.command(`INSERT INTO events (id, ts, platform, bureau, officer, matter, item, action, attrs, flags, seq, arrived_at) VALUES ${events.join(', ')}`);
  // Alerts: O PRC-01 ×2 (one stored twice, as a status change does), SVC-02 ×1, and one PRC-01 20 days ago (outside the period);
  // P1 PRC-01 ×1; Q PRC-01 ×3 (not a peer).
  const alerts = [
    alert('pf-a1', O.id, 'PRC-01', t0), alert('pf-a2', O.id, 'PRC-01', t0 + HOUR), alert('pf-a3', O.id, 'SVC-02', t0 + 2 * HOUR), alert('pf-a4', O.id, 'PRC-01', now - 20 * DAY),
    alert('pf-a5', P1.id, 'PRC-01', t0), alert('pf-a6', Q.id, 'PRC-01', t0), alert('pf-a7', Q.id, 'PRC-01', t0), alert('pf-a8', Q.id, 'PRC-01', t0),
  ];
  await insertAlerts(store, alerts, 1);
  await insertAlerts(store, [{ ...alerts[0]!, status: 'closed' }], 2);
  // Cases: O open 1, closed in the period 2 (one closed by a later version), closed before it 1; P1 open 1; P2 closed in the period 1.
  await insertCaseVersions(store, [
    kase('pf-c1', O.id, 'investigating', 1, null), kase('pf-c2', O.id, 'closed', 1, now - 2 * DAY), kase('pf-c3', O.id, 'closed', 1, now - 30 * DAY),
    kase('pf-c4', O.id, 'assigned', 1, null), kase('pf-c4', O.id, 'closed', 2, now - DAY),
    kase('pf-c5', P1.id, 'assigned', 1, null), kase('pf-c6', P2.id, 'closed', 1, now - 3 * DAY),
  ]);
  // Reviews of O's work: compliant, non-compliant (process), non-compliant (policy), integrity suspicion; one 20 days ago (outside). P1: compliant.
  await store.command(`INSERT INTO review_events (review_id, seq, ts, actor, action, bureau, window, handler, outcome, aspect, details) VALUES ${[
    decide('pf-r1', O.id, 'compliant', '', t0), decide('pf-r2', O.id, 'non_compliant', 'process', t0), decide('pf-r3', O.id, 'non_compliant', 'policy', t0),
    decide('pf-r4', O.id, 'integrity_suspicion', '', t0), decide('pf-r0', O.id, 'non_compliant', 'fairness', now - 20 * DAY), decide('pf-r5', P1.id, 'compliant', '', t0),
  ].join(', ')}`);
  await app.ctx.services.kpis.refresh();
  await app.ctx.services.risk.schedule();
}, 120_000);
afterAll(async () => { await app?.close(); });

describe('officer profile', () => {
  it("what it shows for an officer: the section's peers are the bureau's officers whose main line is the officer's", async () => {
    const r = await profile(O.id);
    expect(r.status).toBe(200);
    expect(r.json.officer).toMatchObject({ id: O.id, name: O.name, bureau: 'B01' });
    expect(r.json.period).toEqual({ from: FROM, to: TO, days: 11 });
    expect(r.json.section).toEqual({ bureau: 'B01', line: 'service', peers: [P1.id, P2.id].sort() });
    // Q works mostly in inspection: its own section is inspection, without O, P1, P2.
    expect((await profile(Q.id)).json.section).toEqual({ bureau: 'B01', line: 'inspection', peers: [] });
  });

  it('alerts: distinct alerts of the period by indicator, against the peers (P1 1, P2 0)', async () => {
    const r = (await profile(O.id)).json;
    expect(r.alerts.total).toEqual({ value: 3, peers: 2, mean: 0.5, median: 0.5, min: 0, max: 1, rank: 1 });
    expect(r.alerts.by_indicator).toEqual([
      { indicator: 'PRC-01', alerts: 2, peer_mean: 0.5 },
      { indicator: 'SVC-02', alerts: 1, peer_mean: 0 },
    ]);
  });

  it('cases: open now and closed within the period, the latest version of each case', async () => {
    const r = (await profile(O.id)).json;
    expect(r.cases.open).toEqual({ value: 1, peers: 2, mean: 0.5, median: 0.5, min: 0, max: 1, rank: 1 });
    expect(r.cases.closed).toEqual({ value: 2, peers: 2, mean: 0.5, median: 0.5, min: 0, max: 1, rank: 1 });
  });

  it('reviews: outcomes by aspect of the period, and the share found non-compliant or suspicious (P2 has no reviews: no value)', async () => {
    const r = (await profile(O.id)).json;
    expect(r.reviews.reviews).toBe(4);
    expect(r.reviews.findings).toBe(3);
    expect(r.reviews.findings_share).toEqual({ value: 0.75, peers: 1, mean: 0, median: 0, min: 0, max: 0, rank: 1 });
    expect(r.reviews.by_outcome).toEqual([
      { outcome: 'compliant', aspect: '', reviews: 1, peer_mean: 0.5 },
      { outcome: 'integrity_suspicion', aspect: '', reviews: 1, peer_mean: 0 },
      { outcome: 'non_compliant', aspect: 'policy', reviews: 1, peer_mean: 0 },
      { outcome: 'non_compliant', aspect: 'process', reviews: 1, peer_mean: 0 },
    ]);
  });

  it('overdue rate: items due in the period not done by their deadline (O 2 of 4, P1 0 of 1, P2 1 of 2)', async () => {
    const r = (await profile(O.id)).json;
    expect(r.overdue.due).toBe(4);
    expect(r.overdue.overdue).toBe(2);
    expect(r.overdue.rate).toEqual({ value: 0.5, peers: 2, mean: 0.25, median: 0.25, min: 0, max: 0.5, rank: 1 });
    expect(r.overdue.section_rate).toBeCloseTo(1 / 3, 12);
  });

  it('satisfaction: mean rating (O 3 of 5, 1, 3; P1 4; P2 5, 5), low ratings, the section pooled', async () => {
    const r = (await profile(O.id)).json;
    expect(r.satisfaction.ratings).toBe(3);
    expect(r.satisfaction.low).toBe(1);
    expect(r.satisfaction.score).toEqual({ value: 3, peers: 2, mean: 4.5, median: 4.5, min: 4, max: 5, rank: 3 });
    expect(r.satisfaction.section_score).toBeCloseTo(14 / 3, 12);
  });

  it("risk: the score as the risk endpoint gives it, the peers' scores, and the daily series with the peers' mean", async () => {
    const r = (await profile(O.id)).json;
    const risk = (await api(app.url, admin, `/api/officers/${O.id}/risk`)).json;
    // No resolutions: every weight is the prior 1/5; O has 4 alerts in the 90-day window, P1 1, P2 none.
    expect(r.risk.score).toBeCloseTo(risk.score, 12);
    expect(r.risk.score).toBeCloseTo(4 / 5, 12);
    expect(r.risk.parts).toEqual(risk.parts);
    expect(r.risk.peers.value).toBeCloseTo(0.8, 12);
    expect(r.risk.peers).toMatchObject({ peers: 2, min: 0, rank: 1 });
    expect(r.risk.peers.mean).toBeCloseTo(0.1, 12);
    const today = await eventually(async () => {
      const x = (await profile(O.id)).json.risk.series.find((p: any) => p.day === TO);
      return x ? x : undefined;
    });
    expect(today.score).toBeCloseTo(0.8, 12);
    expect(today.peer_mean).toBeCloseTo(0.1, 12);
  });

  it('default period: the last 90 days, today included', async () => {
    const r = await profile(O.id, admin, '');
    expect(r.status).toBe(200);
    expect(r.json.period).toMatchObject({ to: TO, days: 90 });
    // The alert 20 days ago and the review 20 days ago are inside it.
    expect(r.json.alerts.total.value).toBe(4);
    expect(r.json.reviews.reviews).toBe(5);
  });

  it('what it answers to a bad period: 400 naming the field', async () => {
    expect((await profile(O.id, admin, '?from=2026-13-01')).json.error.message).toMatch(/^from:/);
    expect((await profile(O.id, admin, `?from=${TO}&to=${FROM}`)).status).toBe(400);
    expect((await profile('NO-SUCH-OFFICER')).status).toBe(404);
  });

  it("scope: a bureau leader cannot read another bureau's officer (404), their own bureau's leader can", async () => {
    const created = await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'pf_leader_b02', password: 'Profile-leader-pass-8812', role: 'leader', bureau: 'B02', display_name: 'B02 leader' } });
    expect(created.status).toBe(201);
    const b02 = await login(app.url, 'pf_leader_b02', 'Profile-leader-pass-8812');
    const b01 = await login(app.url, 'leader_b01', ADMIN_PASSWORD);
    const denied = await profile(O.id, b02);
    expect(denied.status).toBe(404);
    expect(JSON.stringify(denied.json)).not.toContain(O.name);
    const allowed = await profile(O.id, b01);
    expect(allowed.status).toBe(200);
    expect(allowed.json.alerts.total.value).toBe(3);
    // An officer of B02 is the B02 leader's to read.
    const b02officer = ref.officers.find((o) => o.bureau === 'B02' && o.role === 'tax')!;
    expect((await profile(b02officer.id, b02)).status).toBe(200);
    expect((await profile(b02officer.id, b01)).status).toBe(404);
    // Tax officers read no profiles at all.
    expect((await profile(O.id, await login(app.url, 'tax1', ADMIN_PASSWORD))).status).toBe(403);
  });
});
