/**
 * Four eyes (双人复核) through the real server: changing an indicator, reassigning a task and changing a
 * user's role or scope are proposals; one person alone cannot complete any of them (the proposer may
 * not approve, two administrators may not change an indicator), a second authorised person can.
 * Proposals expire (injected clock); administrators never investigate; sign-off can send a task back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config.js';
import { startApp, type RunningApp } from '../server/app.js';
import { api, baseEnv, eventually, login, postEvents, tempDir } from './helpers.js';
import { defaultReference as ref } from '../streams/reference/default-data.js';

let app: RunningApp;
let now = Date.UTC(2026, 10, 24, 2, 0, 0); // Tue 10:00 Asia/Shanghai
let admin: string, leader: string, bureauLeader: string, disc: string, admin2: string;
const PW = 'Second-admin-pass-4471';

/** Logs everyone in again (after the injected clock moved past the session lifetime). */
async function logins(): Promise<void> {
  admin = await login(app.url);
  leader = await login(app.url, 'leader');
  bureauLeader = await login(app.url, 'leader_b01');
  disc = await login(app.url, 'discipline1');
  if (admin2) admin2 = await login(app.url, 'admin2', PW);
}

beforeAll(async () => {
  app = await startApp(parseConfig(baseEnv(tempDir(), { PROPOSAL_TTL_HOURS: '24' })), { clock: () => now });
  await logins();
});
afterAll(async () => { await app?.close(); });

const post = (token: string, path: string, body: object = {}) => api(app.url, token, path, { method: 'POST', body });
const approve = (token: string, id: string, note = '') => post(token, `/api/proposals/${id}/approve`, { note });

describe('a second administrator', () => {
  it('is created inactive and only a second person activates the account', async () => {
    const c = await post(admin, '/api/users', { username: 'admin2', password: PW, role: 'admin', bureau: 'HQ', reason: 'second operator' });
    expect(c.status).toBe(202);
    expect(c.json.user.active).toBe(false);
    const r = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin2', password: PW }) });
    expect(r.status).toBe(401);
    const self = await approve(admin, c.json.proposal.id);
    expect(self.status).toBe(403);
    expect(self.json.error.message).toMatch(/proposer/);
    expect((await approve(bureauLeader, c.json.proposal.id)).status).toBe(403);
    expect((await approve(disc, c.json.proposal.id)).status).toBe(403);
    const ok = await approve(leader, c.json.proposal.id, 'checked with HR');
    expect(ok.status).toBe(200);
    expect(ok.json.proposal).toMatchObject({ state: 'approved', decided_by: 'leader', proposer: 'admin' });
    admin2 = await login(app.url, 'admin2', PW);
  });
});

describe('indicator changes', () => {
  it('disabling PRC-01 is a proposal: the proposer cannot approve it, nor can a second administrator; an HQ leader can', async () => {
    const before = (await api(app.url, admin, '/api/indicators/PRC-01')).json;
    expect(before.enabled).not.toBe(false);
    const put = await api(app.url, admin, '/api/indicators/PRC-01', { method: 'PUT', body: { enabled: false, reason: 'too noisy' } });
    expect(put.status).toBe(202);
    expect(put.json.proposal).toMatchObject({ kind: 'indicator_change', target: 'indicator:PRC-01', state: 'pending', proposer: 'admin' });
    expect(put.json.proposal.summary).toMatch(/enabled/);
    // Still enabled: nothing changed by one person.
    expect((await api(app.url, admin, '/api/indicators/PRC-01')).json.version).toBe(before.version);
    expect((await approve(admin, put.json.proposal.id)).status).toBe(403);
    const twoAdmins = await approve(admin2, put.json.proposal.id);
    expect(twoAdmins.status).toBe(403);
    expect(twoAdmins.json.error.message).toMatch(/HQ leader/);
    // Only one pending proposal per target.
    expect((await api(app.url, admin, '/api/indicators/PRC-01', { method: 'PUT', body: { severity: 'low' } })).status).toBe(409);
    const ok = await approve(leader, put.json.proposal.id);
    expect(ok.status).toBe(200);
    const after = (await api(app.url, admin, '/api/indicators/PRC-01')).json;
    expect(after.enabled).toBe(false);
    expect(after.version).toBe(before.version + 1);
    // Deciding twice is refused.
    expect((await approve(admin2, put.json.proposal.id)).status).toBe(409);
  });

  it('a rejection needs a reason and leaves the indicator as it was; an HQ leader\'s proposal is approved by an administrator', async () => {
    const cur = (await api(app.url, admin, '/api/indicators/PRC-01')).json;
    const p = (await api(app.url, leader, '/api/indicators/PRC-01', { method: 'PUT', body: { enabled: true, reason: 'back on' } })).json.proposal;
    expect((await post(admin, `/api/proposals/${p.id}/reject`, {})).status).toBe(400);
    const rej = await post(admin, `/api/proposals/${p.id}/reject`, { note: 'wait for the backtest' });
    expect(rej.json.proposal.state).toBe('rejected');
    expect((await api(app.url, admin, '/api/indicators/PRC-01')).json.version).toBe(cur.version);
    const p2 = (await api(app.url, leader, '/api/indicators/PRC-01', { method: 'PUT', body: { enabled: true, reason: 'backtest done' } })).json.proposal;
    expect((await approve(admin, p2.id)).status).toBe(200);
    expect((await api(app.url, admin, '/api/indicators/PRC-01')).json.enabled).toBe(true);
  });

  it('a proposal expires after the configured time: it cannot be approved, and the expiry is audited', async () => {
    const p = (await api(app.url, admin, '/api/indicators/PRC-02', { method: 'PUT', body: { severity: 'low', reason: 'lower it' } })).json.proposal;
    expect(new Date(p.expires_at).getTime() - new Date(p.created_at).getTime()).toBe(24 * 3600_000);
    now += 24 * 3600_000;
    await logins();
    const late = await approve(leader, p.id);
    expect(late.status).toBe(409);
    expect(late.json.error.message).toMatch(/expired/);
    expect((await api(app.url, leader, `/api/proposals/${p.id}`)).json.proposal.state).toBe('expired');
    const audit = (await api(app.url, admin, `/api/audit?target=proposal:${p.id}&limit=10`)).json.records.map((r: any) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['proposal_create', 'proposal_expire']));
    // Positive control: a fresh proposal of the same change is approvable.
    const again = (await api(app.url, admin, '/api/indicators/PRC-02', { method: 'PUT', body: { severity: 'low', reason: 'lower it' } })).json.proposal;
    expect((await approve(leader, again.id)).status).toBe(200);
  });
});

describe('user role and scope', () => {
  it('a role or bureau change waits for a second person; a deactivation takes effect at once', async () => {
    const c = await post(admin, '/api/users', { username: 'ana2', password: 'Analyst-pass-5512z', role: 'analyst', bureau: 'HQ' });
    expect(c.status).toBe(201);
    const promote = await api(app.url, admin, '/api/users/ana2', { method: 'PATCH', body: { role: 'leader', reason: 'new post' } });
    expect(promote.status).toBe(202);
    const userOf = async () => ((await api(app.url, admin, '/api/users')).json.users as any[]).find((u) => u.username === 'ana2');
    expect((await userOf()).role).toBe('analyst');
    expect((await approve(admin, promote.json.proposal.id)).status).toBe(403);
    expect((await approve(admin2, promote.json.proposal.id)).status).toBe(200);
    expect((await userOf()).role).toBe('leader');
    const scope = await api(app.url, admin, '/api/users/ana2', { method: 'PATCH', body: { bureau: 'B01' } });
    expect(scope.status).toBe(202);
    expect((await userOf()).bureau).toBe('HQ');
    expect((await approve(leader, scope.json.proposal.id)).status).toBe(200);
    expect((await userOf()).bureau).toBe('B01');
    const off = await api(app.url, admin, '/api/users/ana2', { method: 'PATCH', body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.json.user.active).toBe(false);
  });

  it('nobody approves a change of their own account, and an administrator may not set another powerful account\'s password', async () => {
    const p = await api(app.url, admin, '/api/users/leader', { method: 'PATCH', body: { bureau: 'B02', reason: 'move' } });
    expect(p.status).toBe(202);
    const own = await approve(leader, p.json.proposal.id);
    expect(own.status).toBe(403);
    expect(own.json.error.message).toMatch(/own account/);
    expect((await post(admin, `/api/proposals/${p.json.proposal.id}/withdraw`)).json.proposal.state).toBe('withdrawn');
    const pw = await api(app.url, admin, '/api/users/leader', { method: 'PATCH', body: { password: 'Taken-over-pass-3390' } });
    expect(pw.status).toBe(403);
    // Positive control: a non-powerful user's password is set directly.
    expect((await api(app.url, admin, '/api/users/discipline2', { method: 'PATCH', body: { password: 'Reset-pass-for-d2-8812' } })).status).toBe(200);
  });

  it('an administrator is never linked to an officer', async () => {
    const r = await post(admin, '/api/users', { username: 'adm3', password: PW, role: 'admin', bureau: 'HQ', officer: 'HQ-D1' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^officer: /);
  });

  it('proposals are seen by administrators and HQ leaders only', async () => {
    expect((await api(app.url, leader, '/api/proposals?state=approved')).json.proposals.length).toBeGreaterThan(2);
    expect((await api(app.url, admin, '/api/proposals')).status).toBe(200);
    expect((await api(app.url, bureauLeader, '/api/proposals')).status).toBe(403);
    expect((await api(app.url, disc, '/api/proposals')).status).toBe(403);
  });
});

describe('tasks: reassignment, administrators, send-back', () => {
  const subject = ref.officers.find((o) => o.bureau === 'B01' && o.role === 'tax')!;
  let task: any;

  it('an alert task is drawn; an administrator can neither accept it nor reassign it alone', async () => {
    const t0 = now - 3600_000;
    const nonPower = ref.matters.find((m) => !m.power && m.standard_hours >= 24)!;
    const ev = (id: string, dt: number, action: string, who = subject.id) => ({ id, ts: new Date(t0 + dt * 60_000).toISOString(), platform: 'service', bureau: 'B01', officer: who, matter: nonPower.code, item: 'FE-I1', action });
    expect((await postEvents(app.url, [ev('fe-1', 0, 'issue', 'system'), ev('fe-2', 1, 'accept'), ev('fe-3', 2, 'approve'), ev('fe-4', 3, 'complete')])).status).toBe(202);
    task = await eventually(async () => {
      const l = (await api(app.url, leader, '/api/tasks?indicator=PRC-01')).json.tasks as any[];
      return l.find((x) => x.subject_officer === subject.id && x.state === 'assigned');
    }, 30_000);
    expect((await post(admin, `/api/tasks/${task.id}/accept`)).status).toBe(403);
    const users = (await api(app.url, admin, '/api/users')).json.users as any[];
    const target = users.find((u) => u.role === 'discipline' && u.active && u.officer && u.officer !== task.assignee)!;
    const p = await post(admin, `/api/tasks/${task.id}/reassign`, { assignee: target.officer, reason: 'conflict of interest' });
    expect(p.status).toBe(202);
    expect((await api(app.url, admin, `/api/tasks/${task.id}`)).json.assignee).toBe(task.assignee);
    expect((await approve(admin, p.json.proposal.id)).status).toBe(403);
    expect((await approve(admin2, p.json.proposal.id)).status).toBe(403);
    // Two people (an administrator proposes, an HQ leader approves): it takes effect.
    expect((await approve(leader, p.json.proposal.id)).status).toBe(200);
    const after = (await api(app.url, admin, `/api/tasks/${task.id}`)).json;
    expect(after.assignee).toBe(target.officer);
    const re = after.history.find((h: any) => h.action === 'reassign');
    expect(re.details).toMatchObject({ proposal: p.json.proposal.id, approved_by: 'leader' });
    task = { ...after, user: target.username };
  });

  it('sign-off sends a resolved task back to investigating with a reason; the assignee resolves again; a leader closes', async () => {
    const me = task.user === 'discipline2' ? await login(app.url, 'discipline2', 'Reset-pass-for-d2-8812') : await login(app.url, task.user);
    expect((await post(me, `/api/tasks/${task.id}/accept`)).json.state).toBe('investigating');
    expect((await post(me, `/api/tasks/${task.id}/resolve`, { result: 'dismissed', finding: 'nothing found' })).json.state).toBe('resolved');
    expect((await post(leader, `/api/tasks/${task.id}/send-back`, {})).status).toBe(400);
    expect((await post(me, `/api/tasks/${task.id}/send-back`, { reason: 'self' })).status).toBe(403);
    expect((await post(admin, `/api/tasks/${task.id}/send-back`, { reason: 'admin' })).status).toBe(403);
    const back = await post(leader, `/api/tasks/${task.id}/send-back`, { reason: 'the second item was not looked at' });
    expect(back.status).toBe(200);
    expect(back.json.state).toBe('investigating');
    expect(back.json.result).toBeNull();
    expect((await post(leader, `/api/tasks/${task.id}/close`)).status).toBe(409);
    expect((await post(me, `/api/tasks/${task.id}/resolve`, { result: 'confirmed', finding: 'both items self-approved' })).json.result).toBe('confirmed');
    expect((await post(leader, `/api/tasks/${task.id}/close`, { note: 'ok' })).json.state).toBe('closed');
    const hist = (await api(app.url, leader, `/api/tasks/${task.id}/history`)).json.history as any[];
    const sb = hist.find((h) => h.action === 'send_back');
    expect(sb).toMatchObject({ from: 'resolved', to: 'investigating', reason: 'the second item was not looked at', actor: 'leader' });
    expect(sb.details).toMatchObject({ previous_result: 'dismissed', previous_finding: 'nothing found' });
    expect(hist.map((h) => h.action).slice(-5)).toEqual(['accept', 'resolve', 'send_back', 'resolve', 'close']);
  });
});
