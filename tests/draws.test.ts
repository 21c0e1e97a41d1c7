/**
 * Verifiable draws through the real server: the seed is committed in the audit chain before the draw
 * and derived from the chain's head at the commit; verification re-derives the candidates from the
 * reference data version the commit names, so a stored candidate list with one officer left out
 * fails, on the server and in the offline verifier (`npm run verify -- draw <file>`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { api, eventually, login, postEvents, startTestApp, tempDir, verifyDrawOffline } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let admin: string;
let task: any;
const dir = tempDir('im-draws-');

beforeAll(async () => {
  app = await startTestApp();
  admin = await login(app.url);
});
afterAll(async () => { await app?.close(); });

const verifyOffline = (x: unknown, name: string) => verifyDrawOffline(x, dir, name);

describe('a draw committed in the audit chain', () => {
  it('commits before drawing, and the seed is sha256 of the chain head at the commit and the task id', async () => {
    const subject = ref.officers.find((o) => o.bureau === 'B02' && o.role === 'tax')!;
    const matter = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
    const t0 = Date.UTC(2026, 10, 24, 2, 0, 0);
    const ev = (n: number, action: string, who: string) => ({ id: `dr-${n}`, ts: new Date(t0 + n * 60_000).toISOString(), platform: 'service', bureau: 'B02', officer: who, matter: matter.code, item: 'DR-I1', action });
    expect((await postEvents(app.url, [ev(1, 'issue', 'system'), ev(2, 'accept', subject.id), ev(3, 'approve', subject.id), ev(4, 'complete', subject.id)])).status).toBe(202);
    task = await eventually(async () => {
      const l = (await api(app.url, admin, '/api/tasks?indicator=PRC-01')).json.tasks as any[];
      return l.find((x) => x.subject_officer === subject.id && x.state === 'assigned');
    }, 30_000);
    // The officer's tasks form one case (docs/cases.md), assigned by the draw of its first task: that task's draw is checked.
    const kase = await eventually(async () => ((await api(app.url, admin, `/api/cases?officer=${subject.id}`)).json.cases as any[]).find((c) => c.draw_task));
    if (kase.draw_task !== task.id) task = (await api(app.url, admin, `/api/tasks/${kase.draw_task}`)).json;
    // The task's audit records are stored after the task itself: wait for them.
    const audit = await eventually(async () => {
      const rs = (await api(app.url, admin, `/api/audit?target=task:${task.id}&limit=100`)).json.records as any[];
      return rs.some((r) => r.action === 'assignment_draw') ? rs : undefined;
    });
    const commit = audit.find((r) => r.action === 'draw_commit');
    const drawn = audit.find((r) => r.action === 'assignment_draw');
    expect(commit && drawn).toBeTruthy();
    expect(commit.seq).toBeLessThan(drawn.seq);
    const detail = (await api(app.url, admin, `/api/tasks/${task.id}`)).json;
    const expected = createHash('sha256').update(`draw-seed-v1\n${commit.prev_hash}\n${task.id}`).digest('hex').slice(0, 32);
    expect(detail.draw.seed).toBe(expected);
    const details = typeof commit.details === 'string' ? JSON.parse(commit.details) : commit.details;
    expect(details).toMatchObject({ draw: detail.draw.id, task: task.id, subject: subject.id, reference_version: 1 });
  });

  it('verifies on the server against the reference data as it stood, even after the reference data changed', async () => {
    const v = await api(app.url, admin, `/api/tasks/${task.id}/draw/verify`);
    expect(v.json.ok).toBe(true);
    expect(v.json.draws[0].checks.every((c: any) => c.ok)).toBe(true);
    // A newer reference version (a candidate deactivated) does not change what the old draw is checked against.
    const cand = v.json.draws[0].derived_candidates.find((id: string) => id !== task.assignee);
    const officers = ref.officers.map((o) => (o.id === cand ? { ...o, active: false } : o));
    expect((await api(app.url, admin, '/api/reference', { method: 'PUT', body: { officers } })).status).toBe(200);
    expect((await api(app.url, admin, `/api/tasks/${task.id}/draw/verify`)).json.ok).toBe(true);
  });

  it('an exported draw verifies offline, without the server', async () => {
    const x = await api(app.url, admin, `/api/tasks/${task.id}/draw/export`);
    expect(x.status).toBe(200);
    expect(x.json.format).toBe('integrity-monitor/draw-export-v1');
    expect(x.json.reference.officers.length).toBe(ref.officers.length);
    const r = await verifyOffline(x.json, 'good');
    expect(r.out).toMatch(/VERIFIED/);
    expect(r.status).toBe(0);
    // An export whose commit record was edited (a load changed) fails its hash.
    const forged = structuredClone(x.json);
    forged.commit.details = forged.commit.details.replace(/"severity":"(\w+)"/, (_m: string, s: string) => `"severity":"${s === 'low' ? 'high' : 'low'}"`);
    expect(forged.commit.details).not.toBe(x.json.commit.details);
    const f = await verifyOffline(forged, 'forged-commit');
    expect(f.status).toBe(1);
    expect(f.out).toMatch(/FAIL commit_hash/);
  });

  it('a stored candidate list with one officer left out fails verification, on the server and offline', async () => {
    const before = (await api(app.url, admin, `/api/tasks/${task.id}/draw/verify`)).json.draws[0];
    const left = before.derived_candidates.find((id: string) => id !== task.assignee)!;
    // Remove the officer from every stored array of the draw, as someone editing the table would.
    const i = (await api(app.url, admin, `/api/tasks/${task.id}`)).json.draw.candidates.findIndex((c: any) => c.officer === left) + 1;
    const cut = (col: string) => `${col} = arrayConcat(arraySlice(${col}, 1, ${i - 1}), arraySlice(${col}, ${i + 1}))`;
    await app.ctx.store.command(`ALTER TABLE assignment_draws UPDATE ${['candidates', 'levels', 'loads', 'weights'].map(cut).join(', ')} WHERE task_id = '${task.id}' SETTINGS mutations_sync = 2`);
    const stored = (await api(app.url, admin, `/api/tasks/${task.id}`)).json.draw.candidates.map((c: any) => c.officer);
    expect(stored).not.toContain(left);
    const v = (await api(app.url, admin, `/api/tasks/${task.id}/draw/verify`)).json;
    expect(v.ok).toBe(false);
    expect(v.draws[0].missing).toEqual([left]);
    expect(v.draws[0].checks.find((c: any) => c.name === 'candidates')).toMatchObject({ ok: false, detail: `left out: ${left}` });
    const x = (await api(app.url, admin, `/api/tasks/${task.id}/draw/export`)).json;
    const r = await verifyOffline(x, 'tampered');
    expect(r.status).toBe(1);
    expect(r.out).toContain(`left out: ${left}`);
  });
});
