/**
 * Oversight indicators through the real server (docs/security.md "Oversight indicators"): the
 * product's own audit trail raises OVS alerts, stored apart from the business alerts and read by
 * HQ leaders only — never by administrators or discipline staff (the people they watch), and never
 * by the person an alert is about. Time comes from an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import { selfApprovalEvents } from './security-helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

const TUE_10 = Date.UTC(2026, 10, 24, 2, 0, 0); // Tue 2026-11-24 10:00 Asia/Shanghai
let now = TUE_10 + 3600_000;
let app: Awaited<ReturnType<typeof startTestApp>>;
let admin: string;
let hq: string;

// A route answers after its audit record is stored; the evaluation follows on the oversight chain.
const settled = async () => { await app.ctx.services.oversight.idle(); };
const oversight = async (token: string, q = '') => api(app.url, token, `/api/oversight/alerts${q}`);

beforeAll(async () => {
  app = await startTestApp({}, undefined, { clock: () => now });
  admin = await login(app.url);
  hq = await login(app.url, 'leader');
});
afterAll(async () => { await app?.close(); });

describe('oversight indicators over the audit trail', () => {
  it('OVS-04: an administrator\'s change in working hours raises nothing; the same change at 23:00 raises an alert', async () => {
    expect((await api(app.url, admin, '/api/users/analyst', { method: 'PATCH', body: { display_name: 'Analyst (day)' } })).status).toBe(200);
    await settled();
    expect((await oversight(hq, '?indicator=OVS-04')).json.alerts).toEqual([]);
    now = TUE_10 + 13 * 3600_000; // 23:00 the same day
    admin = await login(app.url);
    hq = await login(app.url, 'leader');
    expect((await api(app.url, admin, '/api/users/analyst', { method: 'PATCH', body: { display_name: 'Analyst (night)' } })).status).toBe(200);
    await settled();
    const r = await oversight(hq, '?indicator=OVS-04');
    expect(r.status).toBe(200);
    expect(r.json.alerts).toHaveLength(1);
    expect(r.json.alerts[0]).toMatchObject({ indicator: 'OVS-04', category: 'oversight', subject: 'admin', subject_role: 'admin' });
    expect(r.json.counts['OVS-04']).toBe(1);
    // It is no business alert: the wall and the alert list never show it.
    const business = (await api(app.url, admin, '/api/alerts?limit=1000')).json.alerts as any[];
    expect(business.some((a) => String(a.indicator).startsWith('OVS'))).toBe(false);
  });

  it('OVS-01: a discipline officer reading two tasks of others raises nothing, the third does', async () => {
    now = TUE_10 + 24 * 3600_000; // Wed 10:00
    admin = await login(app.url);
    hq = await login(app.url, 'leader');
    const events = ['B01', 'B02', 'B03'].flatMap((b, i) => selfApprovalEvents(b, `ovs1-${b}`, TUE_10 + i * 600_000));
    expect((await postEvents(app.url, events)).status).toBe(202);
    const me = ref.officers.find((o) => o.bureau === 'HQ' && o.role === 'discipline' && o.active !== false)!.id; // discipline1's officer
    const tasks = await eventually(async () => {
      const l = ((await api(app.url, admin, '/api/tasks?limit=100')).json.tasks as any[]).filter((t) => t.assignee && t.assignee !== me && String(t.item).startsWith('ovs1-'));
      return l.length >= 3 ? l : undefined;
    }, 30_000);
    const disc = await login(app.url, 'discipline1');
    for (const t of tasks.slice(0, 2)) expect((await api(app.url, disc, `/api/tasks/${t.id}`)).status).toBe(200);
    await settled();
    expect((await oversight(hq, '?indicator=OVS-01')).json.alerts).toEqual([]);
    expect((await api(app.url, disc, `/api/tasks/${tasks[2].id}`)).status).toBe(200);
    await settled();
    const r = (await oversight(hq, '?indicator=OVS-01')).json;
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({ indicator: 'OVS-01', subject: 'discipline1', subject_role: 'discipline' });
    expect([...r.alerts[0].details.tasks].sort()).toEqual(tasks.slice(0, 3).map((t: any) => t.id).sort());
  });

  it('only HQ leaders read oversight alerts: administrators, discipline, bureau leaders, analysts and tax officers get 403', async () => {
    expect((await oversight(hq)).status).toBe(200);
    expect((await api(app.url, hq, '/api/oversight/indicators')).json.indicators.map((d: any) => d.id)).toEqual(['OVS-01', 'OVS-02', 'OVS-03', 'OVS-04']);
    for (const u of ['admin', 'discipline1', 'leader_b01', 'analyst', 'tax1']) {
      const t = u === 'admin' ? admin : await login(app.url, u);
      expect((await oversight(t)).status, u).toBe(403);
      expect((await api(app.url, t, '/api/oversight/indicators')).status, u).toBe(403);
    }
    // The read itself is audited.
    const audit = (await api(app.url, admin, '/api/audit?action=oversight_read&limit=10')).json.records as any[];
    expect(audit.some((x) => x.actor === 'leader')).toBe(true);
  });

  it('never shows an HQ leader an alert about themselves (positive control: the same alert about someone else is shown)', async () => {
    const row = (id: string, watched: string[]) => ({
      id, indicator: 'OVS-03', severity: 'high', ts: now, subject: 'S-X', subject_role: 'subject', message: 'test', details: '{}', audit_seqs: [1], watched,
    });
    await app.ctx.store.insert('oversight_alerts', [row('OVS-03:about-leader', ['admin', 'leader']), row('OVS-03:about-others', ['admin', 'leader2'])]);
    const ids = ((await oversight(hq, '?indicator=OVS-03')).json.alerts as any[]).map((a) => a.id);
    expect(ids).toContain('OVS-03:about-others');
    expect(ids).not.toContain('OVS-03:about-leader');
    expect((await oversight(hq, '?indicator=OVS-03')).json.counts['OVS-03']).toBe(1);
  });

  it('rejects an unknown indicator and a bad limit naming the field', async () => {
    expect((await oversight(hq, '?indicator=PRC-01')).json.error.message).toMatch(/^indicator:/);
    expect((await oversight(hq, '?limit=0')).json.error.message).toMatch(/^limit:/);
  });
});
