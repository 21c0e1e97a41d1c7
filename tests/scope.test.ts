/**
 * Scope and masking on every read path (docs/security.md): a bureau leader's backtest reads and
 * shows only their bureau (also with an edited definition); analysts see taxpayers masked, with a
 * keyed token they can follow and filter by but never a raw id, in lists, details, backtests,
 * events and socket pushes; reads of events and backtest samples are audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import { selfApprovalEvents, watchSocket, type WatchedSocket } from './security-helpers.js';
import { maskTaxpayer } from '../server/engine/dto.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
let app: App;
const tok: Record<string, string> = {};
const TP_B01 = '91440300MA5XYZ0001';
const TP_B02 = 'T12345'; // a short id: must be hidden as well
const range = { from: '2026-11-23T00:00:00Z', to: '2026-11-27T00:00:00Z' };
const sockets: Record<string, WatchedSocket> = {};

beforeAll(async () => {
  app = await startTestApp();
  for (const u of ['admin', 'leader', 'leader_b01', 'discipline1', 'analyst']) tok[u] = await login(app.url, u);
  for (const u of ['leader', 'leader_b01', 'analyst']) sockets[u] = await watchSocket(app.url, { token: tok[u] });
  const events = [...selfApprovalEvents('B01', 'sc1', undefined, TP_B01), ...selfApprovalEvents('B02', 'sc2', undefined, TP_B02)];
  expect((await postEvents(app.url, events)).status).toBe(202);
  await eventually(async () => {
    const a = (await api(app.url, tok.admin!, '/api/alerts?indicator=PRC-01')).json.alerts as { bureau: string }[];
    return a.some((x) => x.bureau === 'B01') && a.some((x) => x.bureau === 'B02') ? true : undefined;
  }, 30_000);
}, 60_000);
afterAll(async () => {
  for (const s of Object.values(sockets)) s.close();
  await app?.close();
});

const backtest = (user: string, body: Record<string, unknown> = {}) => api(app.url, tok[user]!, '/api/indicators/PRC-01/backtest', { method: 'POST', body: { ...range, ...body } });

describe('backtest scope', () => {
  it("gives a bureau leader only their bureau's events and sample alerts, with the stored or an edited definition", async () => {
    const hq = await backtest('leader');
    expect(hq.status).toBe(200);
    expect(new Set(hq.json.sample.map((a: { bureau: string }) => a.bureau))).toEqual(new Set(['B01', 'B02'])); // positive control
    // events_scanned: the events the query read with the indicator's actions and matters pushed into it (PRC-01: half of the 8).
    expect(hq.json.events_scanned).toBe(4);
    for (const body of [{}, { definition: { severity: 'low', params: undefined } }]) {
      const b01 = await backtest('leader_b01', body);
      expect(b01.status).toBe(200);
      expect(b01.json.sample.length).toBeGreaterThan(0);
      expect(b01.json.sample.every((a: { bureau: string }) => a.bureau === 'B01')).toBe(true);
      expect(b01.json.events_scanned).toBe(2);
      expect(JSON.stringify(b01.json)).not.toContain(TP_B02);
    }
  });

  it("masks an analyst's sample and gives the taxpayer token; a discipline officer sees the id", async () => {
    const an = await backtest('analyst');
    expect(an.status).toBe(200);
    const text = JSON.stringify(an.json);
    expect(text).not.toContain(TP_B01);
    expect(text).not.toContain(TP_B02);
    const s = an.json.sample.find((a: { bureau: string }) => a.bureau === 'B01');
    expect(s.taxpayer).toBe(maskTaxpayer(TP_B01));
    expect(s.taxpayer_token).toMatch(/^tp_[0-9a-f]{16}$/);
    const di = await backtest('discipline1');
    expect(di.json.sample.map((a: { taxpayer: string }) => a.taxpayer)).toContain(TP_B01);
  });

  it('audits each backtest with the sample it showed', async () => {
    await backtest('leader_b01');
    const records = (await api(app.url, tok.admin!, '/api/audit?action=backtest_read&actor=leader_b01')).json.records;
    expect(records.length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({ target: 'indicator:PRC-01', details: { scope: 'B01', events_scanned: 2 } });
    expect(records[0].details.sample.length).toBeGreaterThan(0);
  });
});

describe('masking and taxpayer tokens', () => {
  it('hides most of every id, short ones included', () => {
    for (const id of [TP_B01, TP_B02, 'A1234', '123']) {
      const m = maskTaxpayer(id)!;
      const shown = [...m].filter((c) => c !== '*').length;
      expect(shown, id).toBeLessThanOrEqual(Math.floor(id.length / 4));
      expect(m).toHaveLength(id.length);
    }
    expect(maskTaxpayer(TP_B02)).toBe('*****5');
  });

  it('refuses an analyst filtering by a raw taxpayer id, and lets them follow one taxpayer by token', async () => {
    for (const path of ['/api/alerts', '/api/events']) {
      const raw = await api(app.url, tok.analyst!, `${path}?taxpayer=${TP_B02}`);
      expect(raw.status, path).toBe(403);
      expect(raw.json.error.message).toMatch(/^taxpayer: /);
      // positive control: a discipline officer filters by the id
      expect((await api(app.url, tok.discipline1!, `${path}?taxpayer=${TP_B02}`)).status).toBe(200);
    }
    const listed = (await api(app.url, tok.analyst!, '/api/events?limit=1000')).json.events as { id: string; taxpayer: string; taxpayer_token: string }[];
    expect(JSON.stringify(listed)).not.toContain(TP_B02);
    const token = listed.find((e) => e.id.startsWith('sc2-'))!.taxpayer_token;
    expect(token).toMatch(/^tp_/);
    const followed = (await api(app.url, tok.analyst!, `/api/events?taxpayer=${token}`)).json.events as { id: string }[];
    const byId = (await api(app.url, tok.discipline1!, `/api/events?taxpayer=${TP_B02}`)).json.events as { id: string }[];
    expect(followed.map((e) => e.id).sort()).toEqual(byId.map((e) => e.id).sort());
    expect(followed.length).toBe(4);
    const alerts = (await api(app.url, tok.analyst!, `/api/alerts?taxpayer=${token}`)).json.alerts as { bureau: string; taxpayer: string; taxpayer_token: string }[];
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.bureau === 'B02' && a.taxpayer_token === token && a.taxpayer === maskTaxpayer(TP_B02))).toBe(true);
  });

  it("masks the analyst's alert detail, its evidence events and message, and their socket pushes", async () => {
    const [a] = (await api(app.url, tok.analyst!, '/api/alerts?indicator=PRC-01&bureau=B01')).json.alerts as { id: string }[];
    const detail = await api(app.url, tok.analyst!, `/api/alerts/${encodeURIComponent(a!.id)}`);
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.json)).not.toContain(TP_B01);
    expect(detail.json.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(sockets.analyst!.alerts)).not.toContain(TP_B01);
    expect(sockets.analyst!.alerts.some((x) => x.taxpayer === maskTaxpayer(TP_B01))).toBe(true);
  });
});

describe('bureau scope', () => {
  it("keeps a bureau leader to their bureau in alerts, events, details and socket pushes", async () => {
    const alerts = (await api(app.url, tok.leader_b01!, '/api/alerts')).json.alerts as { id: string; bureau: string }[];
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((x) => x.bureau === 'B01')).toBe(true);
    const events = (await api(app.url, tok.leader_b01!, '/api/events?limit=1000')).json.events as { bureau: string }[];
    expect(events.length).toBe(4);
    expect(events.every((x) => x.bureau === 'B01')).toBe(true);
    expect((await api(app.url, tok.leader_b01!, '/api/events?bureau=B02')).status).toBe(400);
    const b02 = ((await api(app.url, tok.leader!, '/api/alerts?bureau=B02')).json.alerts as { id: string }[])[0]!;
    expect((await api(app.url, tok.leader!, `/api/alerts/${encodeURIComponent(b02.id)}`)).status).toBe(200); // positive control
    expect((await api(app.url, tok.leader_b01!, `/api/alerts/${encodeURIComponent(b02.id)}`)).status).toBe(404);
    expect(sockets.leader_b01!.alerts.length).toBeGreaterThan(0);
    expect(sockets.leader_b01!.alerts.every((x) => x.bureau === 'B01')).toBe(true);
    expect(sockets.leader!.alerts.some((x) => x.bureau === 'B02')).toBe(true);
  });

  it('audits each read of events, with the events it returned', async () => {
    await api(app.url, tok.leader_b01!, '/api/events?limit=2');
    const records = (await api(app.url, tok.admin!, '/api/audit?action=events_read&actor=leader_b01')).json.records;
    expect(records.length).toBeGreaterThan(0);
    expect(records[0].details.events).toHaveLength(2);
    expect(records[0].details.filters).toMatchObject({ limit: '2' });
  });
});
