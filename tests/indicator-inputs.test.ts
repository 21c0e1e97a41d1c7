/** GET /api/indicators publishes each indicator's input contract and whether its inputs were seen (blind). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, postEvents, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';

let app: RunningApp;
let token: string;
beforeAll(async () => { app = await startTestApp({ LATENESS_MS: '300', IDLE_MS: '200' }); token = await login(app.url); });
afterAll(async () => { await app?.close(); });

const ts = (minAgo: number) => new Date(Date.now() - minAgo * 60_000).toISOString();
const base = { platform: 'administration', bureau: 'B01', officer: 'O0001', taxpayer: 'T-COV-1' };
type Item = { id: string; blind: boolean; inputs: { attrs: string[]; fields: string[]; actions: string[] }; inputs_seen: { days: number; events: number; attrs: Record<string, boolean>; fields: Record<string, boolean> } };
const list = async (q = '') => {
  const r = await api(app.url, token, `/api/indicators${q}`);
  expect(r.status).toBe(200);
  return new Map<string, Item>((r.json.indicators as Item[]).map((d) => [d.id, d]));
};

describe('input contract and coverage in GET /api/indicators', () => {
  it('what it shows for each indicator: its inputs, and blind while none of them has arrived', async () => {
    const all = await list();
    expect(all.size).toBe(109);
    const prc08 = all.get('PRC-08')!;
    expect(prc08.inputs.attrs).toEqual(['penalty', 'tax_base']);
    expect(prc08.blind).toBe(true);
    expect(prc08.inputs_seen).toEqual({ days: 30, events: 0, fields: {}, attrs: { penalty: false, tax_base: false } });
  });

  it('what it shows once events carry an indicator\'s inputs: that one is no longer blind; one whose attr is still missing stays blind', async () => {
    // penalty decisions (M038) with penalty and tax base: PRC-08 / PRC-30 see their inputs
    const evs = [
      { ...base, id: 'cov-1', ts: ts(10), matter: 'M038', item: 'I-COV-1', action: 'approve', amount: 5000, attrs: { penalty: 5000, tax_base: 10_000 } },
      // an invoice-quota approval without previous_quota: SVC-04 has events but not its attr
      { ...base, id: 'cov-2', ts: ts(9), platform: 'service', matter: 'M003', item: 'I-COV-2', action: 'approve', amount: 20_000 },
    ];
    const r = await postEvents(app.url, evs);
    expect(r.json).toMatchObject({ accepted: 2, rejected: [] });
    const after = await eventually(async () => { const m = await list(); return m.get('PRC-08')!.inputs_seen.events > 0 ? m : undefined; });
    // PRC-08 listens to approvals on every matter (the band decides), so both approvals count as its events
    expect(after.get('PRC-08')).toMatchObject({ blind: false, inputs_seen: { events: 2, attrs: { penalty: true, tax_base: true } } });
    expect(after.get('PRC-30')!.blind).toBe(false);
    expect(after.get('SVC-04')).toMatchObject({ blind: true, inputs_seen: { events: 1, attrs: { previous_quota: false } } });
  });

  it('what it answers to a bad look-back: 400 naming inputs_days', async () => {
    for (const q of ['0', '367', 'abc', '1.5']) {
      const r = await api(app.url, token, `/api/indicators?inputs_days=${q}`);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/^inputs_days: /);
    }
  });
});
