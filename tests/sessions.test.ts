/**
 * Server-side sessions (docs/security.md): a session survives a kill -9 restart; logout,
 * deactivation, a role, bureau or password change end the user's tokens and drop their sockets
 * at once (they stop receiving alerts); idle and absolute lifetimes end sessions by the clock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { ADMIN_PASSWORD, api, baseEnv, eventually, killHard, login, postEvents, spawnServer, startTestApp, tempDir } from './helpers.js';
import { selfApprovalEvents, watchSocket, type WatchedSocket } from './security-helpers.js';

const PW = 'long-enough-pass-42';

describe('sessions survive a restart', () => {
  it('keeps a logged-in user logged in across a kill -9 restart, by bearer token and by cookie', async () => {
    const dir = tempDir();
    let s = await spawnServer(dir);
    const firstPid = s.proc.pid;
    const r = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = await r.json() as { token: string };
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    expect((await api(s.url, token, '/api/auth/me')).status).toBe(200);
    await killHard(s.proc);
    expect(s.proc.signalCode).toBe('SIGKILL');
    s = await spawnServer(dir);
    try {
      expect(s.proc.pid).not.toBe(firstPid);
      const me = await api(s.url, token, '/api/auth/me');
      expect(me.status).toBe(200);
      expect(me.json.user.username).toBe('admin');
      expect((await fetch(`${s.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
      // negative control: a token the server never issued is refused after the restart too
      expect((await api(s.url, `${token.slice(0, -4)}AAAA`, '/api/auth/me')).status).toBe(401);
    } finally {
      await killHard(s.proc);
    }
  }, 120_000);
});

describe('revocation', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  afterAll(async () => { await app?.close(); });

  it('ends HTTP and socket access on logout, deactivation, role, bureau and password change; others keep theirs', async () => {
    app = await startTestApp();
    const admin = await login(app.url);
    const users = [
      { username: 'rv_logout', role: 'discipline', bureau: 'HQ' },
      { username: 'rv_admin2', role: 'admin', bureau: 'HQ' },
      { username: 'rv_role', role: 'discipline', bureau: 'HQ' },
      { username: 'rv_bureau', role: 'leader', bureau: 'B01' },
      { username: 'rv_password', role: 'discipline', bureau: 'HQ' },
      { username: 'rv_control', role: 'discipline', bureau: 'HQ' },
    ];
    // Four eyes (docs/security.md): a new admin account and role or bureau changes take effect when a second person (an HQ leader) approves.
    const leader = await login(app.url, 'leader');
    const approved = async (r: { status: number; json: any }) => {
      expect(r.status).toBe(202);
      expect((await api(app.url, leader, `/api/proposals/${r.json.proposal.id}/approve`, { method: 'POST', body: {} })).status).toBe(200);
    };
    for (const u of users) {
      const r = await api(app.url, admin, '/api/users', { method: 'POST', body: { ...u, password: PW } });
      if (u.role === 'admin') await approved(r); else expect(r.status).toBe(201);
    }
    const tokens: Record<string, string> = {};
    const sockets: Record<string, WatchedSocket> = {};
    for (const u of users) {
      tokens[u.username] = await login(app.url, u.username, PW);
      sockets[u.username] = await watchSocket(app.url, { token: tokens[u.username] });
    }
    // Before: every token works (positive control for each).
    for (const u of users) expect((await api(app.url, tokens[u.username]!, '/api/auth/me')).status).toBe(200);

    expect((await api(app.url, tokens.rv_logout!, '/api/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await api(app.url, admin, '/api/users/rv_admin2', { method: 'PATCH', body: { active: false } })).status).toBe(200);
    await approved(await api(app.url, admin, '/api/users/rv_role', { method: 'PATCH', body: { role: 'analyst' } }));
    await approved(await api(app.url, admin, '/api/users/rv_bureau', { method: 'PATCH', body: { bureau: 'B02' } }));
    expect((await api(app.url, admin, '/api/users/rv_password', { method: 'PATCH', body: { password: 'another-long-pass-43' } })).status).toBe(200);

    const ended = ['rv_logout', 'rv_admin2', 'rv_role', 'rv_bureau', 'rv_password'];
    for (const u of ended) {
      expect((await api(app.url, tokens[u]!, '/api/auth/me')).status, u).toBe(401);
      expect(sockets[u]!.disconnects, u).toEqual(['io server disconnect']);
    }
    // The deactivated admin's token no longer creates an admin.
    expect((await api(app.url, tokens.rv_admin2!, '/api/users', { method: 'POST', body: { username: 'evil', password: PW, role: 'admin', bureau: 'HQ' } })).status).toBe(401);
    expect((await api(app.url, admin, '/api/users')).json.users.some((u: { username: string }) => u.username === 'evil')).toBe(false);

    // An alert now reaches the control's socket, none of the ended ones.
    expect((await postEvents(app.url, selfApprovalEvents('B01', 'rv'))).status).toBe(202);
    await eventually(async () => (sockets.rv_control!.alerts.length > 0 ? true : undefined), 30_000);
    for (const u of ended) expect(sockets[u]!.alerts, u).toEqual([]);
    expect((await api(app.url, tokens.rv_control!, '/api/auth/me')).status).toBe(200);
    expect(sockets.rv_control!.disconnects).toEqual([]);

    // The changed users log in again with their new rights (the new password for rv_password only).
    const again = await login(app.url, 'rv_role', PW);
    expect((await api(app.url, again, '/api/auth/me')).json.user.role).toBe('analyst');
    await expect(login(app.url, 'rv_password', PW)).rejects.toThrow(/401/);
    expect((await api(app.url, await login(app.url, 'rv_password', 'another-long-pass-43'), '/api/auth/me')).status).toBe(200);
    await expect(login(app.url, 'rv_admin2', PW)).rejects.toThrow(/401/);

    const audit = await api(app.url, admin, '/api/audit?action=logout');
    expect(audit.json.records.map((r: { actor: string }) => r.actor)).toContain('rv_logout');
    for (const s of Object.values(sockets)) s.close();
  }, 90_000);
});

describe('lifetimes', () => {
  it('ends a session left idle and one past its absolute lifetime, over HTTP and socket', async () => {
    let now = Date.UTC(2026, 11, 1, 1, 0, 0);
    const dir = tempDir();
    const app = await startApp(parseConfig(baseEnv(dir, { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' })), { clock: () => now });
    try {
      const idle = await login(app.url);
      const busy = await login(app.url);
      const idleSocket = await watchSocket(app.url, { token: idle });
      now += 29 * 60_000;
      expect((await api(app.url, busy, '/api/auth/me')).status).toBe(200); // used: its idle clock starts again
      now += 2 * 60_000; // idle: 31 min unused; busy: 2 min since its last use
      expect((await api(app.url, busy, '/api/auth/me')).status).toBe(200);
      idleSocket.close(); // a closed dashboard no longer keeps the session in use
      app.sweepSessions();
      expect((await api(app.url, idle, '/api/auth/me')).status).toBe(401);

      // busy is used every 20 minutes until its absolute end (2 h after login).
      const busySocket = await watchSocket(app.url, { token: busy });
      while (now < Date.UTC(2026, 11, 1, 3, 0, 0) - 20 * 60_000) {
        now += 20 * 60_000;
        expect((await api(app.url, busy, '/api/auth/me')).status).toBe(200);
      }
      expect(busySocket.disconnects).toEqual([]);
      now = Date.UTC(2026, 11, 1, 3, 0, 0) + 1;
      app.sweepSessions();
      await eventually(async () => (busySocket.disconnects.length ? true : undefined), 5000);
      expect(busySocket.disconnects).toEqual(['io server disconnect']);
      expect((await api(app.url, busy, '/api/auth/me')).status).toBe(401);
    } finally {
      await app.close();
    }
  }, 60_000);
});
