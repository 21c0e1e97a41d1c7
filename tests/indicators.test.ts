import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { api, eventually, exampleEvents, exampleReference, expectedAlerts, login, postEvents, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import type { AlertDTO } from '../server/socket/events.js';

const CORE = new Set(['SVC-01', 'PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'PRC-05', 'INS-01', 'INS-02', 'FIL-01', 'TSK-01', 'TSK-02']);
const key = (a: { indicator: string; evidence: string[] }) => `${a.indicator}|${a.evidence.join(',')}`;

let app: RunningApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp({ LATENESS_MS: '300', IDLE_MS: '200' });
  token = await login(app.url);
});
afterAll(async () => { await app?.close(); });

async function allAlerts(query = ''): Promise<AlertDTO[]> {
  const out: AlertDTO[] = [];
  let cursor: string | null = null;
  do {
    const r = await api(app.url, token, `/api/alerts?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    out.push(...r.json.alerts);
    cursor = r.json.next;
  } while (cursor);
  return out;
}

describe('the eleven core indicators over the spec examples', () => {
  it('raises exactly expected-alerts.json when the examples are posted through the API', async () => {
    const put = await api(app.url, token, '/api/reference', { method: 'PUT', body: exampleReference() });
    expect(put.status).toBe(200);
    const events = exampleEvents();
    const r = await postEvents(app.url, events, { ndjson: true });
    expect(r.json).toMatchObject({ accepted: events.length, duplicates: 0, rejected: [] });
    const want = expectedAlerts().map(key).sort();
    const got = await eventually(async () => {
      const core = (await allAlerts()).filter((a) => CORE.has(a.indicator)).map(key).sort();
      return core.length >= want.length ? core : undefined;
    });
    await new Promise((res) => setTimeout(res, 1000));
    const final = (await allAlerts()).filter((a) => CORE.has(a.indicator)).map(key).sort();
    expect(final).toEqual(want);
    expect(got).toEqual(want);
    // posting the same file again changes nothing
    const again = await postEvents(app.url, events, { ndjson: true });
    expect(again.json).toMatchObject({ accepted: 0, duplicates: events.length });
    await new Promise((res) => setTimeout(res, 800));
    expect((await allAlerts()).filter((a) => CORE.has(a.indicator)).map(key).sort()).toEqual(want);
  });

  it('filters and pages alerts, and returns one with its evidence events', async () => {
    const prc = await allAlerts('&indicator=PRC-04');
    expect(prc.length).toBe(2);
    expect(prc.every((a) => a.indicator === 'PRC-04' && a.category === 'process')).toBe(true);
    const page1 = await api(app.url, token, '/api/alerts?limit=2');
    expect(page1.json.alerts).toHaveLength(2);
    expect(page1.json.next).toBeTruthy();
    const page2 = await api(app.url, token, `/api/alerts?limit=2&cursor=${page1.json.next}`);
    expect(page2.json.alerts[0].ts <= page1.json.alerts[1].ts).toBe(true);
    expect(page2.json.alerts[0].id).not.toBe(page1.json.alerts[1].id);
    expect((await api(app.url, token, '/api/alerts?limit=1001')).status).toBe(400);
    const one = await api(app.url, token, `/api/alerts/${prc[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.json.events.map((e: { id: string }) => e.id)).toEqual(prc[0]!.evidence);
    expect(one.json.message.zh).toBeTruthy();
    expect(one.json.message.en).toBeTruthy();
    expect((await api(app.url, token, '/api/alerts/nope')).status).toBe(404);
  });

  it('pushes a new alert over socket.io to an authenticated client after an event is posted', async () => {
    const refused = connect(app.url, { auth: { token: 'bad' }, transports: ['websocket'], reconnection: false });
    const refusal = await new Promise<string>((res) => refused.on('connect_error', (e) => res(e.message)));
    expect(refusal).toMatch(/unauthorized/);
    refused.close();

    const socket = connect(app.url, { auth: { token }, transports: ['websocket'] });
    await new Promise<void>((res, rej) => { socket.on('connect', () => res()); socket.on('connect_error', rej); });
    const received = new Promise<AlertDTO>((res) => socket.on('alert', (a: AlertDTO) => { if (a.evidence.includes('push-1')) res(a); }));
    // an approve on a power matter at 21:00 local time: SVC-01 decides on arrival. Yesterday's 21:00,
    // so that the event is in the past at any hour the suite runs (today's is ahead of now before 13:00 UTC).
    const r = await postEvents(app.url, [{ id: 'push-1', ts: new Date(Date.now() - 86_400_000).toISOString().slice(0, 11) + '13:00:00Z', platform: 'collection', bureau: 'B02', officer: 'B02-T4', matter: 'RF1', item: 'I-push', action: 'approve', amount: 10 }]);
    expect(r.json.accepted).toBe(1);
    const a = await received;
    expect(a.indicator).toBe('SVC-01');
    expect(a.evidence).toEqual(['push-1']);
    socket.close();
  });

  it('lists the 109-indicator catalog with hit counts and creates a new version on change', async () => {
    const r = await api(app.url, token, '/api/indicators');
    expect(r.json.indicators).toHaveLength(109);
    const svc = r.json.indicators.find((d: { id: string }) => d.id === 'SVC-01');
    expect(svc.hits).toBeGreaterThanOrEqual(2);
    const tsk = r.json.indicators.find((d: { id: string }) => d.id === 'TSK-02');
    // Four eyes: the change is a proposal until an HQ leader approves it.
    const put = await api(app.url, token, '/api/indicators/TSK-02', { method: 'PUT', body: { enabled: false } });
    expect(put.status).toBe(202);
    const leader = await login(app.url, 'leader');
    const approved = await api(app.url, leader, `/api/proposals/${put.json.proposal.id}/approve`, { method: 'POST', body: {} });
    expect(approved.status).toBe(200);
    expect(approved.json.proposal.result.version).toBe(tsk.version + 1);
    const hist = await api(app.url, token, '/api/indicators/TSK-02');
    expect(hist.json.versions.map((v: { version: number }) => v.version)).toEqual([tsk.version + 1, tsk.version]);
    // disabled: a manual assignment no longer raises TSK-02
    await postEvents(app.url, [{ id: 'man-1', ts: new Date(Date.now() - 60_000).toISOString(), platform: 'collection', bureau: 'B02', officer: 'B02-T4', matter: 'RF1', item: 'I-man', action: 'assign', attrs: { mode: 'manual' } }]);
    await new Promise((res) => setTimeout(res, 800));
    expect((await allAlerts('&indicator=TSK-02')).some((a) => a.evidence.includes('man-1'))).toBe(false);
    const back = await api(app.url, token, '/api/indicators/TSK-02', { method: 'PUT', body: { enabled: true } });
    expect((await api(app.url, leader, `/api/proposals/${back.json.proposal.id}/approve`, { method: 'POST', body: {} })).status).toBe(200);
  });

  it('backtests a changed definition over stored history without raising alerts', async () => {
    const before = (await allAlerts()).length;
    const r = await api(app.url, token, '/api/indicators/PRC-02/backtest', { method: 'POST', body: { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' } });
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(2);
    expect(r.json.days.reduce((s: number, d: { hits: number }) => s + d.hits, 0)).toBe(2);
    expect((await allAlerts()).length).toBe(before);
  });
});
