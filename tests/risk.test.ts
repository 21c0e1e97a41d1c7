/**
 * Risk scores (docs/risk.md) through the HTTP API with the real embedded ClickHouse: before any
 * resolution every weight is the prior mean α/(α+β) = 1/5; resolving tasks moves the weights to
 * (α + confirmed)/(α + β + resolved) and the officers' scores to Σ alerts × weight, exactly as
 * hand-computed; the daily snapshot (the series) follows; scope as for alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
let admin: string;

const iso = (t: number) => new Date(t).toISOString();
const tax = ref.officers.filter((o) => o.bureau === 'B01' && o.role === 'tax');
const A = tax[2]!;
const B = tax[3]!;
const nonPower = ref.matters.find((m) => !m.power && m.category !== 'service' && m.standard_hours >= 24)!;
const serviceMatter = ref.matters.find((m) => m.category === 'service' && !m.power)!;
const win = ref.windows.find((w) => w.bureau === 'B01')!.code;
const PRIOR = 1 / 5;

/** `selfApprovals` PRC-01 alerts (one item each) and one SVC-02 (rejection without a reason) by `who`, three days ago. */
function events(who: string, tag: string, selfApprovals: number) {
  const t0 = Date.now() - 3 * 86_400_000;
  const ev = (n: number, dt: number, action: string, item: string, matter: string, officer = who) => ({
    id: `${tag}-${n}`, ts: iso(t0 + dt * 60_000), platform: 'service', bureau: 'B01', officer, matter, item, action, window: win,
  });
  const out = [];
  for (let i = 0; i < selfApprovals; i++) out.push(ev(10 * i + 1, 10 * i, 'issue', `${tag}-P${i}`, nonPower.code, 'system'), ev(10 * i + 2, 10 * i + 1, 'accept', `${tag}-P${i}`, nonPower.code), ev(10 * i + 3, 10 * i + 2, 'approve', `${tag}-P${i}`, nonPower.code));
  out.push(ev(100, 60, 'issue', `${tag}-R`, serviceMatter.code, 'system'), ev(101, 61, 'reject', `${tag}-R`, serviceMatter.code));
  return out;
}

const risk = async (officer: string, token = admin) => api(app.url, token, `/api/officers/${officer}/risk`);
const part = (r: any, ind: string) => (r.parts as any[]).find((p) => p.indicator === ind);

beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url);
});
afterAll(async () => { await app?.close(); });

describe('risk scores', () => {
  const cases: Record<string, any> = {};
  it('before any resolution: every weight is the prior mean and the score is the alerts × 1/5', async () => {
    expect((await postEvents(app.url, [...events(A.id, 'rk-a', 2), ...events(B.id, 'rk-b', 1)])).status).toBe(202);
    for (const [o, n] of [[A.id, 2], [B.id, 1]] as const) {
      const r = await eventually(async () => { const x = (await risk(o)).json; return part(x, 'PRC-01')?.alerts === n && part(x, 'SVC-02')?.alerts === 1 ? x : undefined; }, 30_000);
      for (const p of r.parts) expect(p.weight).toBeCloseTo(PRIOR, 12);
      expect(r.score).toBeCloseTo(r.parts.reduce((s: number, p: any) => s + p.alerts, 0) * PRIOR, 12);
      expect(part(r, 'PRC-01').text).toBe(`PRC-01 ×${n}, weight 0.20 from 0/0 confirmed`);
      cases[o] = await eventually(async () => {
        const [c] = (await api(app.url, admin, `/api/cases?officer=${o}`)).json.cases as any[];
        const d = c && (await api(app.url, admin, `/api/cases/${c.id}`)).json;
        return d && ['PRC-01', 'SVC-02'].every((i) => d.task_list.some((t: any) => t.indicator === i && t.state === 'assigned')) ? d : undefined;
      }, 30_000);
    }
  });

  it('resolving tasks updates the weights to (1 + confirmed)/(5 + resolved) and the scores to Σ alerts × weight', async () => {
    const users = new Map<string, string>();
    const tokenFor = async (officer: string) => {
      if (!users.has(officer)) {
        const name = `rk_${officer.toLowerCase()}`;
        expect((await api(app.url, admin, '/api/users', { method: 'POST', body: { username: name, password: 'Risk-handler-pass-4471', role: 'discipline', bureau: 'HQ', officer } })).status).toBe(201);
        users.set(officer, await login(app.url, name, 'Risk-handler-pass-4471'));
      }
      return users.get(officer)!;
    };
    // A: PRC-01 confirmed, SVC-02 confirmed; B: PRC-01 dismissed, SVC-02 confirmed.
    const plan: [string, string, 'confirmed' | 'dismissed'][] = [[A.id, 'PRC-01', 'confirmed'], [A.id, 'SVC-02', 'confirmed'], [B.id, 'PRC-01', 'dismissed'], [B.id, 'SVC-02', 'confirmed']];
    for (const [o, ind, result] of plan) {
      const c = cases[o];
      const t = c.task_list.find((x: any) => x.indicator === ind);
      const me = await tokenFor(t.assignee);
      if ((await api(app.url, admin, `/api/tasks/${t.id}`)).json.state === 'assigned') expect((await api(app.url, me, `/api/cases/${c.id}/accept`, { method: 'POST', body: {} })).status).toBe(200);
      const r = await api(app.url, me, `/api/cases/${c.id}/resolve`, { method: 'POST', body: { tasks: [t.id], result, finding: `${ind} ${result} after review of the records.` } });
      expect(r.status).toBe(200);
    }
    const wPRC = (1 + 1) / (5 + 2);
    const wSVC = (1 + 2) / (5 + 2);
    const others = (r: any) => (r.parts as any[]).filter((p) => p.indicator !== 'PRC-01' && p.indicator !== 'SVC-02');
    const ra = (await risk(A.id)).json;
    expect(part(ra, 'PRC-01')).toMatchObject({ alerts: 2, confirmed: 1, resolved: 2 });
    expect(part(ra, 'PRC-01').weight).toBeCloseTo(wPRC, 12);
    expect(part(ra, 'SVC-02').weight).toBeCloseTo(wSVC, 12);
    expect(part(ra, 'SVC-02').text).toBe('SVC-02 ×1, weight 0.43 from 2/2 confirmed');
    for (const p of others(ra)) expect(p.weight).toBeCloseTo(PRIOR, 12);
    const expectA = 2 * wPRC + 1 * wSVC + others(ra).reduce((s: number, p: any) => s + p.alerts * PRIOR, 0);
    expect(ra.score).toBeCloseTo(expectA, 12);
    const rb = (await risk(B.id)).json;
    const expectB = wPRC + wSVC + others(rb).reduce((s: number, p: any) => s + p.alerts * PRIOR, 0);
    expect(rb.score).toBeCloseTo(expectB, 12);
    // Today's snapshot follows once the recomputation triggered by the resolutions has run.
    await app.ctx.services.risk.idle();
    const last = await eventually(async () => { const s = (await risk(A.id)).json.series.at(-1); return s && Math.abs(s.score - expectA) < 1e-9 ? s : undefined; });
    expect(last.day).toBe(ra.as_of);
    const months = (await api(app.url, admin, '/api/risk/bureaus?bureau=B01')).json.months as any[];
    expect(months.some((m) => m.bureau === 'B01' && m.officers >= 2)).toBe(true);
  });

  it('scope as for alerts: a leader of another bureau does not see the officer, a tax officer has no access', async () => {
    expect((await risk(A.id, await login(app.url, 'leader_b01'))).status).toBe(200);
    const lb2 = await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'leader_b02x', password: 'Leader-b02-pass-9931', role: 'leader', bureau: 'B02' } });
    expect([201, 202]).toContain(lb2.status);
    if (lb2.status === 201) expect((await risk(A.id, await login(app.url, 'leader_b02x', 'Leader-b02-pass-9931'))).status).toBe(404);
    expect((await risk(A.id, await login(app.url, 'tax1'))).status).toBe(403);
    expect((await risk('NOBODY')).status).toBe(404);
    expect((await api(app.url, admin, `/api/officers/${A.id}/risk?as_of=yesterday`)).json.error.message).toMatch(/^as_of: /);
  });
});
