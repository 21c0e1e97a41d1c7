/**
 * Verifiable sampling-review draws through the real server (docs/draws.md, "Review draws"): the
 * draw's inputs (period, reference version, the population's digest) are committed in the audit
 * chain before the seed exists, and the seed is derived from the chain's head at the commit.
 * Verification checks the population against the commitment and against the one the stored events
 * make, recomputes the sample and the reviewers; the offline verifier does the same without the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { api, eventually, login, postEvents, startTestApp, tempDir, verifyDrawOffline } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let admin: string;
let drawId = '';
const dir = tempDir('im-review-draws-');
const iso = (t: number) => new Date(t).toISOString();
const P0 = Date.UTC(2026, 10, 2, 16, 0, 0); // 2026-11-03 00:00 Asia/Shanghai
const P1 = P0 + 86400_000;

beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url);
  const matter = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
  const events: object[] = [];
  let n = 0;
  for (const b of ['B02', 'B03']) {
    const tax = ref.officers.filter((o) => o.bureau === b && o.role === 'tax');
    for (let i = 0; i < 12; i++) {
      const h = tax[i % tax.length]!;
      const t = P0 + 2 * 3600_000 + i * 60_000;
      const e = (action: string, who: string, dt: number) => ({ id: `rdv-${n++}`, ts: iso(t + dt * 1000), platform: 'service', bureau: b, officer: who, matter: matter.code, item: `RDV-${b}-${i}`, action });
      events.push(e('issue', 'system', 0), e('handle', h.id, 10), e('complete', h.id, 30));
    }
  }
  expect((await postEvents(app.url, events)).status).toBe(202);
  await eventually(async () => {
    const [c] = await app.ctx.store.query<{ c: number }>(`SELECT count() AS c FROM events WHERE item LIKE 'RDV-%' AND action = 'complete'`);
    return Number(c!.c) === 24 ? true : undefined;
  });
});
afterAll(async () => { await app?.close(); });

const verifyOffline = (x: unknown, name: string) => verifyDrawOffline(x, dir, name);

describe('a review draw committed in the audit chain', () => {
  it('commits the population before drawing, and the seed is sha256 of the chain head at the commit and the draw id', async () => {
    const r = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: iso(P0), to: iso(P1) } });
    expect(r.status).toBe(201);
    drawId = r.json.draw.id;
    expect(r.json.draw.items).toHaveLength(4); // ceil(10 % of 12) in each of two bureaus
    const audit = (await api(app.url, admin, `/api/audit?target=review_draw:${drawId}&limit=10`)).json.records as any[];
    const commit = audit.find((x) => x.action === 'review_draw_commit');
    const drawn = audit.find((x) => x.action === 'review_draw');
    expect(commit && drawn).toBeTruthy();
    expect(commit.seq).toBeLessThan(drawn.seq);
    expect(r.json.draw.commit_seq).toBe(commit.seq);
    expect(r.json.draw.seed).toBe(createHash('sha256').update(`review-draw-seed-v1\n${commit.prev_hash}\n${drawId}`).digest('hex').slice(0, 32));
    const details = typeof commit.details === 'string' ? JSON.parse(commit.details) : commit.details;
    const lines = Array.from({ length: 12 }, (_, i) => [`RDV-B02-${i}`, `RDV-B03-${i}`]).flat().sort().map((item) => `${item}\t${item.split('-')[1]}\n`).join('');
    expect(details).toMatchObject({ draw: drawId, population: 24, reference_version: 1, strata: [{ bureau: 'B02', population: 12 }, { bureau: 'B03', population: 12 }] });
    expect(details.population_sha256).toBe(createHash('sha256').update(lines).digest('hex'));
    const list = (await api(app.url, admin, '/api/review-draws')).json.draws as any[];
    expect(list.find((d) => d.id === drawId)).toMatchObject({ commit_seq: commit.seq, items: 4 });
  });

  it('verifies on the server, and an export verifies offline without the server', async () => {
    const v = (await api(app.url, admin, `/api/review-draws/${drawId}/verify`)).json;
    expect(v.checks.filter((c: any) => !c.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c: any) => c.name)).toContain('population_rederived');
    const x = await api(app.url, admin, `/api/review-draws/${drawId}/export`);
    expect(x.json.format).toBe('integrity-monitor/review-draw-export-v1');
    expect(x.json.population).toHaveLength(24);
    const good = await verifyOffline(x.json, 'good');
    expect(good.out).toMatch(/VERIFIED/);
    expect(good.status).toBe(0);
    // A reviewer swapped in the export (someone choosing who reviews) fails the recomputation.
    const swapped = structuredClone(x.json);
    const other = ref.officers.find((o) => o.role === 'tax' && o.level >= 3 && o.bureau === 'B05')!;
    swapped.reviews[0].reviewers = [other.id];
    const s = await verifyOffline(swapped, 'swapped');
    expect(s.status).toBe(1);
    expect(s.out).toMatch(/FAIL reviewers/);
  });

  it('a stored population with an item left out fails, on the server and offline', async () => {
    const x = (await api(app.url, admin, `/api/review-draws/${drawId}/export`)).json;
    const left = (x.population as [string, string][]).map(([i]) => i).find((i) => !x.draw.items.includes(i))!;
    await app.ctx.store.command(`ALTER TABLE review_draws UPDATE population_bureaus = arrayFilter((b, i) -> i != '${left}', population_bureaus, population_items), population_items = arrayFilter(i -> i != '${left}', population_items) WHERE id = '${drawId}' SETTINGS mutations_sync = 2`);
    const v = (await api(app.url, admin, `/api/review-draws/${drawId}/verify`)).json;
    expect(v.ok).toBe(false);
    expect(v.missing).toEqual([left]);
    expect(v.checks.find((c: any) => c.name === 'population_committed').ok).toBe(false);
    expect(v.checks.find((c: any) => c.name === 'population_rederived')).toMatchObject({ ok: false, detail: `left out: ${left}` });
    const cut = (await api(app.url, admin, `/api/review-draws/${drawId}/export`)).json;
    const r = await verifyOffline(cut, 'cut');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/FAIL population_committed/);
    // Restore, as the positive control of the next check.
    await app.ctx.store.command(`ALTER TABLE review_draws UPDATE population_items = ${JSON.stringify(x.population.map((p: string[]) => p[0])).replace(/"/g, "'")}, population_bureaus = ${JSON.stringify(x.population.map((p: string[]) => p[1])).replace(/"/g, "'")} WHERE id = '${drawId}' SETTINGS mutations_sync = 2`);
    expect((await api(app.url, admin, `/api/review-draws/${drawId}/verify`)).json.ok).toBe(true);
  });

  it('an item the stored events show completed before the commit but missing from the committed population fails on the server', async () => {
    // As if the server had left an item out of the population it committed: an event stored before the commit (its arrival seq is older).
    const [row] = await app.ctx.store.query<Record<string, unknown>>(
      `SELECT id, toUnixTimestamp64Milli(ts) AS ts, platform, bureau, officer, matter, item, action, seq, toUnixTimestamp64Milli(arrived_at) AS arrived_at FROM events WHERE id = 'rdv-2'`);
    await app.ctx.store.insert('events', [{ ...row, id: 'rdv-2-hidden', item: 'RDV-B02-hidden' }]);
    const v = (await api(app.url, admin, `/api/review-draws/${drawId}/verify`)).json;
    expect(v.ok).toBe(false);
    expect(v.missing).toEqual(['RDV-B02-hidden']);
    // A completion that arrived after the commit is not part of that draw's population: no failure.
    await app.ctx.store.command(`ALTER TABLE events DELETE WHERE item = 'RDV-B02-hidden' SETTINGS mutations_sync = 2`);
    expect((await postEvents(app.url, [{ id: 'rdv-late', ts: iso(P0 + 5 * 3600_000), platform: 'service', bureau: 'B02', officer: ref.officers.find((o) => o.bureau === 'B02' && o.role === 'tax')!.id, matter: ref.matters[0]!.code, item: 'RDV-B02-late', action: 'complete' }])).status).toBe(202);
    await eventually(async () => ((await app.ctx.store.query(`SELECT 1 FROM events WHERE id = 'rdv-late'`)).length ? true : undefined));
    expect((await api(app.url, admin, `/api/review-draws/${drawId}/verify`)).json.ok).toBe(true);
  });

  it('bureau leaders and tax officers cannot read review draws; HQ leaders and discipline officers can', async () => {
    expect((await api(app.url, await login(app.url, 'leader'), `/api/review-draws/${drawId}/verify`)).status).toBe(200);
    expect((await api(app.url, await login(app.url, 'discipline1'), `/api/review-draws/${drawId}/export`)).status).toBe(200);
    expect((await api(app.url, await login(app.url, 'leader_b01'), `/api/review-draws/${drawId}/verify`)).status).toBe(403);
    expect((await api(app.url, await login(app.url, 'tax1'), '/api/review-draws')).status).toBe(403);
  });
});

describe('a review draw over human and system-only work (sampling v2)', () => {
  it('draws 10 % of the items a person handled and a separate 2 % audit sample of those only the system touched, and verifies on the server and offline', async () => {
    const Q0 = P1 + 86400_000;
    const matter = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
    const tax = ref.officers.filter((o) => o.bureau === 'B05' && o.role === 'tax');
    const events: object[] = [];
    let n = 0;
    const e = (item: string, action: string, who: string, t: number) => ({ id: `rdv2-${n++}`, ts: iso(t), platform: 'service', bureau: 'B05', officer: who, matter: matter.code, item, action });
    for (let i = 0; i < 20; i++) {
      const t = Q0 + 3 * 3600_000 + i * 60_000;
      events.push(e(`RDV2-H-${i}`, 'issue', 'system', t), e(`RDV2-H-${i}`, 'handle', tax[i % tax.length]!.id, t + 10_000), e(`RDV2-H-${i}`, 'complete', tax[i % tax.length]!.id, t + 30_000));
    }
    for (let i = 0; i < 60; i++) {
      const t = Q0 + 4 * 3600_000 + i * 30_000;
      events.push(e(`RDV2-S-${i}`, 'issue', 'system', t), e(`RDV2-S-${i}`, 'complete', 'system', t + 5_000));
    }
    expect((await postEvents(app.url, events)).status).toBe(202);
    await eventually(async () => {
      const [c] = await app.ctx.store.query<{ c: number }>(`SELECT count() AS c FROM events WHERE startsWith(item, 'RDV2-') AND action = 'complete'`);
      return Number(c!.c) === 80 ? true : undefined;
    });
    const r = await api(app.url, admin, '/api/reviews/draw', { method: 'POST', body: { from: iso(Q0), to: iso(Q0 + 86400_000) } });
    expect(r.status).toBe(201);
    expect(r.json.draw.algorithm).toMatch(/^ceil-stratified-v2\//);
    const items = r.json.draw.items as string[];
    // ceil(10 % of 20) human items and ceil(2 % of 60) system-only items: the two samples apart
    expect(items.filter((i) => i.startsWith('RDV2-H-'))).toHaveLength(2);
    expect(items.filter((i) => i.startsWith('RDV2-S-'))).toHaveLength(2);
    const reviews = r.json.reviews as { item: string; bureau: string; handler: string }[];
    for (const rv of reviews) {
      expect(rv.bureau).toBe('B05');
      expect(rv.handler === '').toBe(rv.item.startsWith('RDV2-S-'));
    }
    const audit = (await api(app.url, admin, `/api/audit?target=review_draw:${r.json.draw.id}&limit=10`)).json.records as any[];
    const commit = audit.find((x) => x.action === 'review_draw_commit');
    const details = typeof commit.details === 'string' ? JSON.parse(commit.details) : commit.details;
    expect(details.strata).toEqual([{ bureau: 'B05', population: 20 }, { bureau: 'B05/system', population: 60 }]);
    const v = (await api(app.url, admin, `/api/review-draws/${r.json.draw.id}/verify`)).json;
    expect(v.checks.filter((c: any) => !c.ok)).toEqual([]);
    const x = (await api(app.url, admin, `/api/review-draws/${r.json.draw.id}/export`)).json;
    expect((await verifyOffline(x, 'v2-good')).status).toBe(0);
    // A human-handled item claimed as system-only in the export (to keep it out of the 10 %) fails offline.
    const moved = structuredClone(x);
    const humanSampled = moved.reviews.find((rv: any) => rv.item.startsWith('RDV2-H-'));
    humanSampled.handlers = [];
    const bad = await verifyOffline(moved, 'v2-moved');
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/FAIL reviewers/);
  });
});
