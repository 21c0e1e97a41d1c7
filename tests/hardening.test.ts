/**
 * Browser hardening and data at rest (docs/security.md): security headers, no-store on the API,
 * the Origin check on state-changing cookie requests (HTTP and the socket handshake), Secure
 * cookies behind TLS, DATA_DIR 0700 with every file 0600, and the start log never printing a
 * secret that came from the environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, eventually, INGEST_TOKEN, killHard, login, postEvents, spawnServer, startTestApp, tempDir } from './helpers.js';
import { selfApprovalEvents, socketRefused, watchSocket } from './security-helpers.js';

type App = Awaited<ReturnType<typeof startTestApp>>;
const PW = 'long-enough-pass-42';

async function cookieLogin(url: string, username: string, password: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
  expect(r.status).toBe(200);
  return { setCookie: r.headers.get('set-cookie')!, cookie: r.headers.get('set-cookie')!.split(';')[0]! };
}

describe('headers and the Origin check', () => {
  let app: App;
  let admin: string;
  beforeAll(async () => { app = await startTestApp(); admin = await login(app.url); });
  afterAll(async () => { await app?.close(); });

  it('sends a strict CSP, nosniff, no framing and a same-origin referrer on pages and API answers; no-store on /api', async () => {
    for (const path of ['/', '/api/health', '/api/alerts']) {
      const r = await fetch(app.url + path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
      if (path.startsWith('/api')) expect(r.headers.get('cache-control'), path).toBe('no-store');
    }
    // the 404 of an unknown endpoint and an error answer carry them as well
    expect((await fetch(`${app.url}/api/nope`)).headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a cookie-only text/plain POST with a foreign Origin that would move a task; the same from our origin moves it', async () => {
    expect((await postEvents(app.url, selfApprovalEvents('B01', 'orig'))).status).toBe(202);
    const task = await eventually(async () => {
      const t = (await api(app.url, admin, '/api/tasks?state=assigned')).json.tasks?.[0];
      return t?.assignee ? t : undefined;
    }, 30_000);
    expect((await api(app.url, admin, '/api/users', { method: 'POST', body: { username: 'investigator', password: PW, role: 'discipline', bureau: 'HQ', officer: task.assignee } })).status).toBe(201);
    const { cookie } = await cookieLogin(app.url, 'investigator', PW);
    const accept = (headers: Record<string, string>) => fetch(`${app.url}/api/tasks/${encodeURIComponent(task.id)}/accept`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain', ...headers }, body: 'x' });

    const forged = await accept({ origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(/^Origin: /);
    expect((await accept({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await accept({})).status).toBe(403); // with the cookie, no Origin at all is refused too
    expect((await api(app.url, admin, `/api/tasks/${encodeURIComponent(task.id)}`)).json.state).toBe('assigned');

    const own = await accept({ origin: app.url });
    expect(own.status).toBe(200);
    expect((await api(app.url, admin, `/api/tasks/${encodeURIComponent(task.id)}`)).json.state).toBe('investigating');
  }, 60_000);

  it('lets API clients with a bearer token post without an Origin, and refuses a login from a foreign page', async () => {
    const r = await fetch(`${app.url}/api/users`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'api_made', password: PW, role: 'analyst', bureau: 'HQ' }) });
    expect(r.status).toBe(201);
    const foreign = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ username: 'api_made', password: PW }) });
    expect(foreign.status).toBe(403);
  });

  it('accepts a socket authenticated by cookie only from our own origin', async () => {
    const { cookie } = await cookieLogin(app.url, 'admin', 'admin-pass-123');
    expect(await socketRefused(app.url, { cookie, origin: 'https://evil.example' })).toMatch(/forbidden/);
    expect(await socketRefused(app.url, { cookie })).toMatch(/forbidden/);
    const ok = await watchSocket(app.url, { cookie, origin: app.url });
    expect(ok.socket.connected).toBe(true);
    ok.close();
    expect(await socketRefused(app.url, { token: 'not-a-token' })).toMatch(/unauthorized/);
  });

  it('marks the cookie HttpOnly and SameSite=Strict, and not Secure on plain HTTP with an untrusted X-Forwarded-Proto', async () => {
    const plain = await cookieLogin(app.url, 'admin', 'admin-pass-123', { 'x-forwarded-proto': 'https' });
    expect(plain.setCookie).toMatch(/HttpOnly/);
    expect(plain.setCookie).toMatch(/SameSite=Strict/);
    expect(plain.setCookie).not.toMatch(/Secure/); // not behind a trusted proxy: the header is not believed
    // Behind a trusted proxy: below, with the generated-token starts (one server process per engine).
  });
});

function looseEntries(dir: string): string[] {
  const out: string[] = [];
  // The running store renames its temporary parts (tmp_insert_…) while the walk goes on: an entry
  // gone between its listing and its stat is skipped, any other error fails the test.
  const gone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
  const visit = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.mode & 0o077) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (!st.isDirectory()) return;
    let entries: string[];
    try { entries = readdirSync(p); } catch (err) { if (gone(err)) return; throw err; }
    for (const e of entries) visit(join(p, e));
  };
  visit(dir);
  return out;
}

describe('data at rest and the start log', () => {
  it('makes DATA_DIR 0700 and every file in it 0600, warning about what it tightened; masks an ingest token from the environment', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'old'));
    chmodSync(join(dir, 'old'), 0o755); // explicitly: an earlier in-process start set this process's umask
    writeFileSync(join(dir, 'old', 'notes.txt'), 'left by hand', { mode: 0o644 });
    chmodSync(join(dir, 'old', 'notes.txt'), 0o644);
    expect(looseEntries(dir).length).toBe(3); // positive control: the check sees loose modes
    const s = await spawnServer(dir);
    try {
      expect((await postEvents(s.url, selfApprovalEvents('B02', 'fm'))).status).toBe(202);
      const admin = await login(s.url);
      await eventually(async () => ((await api(s.url, admin, '/api/alerts')).json.alerts?.length ? true : undefined), 30_000);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(looseEntries(dir)).toEqual([]);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['clickhouse', 'secrets.json']));
      expect(s.output()).toMatch(/DATA_DIR: 3 entries could be read by other users/);
      expect(s.output()).toContain('ingest: POST');
      expect(s.output()).not.toContain(INGEST_TOKEN);
      expect(s.output()).toMatch(/Bearer test…\(17 characters\)\s+\(from INGEST_TOKEN\)/);
    } finally {
      await killHard(s.proc);
    }
  }, 120_000);

  it('prints a generated ingest token once, on the start that made it, and masked after that; behind a TLS proxy the cookie is Secure', async () => {
    const dir = tempDir();
    const first = await spawnServer(dir, { INGEST_TOKEN: '', TRUST_PROXY: '1' });
    const token = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { ingestToken: string }).ingestToken;
    try {
      expect((await cookieLogin(first.url, 'admin', 'admin-pass-123', { 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure/);
      expect((await cookieLogin(first.url, 'admin', 'admin-pass-123', { 'x-forwarded-proto': 'http' })).setCookie).not.toMatch(/Secure/);
    } finally {
      await killHard(first.proc);
    }
    expect(first.output()).toContain(`Bearer ${token}`);
    const second = await spawnServer(dir, { INGEST_TOKEN: '' });
    await killHard(second.proc);
    expect(second.output()).toContain('ingest: POST');
    expect(second.output()).not.toContain(token);
  }, 120_000);
});
