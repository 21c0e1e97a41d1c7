/**
 * Handover to the discipline office (docs/handover.md) through the API: a task resolved `transferred`
 * gets an evidence package that `npm run verify -- package` verifies offline, and that fails naming
 * the item when one event in it is changed (or one audit record); the receipt and follow-up states
 * with their role and four-eyes rules and audit; 处分 adds to the confirmed share, 了结 does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ROOT, api, eventually, login, postEvents, startTestApp, tempDir } from './helpers.js';
import { selfApprovalEvents } from './security-helpers.js';
import type { SessionUser } from '../server/auth/tokens.js';
import type { TaskRow } from '../sql/queries/tasks.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
const tokens: Record<string, string> = {};
const dir = tempDir('handover-');
const tasks: Record<string, TaskRow> = {};

function verifyCli(file: string): Promise<{ code: number; out: string }> {
  return new Promise((ok) => execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/verify.ts'), 'package', file], { cwd: ROOT },
    (err, stdout, stderr) => ok({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })));
}
const download = async (id: string, token: string) => {
  const r = await fetch(`${app.url}/api/handovers/${id}/package`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, type: r.headers.get('content-type'), bytes: new Uint8Array(await r.arrayBuffer()) };
};
const confirmed = async () => {
  const now = Date.now();
  const k = (await api(app.url, tokens.admin!, `/api/kpis?from=${new Date(now - 86400_000).toISOString()}&to=${new Date(now + 3600_000).toISOString()}&granularity=day`)).json;
  return { resolved: k.totals.confirmed_share.resolved, confirmed: k.totals.confirmed_share.confirmed, indicator: k.totals.confirmed_share.by_indicator[tasks.B01!.indicator] };
};

beforeAll(async () => {
  app = await startTestApp();
  for (const u of ['admin', 'leader', 'leader_b01', 'discipline1', 'discipline2', 'analyst']) tokens[u] = await login(app.url, u);
  expect((await postEvents(app.url, [...selfApprovalEvents('B01', 'ho1'), ...selfApprovalEvents('B02', 'ho2')])).status).toBe(202);
  await eventually(async () => {
    const open = app.ctx.services.tasks.unfinished().filter((t) => t.state === 'assigned');
    for (const b of ['B01', 'B02']) { const t = open.find((x) => x.bureau === b); if (t) tasks[b] = t; }
    return tasks.B01 && tasks.B02 ? true : undefined;
  }, 30_000);
  // Both resolved `transferred` by discipline1 acting as the assignee.
  for (const t of Object.values(tasks)) {
    const user: SessionUser = { username: 'discipline1', role: 'discipline', bureau: 'HQ', officer: t.assignee };
    expect((await app.ctx.services.tasks.accept(t.id, user)).ok).toBe(true);
    expect((await app.ctx.services.tasks.resolve(t.id, user, { result: 'transferred', finding: '涉嫌自批自办，移送纪检' })).ok).toBe(true);
  }
}, 90_000);
afterAll(async () => { await app?.close(); });

describe('handover to the discipline office', () => {
  it('makes a handover with an evidence package for each transferred task, in scope', async () => {
    const list = await eventually(async () => {
      const r = (await api(app.url, tokens.discipline2!, '/api/handovers')).json.handovers;
      return r.length === 2 ? r : undefined;
    });
    expect(list.map((h: any) => h.state)).toEqual(['transferred', 'transferred']);
    expect(new Set(list.map((h: any) => h.task_id))).toEqual(new Set([tasks.B01!.id, tasks.B02!.id]));
    const b01 = (await api(app.url, tokens.leader_b01!, '/api/handovers')).json.handovers;
    expect(b01.map((h: any) => h.bureau)).toEqual(['B01']);
    expect((await api(app.url, tokens.leader_b01!, `/api/handovers/ho-${tasks.B02!.id}`)).status).toBe(404);
    expect((await api(app.url, tokens.analyst!, '/api/handovers')).status).toBe(403);
  });

  it('downloads a package that verifies offline, and detects one changed event or one changed audit record', async () => {
    const id = `ho-${tasks.B01!.id}`;
    const z = await download(id, tokens.discipline2!);
    expect(z.status).toBe(200);
    expect(z.type).toBe('application/zip');
    const files = unzipSync(z.bytes);
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'package.json', 'summary.pdf']);
    expect(strFromU8(files['summary.pdf']!.subarray(0, 5))).toBe('%PDF-');
    const pkg = JSON.parse(strFromU8(files['package.json']!));
    expect(pkg.events.map((e: any) => e.id).sort()).toEqual(['ho1-1', 'ho1-2', 'ho1-3', 'ho1-4'].filter((e) => tasks.B01!.evidence.includes(e)).sort());
    expect(pkg.events.length).toBeGreaterThan(0);
    expect(pkg.alerts.map((a: any) => a.id)).toEqual(tasks.B01!.alert_ids);
    expect(pkg.chain.some((r: any) => r.action === 'task_resolve')).toBe(true);
    const head = (await api(app.url, tokens.admin!, '/api/audit/verify')).json;
    expect(head.ok).toBe(true);

    const good = join(dir, 'good.zip');
    writeFileSync(good, z.bytes);
    const ok = await verifyCli(good);
    expect(ok.out).toContain('VERIFIED');
    expect(ok.code).toBe(0);

    // One event changed: the amount of the first evidence event.
    const tampered = structuredClone(pkg);
    tampered.events[0].amount = 1_000_000;
    const bad = join(dir, 'bad-event.zip');
    writeFileSync(bad, zipSync({ ...files, 'package.json': strToU8(JSON.stringify(tampered)) }));
    const r1 = await verifyCli(bad);
    expect(r1.code).toBe(1);
    expect(r1.out).toContain(`FAIL items: event ${pkg.events[0].id}: changed`);
    expect(r1.out).toContain('NOT VERIFIED');

    // One audit record of the chain changed (the resolve step's actor).
    const chainEdit = structuredClone(pkg);
    const step = chainEdit.chain.find((r: any) => r.action === 'task_resolve');
    step.actor = 'someone-else';
    const bad2 = join(dir, 'bad-chain.json');
    writeFileSync(bad2, JSON.stringify(chainEdit));
    const r2 = await verifyCli(bad2);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain(`FAIL chain segment: record ${step.seq}: content does not match its hash`);
    const audit = (await api(app.url, tokens.admin!, `/api/audit?target=handover:${id}&action=handover_download`)).json.records;
    expect(audit.map((r: any) => r.actor)).toEqual(['discipline2']);
  }, 120_000);

  it('records receipt and follow-up states with role and four-eyes rules; 处分 adds to the confirmed share and 了结 does not', async () => {
    const before = await confirmed();
    expect(before).toMatchObject({ resolved: 2, confirmed: 0 });
    const step = (who: string, id: string, body: object) => api(app.url, tokens[who]!, `/api/handovers/${id}/progress`, { method: 'POST', body });
    const [h1, h2] = [`ho-${tasks.B01!.id}`, `ho-${tasks.B02!.id}`];
    expect((await step('discipline1', h1, { state: 'received' })).json.error.message).toMatch(/^receipt_no: /);
    expect((await step('discipline1', h1, { state: 'preliminary', note: 'x' })).status).toBe(409);
    expect((await step('admin', h1, { state: 'received', receipt_no: 'JW-2026-001' })).status).toBe(403);
    for (const h of [h1, h2]) {
      expect((await step('discipline1', h, { state: 'received', receipt_no: `JW-${h}` })).json.state).toBe('received');
      expect((await step('discipline1', h, { state: 'preliminary', note: '初核：情况属实，需进一步核查' })).json.state).toBe('preliminary');
    }
    expect((await step('discipline1', h1, { state: 'filed', note: '' })).json.error.message).toMatch(/^note: /);
    expect((await step('discipline1', h1, { state: 'filed', note: '立案审查' })).json.state).toBe('filed');
    // The conclusion: never by whoever transferred the task (discipline1).
    const self = await step('discipline1', h1, { state: 'sanctioned', note: '给予警告处分' });
    expect(self.status).toBe(403);
    expect(await confirmed()).toEqual(before);
    const done = await step('discipline2', h1, { state: 'sanctioned', note: '给予警告处分' });
    expect(done.json).toMatchObject({ state: 'sanctioned', outcome: 'confirmed' });
    expect((await step('discipline2', h1, { state: 'closed', note: 'x' })).status).toBe(409);
    const closed = await step('leader', h2, { state: 'closed', note: '初核后了结，未发现问题' });
    expect(closed.json).toMatchObject({ state: 'closed', outcome: 'not_confirmed' });

    const after = await eventually(async () => { const c = await confirmed(); return c.confirmed === 1 ? c : undefined; });
    const same = tasks.B01!.indicator === tasks.B02!.indicator ? 2 : 1;
    expect(after).toMatchObject({ resolved: 2, confirmed: 1, indicator: { resolved: same, confirmed: 1, share: 1 / same } });
    const ind = (await api(app.url, tokens.admin!, '/api/indicators')).json.indicators.find((i: any) => i.id === tasks.B01!.indicator);
    expect(ind).toMatchObject({ resolved: same, confirmed: 1 });

    const detail = (await api(app.url, tokens.leader_b01!, `/api/handovers/${h1}`)).json;
    expect(detail.history.map((s: any) => s.to)).toEqual(['transferred', 'received', 'preliminary', 'filed', 'sanctioned']);
    expect(detail.history.at(-1)).toMatchObject({ actor: 'discipline2', action: 'conclude', note: '给予警告处分' });
    const audit = (await api(app.url, tokens.admin!, `/api/audit?target=handover:${h1}`)).json.records.map((r: any) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['handover_receipt', 'handover_advance', 'handover_conclude']));
    expect((await api(app.url, tokens.admin!, '/api/audit/verify')).json.ok).toBe(true);
  }, 120_000);
});
