/**
 * The role matrix (issue 10, docs/security.md): every HTTP route and every socket event, taken
 * from the server itself (Express's router stack, the registered socket handlers and the typed
 * event map in server/socket/events.ts), for admin, the HQ leader, a bureau leader, discipline,
 * analyst, tax, no token, a bad token and the ingest token. A route or event without a row here
 * fails this test, naming it: whoever adds one adds its row.
 *
 * Outcomes: 'pass' = authorised (any answer but 401/403, never 5xx; a placeholder id may 404 and
 * an empty body 400), 'forbid' = 403, 'unauth' = 401. Scope rows check what a bureau leader gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT, INGEST_TOKEN, api, eventually, login, postEvents, startTestApp } from './helpers.js';
import { selfApprovalEvents, watchSocket, socketRefused, type WatchedSocket } from './security-helpers.js';

type Outcome = 'pass' | 'forbid' | 'unauth';
const PRINCIPALS = ['admin', 'leader', 'leader_b01', 'discipline', 'analyst', 'tax', 'none', 'bad', 'ingest'] as const;
type Principal = (typeof PRINCIPALS)[number];
const USERS = { admin: 'admin', leader: 'leader', leader_b01: 'leader_b01', discipline: 'discipline1', analyst: 'analyst', tax: 'tax1' } as const;
type UserPrincipal = keyof typeof USERS;

/** Who passes; everyone else with a user gets 403, without one 401. */
const only = (...who: UserPrincipal[]): Record<Principal, Outcome> => Object.fromEntries(PRINCIPALS.map((p) => [p,
  (who as string[]).includes(p) ? 'pass' : p in USERS ? 'forbid' : 'unauth'])) as Record<Principal, Outcome>;
const anyUser = only('admin', 'leader', 'leader_b01', 'discipline', 'analyst', 'tax');
const everyone = Object.fromEntries(PRINCIPALS.map((p) => [p, 'pass'])) as Record<Principal, Outcome>;
const readers = only('admin', 'leader', 'leader_b01', 'discipline', 'analyst');
const actors = only('admin', 'leader', 'leader_b01', 'discipline');
const admins = only('admin');

interface Row {
  expect: Record<Principal, Outcome>; body?: unknown; query?: string;
  /** Uses a token of its own (logout ends the session it is sent with). */
  fresh?: boolean;
  /** Exists in one of two set-ups only (the built client or not). */
  optional?: boolean;
}

/** Every route the server has. Bodies are invalid on purpose: a passing mutation answers 400 and changes nothing. */
const HTTP: Record<string, Row> = {
  'GET /api/health': { expect: everyone },
  'POST /api/events': { expect: { ...only(), ingest: 'pass', admin: 'unauth', leader: 'unauth', leader_b01: 'unauth', discipline: 'unauth', analyst: 'unauth', tax: 'unauth' }, body: 'not json' },
  'POST /api/auth/login': { expect: everyone, body: {} },
  'POST /api/auth/logout': { expect: everyone, fresh: true },
  'GET /api/auth/me': { expect: anyUser },
  'GET /api/reference': { expect: anyUser },
  'GET /api/reference/versions': { expect: admins },
  'PUT /api/reference': { expect: admins, body: { bureaus: 'not a list' } },
  'GET /api/users': { expect: admins },
  'POST /api/users': { expect: admins, body: {} },
  'PATCH /api/users/:username': { expect: admins, body: { role: 'nobody' } },
  'GET /api/alerts': { expect: readers },
  'GET /api/alerts/stats': { expect: readers, query: 'from=2026-11-01T00:00:00Z&group=bureau' },
  'GET /api/alerts/counts': { expect: readers },
  'GET /api/alerts/:id': { expect: readers },
  'GET /api/events': { expect: readers },
  'GET /api/dead-letters': { expect: admins },
  'GET /api/indicators': { expect: anyUser },
  'GET /api/indicators/:id': { expect: anyUser },
  // Four eyes: administrators and HQ leaders propose (docs/security.md).
  'PUT /api/indicators/:id': { expect: only('admin', 'leader'), body: {} },
  'POST /api/indicators/:id/backtest': { expect: readers, body: {} },
  'GET /api/tasks': { expect: readers },
  'GET /api/tasks/:id': { expect: readers },
  'GET /api/tasks/:id/history': { expect: readers },
  'GET /api/tasks/:id/draw/verify': { expect: readers },
  'GET /api/tasks/:id/draw/export': { expect: readers },
  'POST /api/tasks/:id/accept': { expect: actors, body: {} },
  'POST /api/tasks/:id/resolve': { expect: actors, body: {} },
  'POST /api/tasks/:id/reassign': { expect: only('admin', 'leader'), body: {} },
  'POST /api/tasks/:id/close': { expect: actors, body: {} },
  'POST /api/tasks/:id/send-back': { expect: actors, body: {} },
  'GET /api/cases': { expect: readers },
  'GET /api/officers/:id/risk': { expect: readers },
  'GET /api/officers/:id/profile': { expect: readers },
  'GET /api/risk/bureaus': { expect: readers },
  'GET /api/cases/:id': { expect: readers },
  'POST /api/cases/:id/accept': { expect: actors, body: {} },
  'POST /api/cases/:id/resolve': { expect: actors, body: {} },
  'POST /api/cases/:id/close': { expect: actors, body: {} },
  'GET /api/proposals': { expect: only('admin', 'leader') },
  'GET /api/proposals/:id': { expect: only('admin', 'leader') },
  'POST /api/proposals/:id/approve': { expect: only('admin', 'leader'), body: {} },
  'POST /api/proposals/:id/reject': { expect: only('admin', 'leader'), body: {} },
  'POST /api/proposals/:id/withdraw': { expect: only('admin', 'leader'), body: {} },
  'GET /api/reviews': { expect: anyUser },
  'GET /api/reviews/:id': { expect: anyUser },
  'POST /api/reviews/:id/submit': { expect: anyUser, body: {} },
  'POST /api/reviews/draw': { expect: admins, body: {} },
  // Oversight alerts watch administrators and discipline staff: HQ leaders only (admin too is refused).
  'GET /api/oversight/alerts': { expect: only('leader') },
  'GET /api/oversight/indicators': { expect: only('leader') },
  // Review draws span every bureau: not for bureau leaders (docs/draws.md).
  'GET /api/review-draws': { expect: only('admin', 'leader', 'discipline') },
  'GET /api/review-draws/:id/verify': { expect: only('admin', 'leader', 'discipline') },
  'GET /api/review-draws/:id/export': { expect: only('admin', 'leader', 'discipline') },
  'GET /api/kpis': { expect: readers },
  // Imports of history (docs/imports.md): without `format` a passing POST answers 400 and stores nothing.
  'POST /api/imports': { expect: admins, body: 'not an import' },
  'GET /api/imports': { expect: admins },
  'GET /api/imports/:id': { expect: admins },
  'DELETE /api/imports/:id': { expect: admins },
  'GET /api/audit': { expect: admins },
  'GET /api/audit/verify': { expect: admins },
  // Reports (docs/reports.md): performance evaluation for leaders (own bureau) and analysts.
  'GET /api/exports/performance': { expect: only('admin', 'leader', 'leader_b01', 'analyst') },
  'GET /api/handovers': { expect: actors },
  'GET /api/handovers/:id': { expect: actors },
  'GET /api/handovers/:id/package': { expect: actors },
  'POST /api/handovers/:id/progress': { expect: actors, body: {} },
  'GET /api/reports': { expect: only('admin', 'leader', 'leader_b01') },
  'POST /api/reports': { expect: only('admin', 'leader', 'leader_b01'), body: {} },
  'GET /api/reports/:id': { expect: only('admin', 'leader', 'leader_b01') },
  'GET /api/reports/:id/pdf': { expect: only('admin', 'leader', 'leader_b01') },
  // The client's pages (public; the data behind them is not).
  'GET /{*path}': { expect: everyone, optional: true },
  'GET /': { expect: everyone, optional: true },
};

/** Client → server events with an ack: 'pass' = ok:true, 'forbid' = ok:false, forbidden. */
const SOCKET_CALLS: Record<string, Record<UserPrincipal, 'pass' | 'forbid'> & { args: unknown }> = {
  'alerts:since': { admin: 'pass', leader: 'pass', leader_b01: 'pass', discipline: 'pass', analyst: 'pass', tax: 'pass', args: { since: '2026-01-01T00:00:00Z' } },
  'kpi:snapshot': { admin: 'pass', leader: 'pass', leader_b01: 'pass', discipline: 'pass', analyst: 'pass', tax: 'forbid', args: {} },
  'tasks:mine': { admin: 'pass', leader: 'pass', leader_b01: 'pass', discipline: 'pass', analyst: 'pass', tax: 'forbid', args: {} },
  'reviews:mine': { admin: 'pass', leader: 'pass', leader_b01: 'pass', discipline: 'pass', analyst: 'pass', tax: 'pass', args: {} },
};

/** Server → client pushes: whether a principal may receive a given payload (bureau scope; none for tax where so). */
type Pushed = { bureau?: string | null; scope?: { bureau: string | null }; reviewers?: string[] };
const SOCKET_PUSHES: Record<string, (p: UserPrincipal, x: Pushed, officer: string) => boolean> = {
  alert: (p, x) => p !== 'tax' && (p !== 'leader_b01' || x.bureau === 'B01'),
  task: (p, x) => p !== 'tax' && (p !== 'leader_b01' || x.bureau === 'B01'),
  review: (p, x, officer) => (x.reviewers ?? []).includes(officer) || (p !== 'tax' && (p !== 'leader_b01' || x.bureau === 'B01')),
  kpi: (p, x) => p !== 'tax' && (p === 'leader_b01' ? x.scope?.bureau === 'B01' : x.scope?.bureau === null),
  import: (p) => p === 'admin',
  backtest: (p) => p === 'admin',
};

/** The interface members of the typed event map, read from the source with the TypeScript parser. */
function eventMap(name: 'ClientToServerEvents' | 'ServerToClientEvents'): string[] {
  const file = join(ROOT, 'server/socket/events.ts');
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  src.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === name) {
      for (const m of n.members) if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) out.push(m.name.text);
    }
  });
  return out;
}

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
function routesOf(stack: Layer[]): string[] {
  const out: string[] = [];
  for (const l of stack) {
    if (l.route) for (const m of Object.keys(l.route.methods)) out.push(`${m.toUpperCase()} ${l.route.path}`);
    else if (l.handle?.stack) out.push(...routesOf(l.handle.stack));
  }
  return out;
}

let app: Awaited<ReturnType<typeof startTestApp>>;
const tokens = {} as Record<UserPrincipal, string>;
const officers = {} as Record<UserPrincipal, string>;
const pushes = {} as Record<UserPrincipal, WatchedSocket & { got: Record<string, Pushed[]> }>;

beforeAll(async () => {
  app = await startTestApp({ KPI_PUSH_MS: '200' });
  for (const [p, u] of Object.entries(USERS) as [UserPrincipal, string][]) {
    tokens[p] = await login(app.url, u);
    officers[p] = (await api(app.url, tokens[p], '/api/auth/me')).json.user.officer;
    const w = await watchSocket(app.url, { token: tokens[p] });
    const got: Record<string, Pushed[]> = {};
    for (const ev of Object.keys(SOCKET_PUSHES)) { got[ev] = []; w.socket.on(ev, (x: Pushed) => got[ev]!.push(x)); }
    pushes[p] = Object.assign(w, { got });
  }
  // Data in two bureaus: alerts, tasks, and a sampling draw (reviews) over the completed items.
  expect((await postEvents(app.url, [...selfApprovalEvents('B01', 'mx1'), ...selfApprovalEvents('B02', 'mx2')])).status).toBe(202);
  await eventually(async () => {
    const t = (await api(app.url, tokens.admin, '/api/tasks')).json.tasks as { bureau: string }[];
    return t.some((x) => x.bureau === 'B01') && t.some((x) => x.bureau === 'B02') ? true : undefined;
  }, 30_000);
  expect((await api(app.url, tokens.admin, '/api/reviews/draw', { method: 'POST', body: { from: '2026-11-23T00:00:00Z', to: '2026-11-27T00:00:00Z' } })).status).toBe(201);
  await eventually(async () => (Object.values(pushes).every((w) => w.got.kpi!.length > 0 || w === pushes.tax) ? true : undefined), 15_000);
  // An import (one event) so that its progress is pushed (admins only).
  const imp = await fetch(`${app.url}/api/imports?format=ndjson`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` }, body: JSON.stringify(selfApprovalEvents('B01', 'imp1')[0]) });
  expect(imp.status).toBe(202);
  await eventually(async () => (pushes.admin.got.import!.some((x) => (x as { state?: string }).state === 'done') ? true : undefined), 30_000);
  // A backtest (its progress goes to the user who runs it).
  expect((await api(app.url, tokens.admin, '/api/indicators/PRC-02/backtest', { method: 'POST', body: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } })).status).toBe(200);
  await eventually(async () => (pushes.admin.got.backtest!.length > 0 ? true : undefined), 15_000);
}, 120_000);
afterAll(async () => {
  for (const w of Object.values(pushes)) w.close();
  await app?.close();
});

describe('role matrix: HTTP', () => {
  it('has a row for every route the server has, and none for a route it does not', () => {
    const routes = [...new Set(routesOf((app.app as unknown as { router: { stack: Layer[] } }).router.stack))];
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !(r in HTTP));
    expect(missing, `routes without a row in tests/security-matrix.test.ts HTTP (add one): ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(HTTP).filter((r) => !routes.includes(r) && !HTTP[r]!.optional);
    expect(stale, `rows for routes the server no longer has: ${stale.join(', ')}`).toEqual([]);
  });

  it('answers each route as the matrix says for each of the nine principals', async () => {
    const wrong: string[] = [];
    const routes = new Set(routesOf((app.app as unknown as { router: { stack: Layer[] } }).router.stack));
    for (const [route, row] of Object.entries(HTTP)) {
      if (!routes.has(route)) continue;
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace('{*path}', 'board').replace(/:username/g, 'nobody-x').replace(/:id/g, 'no-such-id') + (row.query ? `?${row.query}` : '');
      for (const p of PRINCIPALS) {
        let token: string | null = p === 'none' ? null : p === 'bad' ? 'bad-token-0000' : p === 'ingest' ? INGEST_TOKEN : tokens[p];
        if (row.fresh && p in USERS) token = await login(app.url, USERS[p as UserPrincipal]);
        const headers: Record<string, string> = {};
        if (token) headers.authorization = `Bearer ${token}`;
        if (row.body !== undefined) headers['content-type'] = typeof row.body === 'string' ? 'text/plain' : 'application/json';
        const r = await fetch(app.url + url, { method, headers, body: row.body === undefined ? undefined : typeof row.body === 'string' ? row.body : JSON.stringify(row.body) });
        const got: Outcome | string = r.status === 401 ? 'unauth' : r.status === 403 ? 'forbid' : r.status < 500 ? 'pass' : `status ${r.status}`;
        if (got !== row.expect[p]) wrong.push(`${route} as ${p}: ${got} (${r.status}), expected ${row.expect[p]}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("gives a bureau leader only their bureau's rows on every list, where the HQ leader sees both bureaus", async () => {
    const lists: [string, (j: any) => string[]][] = [
      ['/api/alerts', (j) => j.alerts.map((a: any) => a.bureau)],
      ['/api/tasks', (j) => j.tasks.map((t: any) => t.bureau)],
      ['/api/events?limit=1000', (j) => j.events.map((e: any) => e.bureau)],
      ['/api/reviews', (j) => j.reviews.map((r: any) => r.bureau)],
      ['/api/alerts/stats?from=2026-11-01T00:00:00Z&group=bureau', (j) => j.rows.map((r: any) => r.keys[0])],
    ];
    for (const [path, bureaus] of lists) {
      const hq = bureaus((await api(app.url, tokens.leader, path)).json);
      expect(new Set(hq), `${path} as the HQ leader`).toEqual(new Set(['B01', 'B02']));
      const b01 = bureaus((await api(app.url, tokens.leader_b01, path)).json);
      expect(b01.length, path).toBeGreaterThan(0);
      expect(new Set(b01), `${path} as the B01 leader`).toEqual(new Set(['B01']));
    }
    const kpi = await api(app.url, tokens.leader_b01, '/api/kpis?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&bureau=B02');
    expect(kpi.status).toBe(403);
    const other = ((await api(app.url, tokens.leader, '/api/tasks?bureau=B02')).json.tasks as { id: string }[])[0]!;
    for (const sub of ['', '/history', '/draw/verify']) {
      expect((await api(app.url, tokens.leader, `/api/tasks/${encodeURIComponent(other.id)}${sub}`)).status).toBe(200);
      expect((await api(app.url, tokens.leader_b01, `/api/tasks/${encodeURIComponent(other.id)}${sub}`)).status).toBe(404);
    }
  });
});

describe('role matrix: socket.io', () => {
  it('has a row for every event of the typed map, and every client event there has a handler', () => {
    const server = [...app.io.sockets.sockets.values()][0]!;
    const handled = server.eventNames().map(String);
    const calls = eventMap('ClientToServerEvents');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((e) => !handled.includes(e)), 'client events of the map without a handler').toEqual([]);
    const missingCalls = calls.filter((e) => !(e in SOCKET_CALLS));
    expect(missingCalls, `client events without a row in SOCKET_CALLS (add one): ${missingCalls.join(', ')}`).toEqual([]);
    const pushed = eventMap('ServerToClientEvents');
    const missingPushes = pushed.filter((e) => !(e in SOCKET_PUSHES));
    expect(missingPushes, `server events without a row in SOCKET_PUSHES (add one): ${missingPushes.join(', ')}`).toEqual([]);
    expect([...Object.keys(SOCKET_CALLS), ...Object.keys(SOCKET_PUSHES)].filter((e) => !calls.includes(e) && !pushed.includes(e))).toEqual([]);
  });

  it('refuses a connection with no token, a bad token or the ingest token', async () => {
    for (const token of [undefined, 'bad-token-0000', INGEST_TOKEN]) expect(await socketRefused(app.url, { token }), String(token)).toMatch(/unauthorized/);
  });

  it('answers each client event as the matrix says, and in scope', async () => {
    const wrong: string[] = [];
    for (const [event, row] of Object.entries(SOCKET_CALLS)) {
      for (const p of Object.keys(USERS) as UserPrincipal[]) {
        const r = await pushes[p].socket.timeout(10_000).emitWithAck(event, row.args) as { ok: boolean; error?: string; data?: unknown };
        const got = r.ok ? 'pass' : /forbidden/.test(r.error ?? '') ? 'forbid' : `error ${r.error}`;
        if (got !== row[p]) wrong.push(`${event} as ${p}: ${got}, expected ${row[p]}`);
      }
    }
    expect(wrong).toEqual([]);
    const since = async (p: UserPrincipal) => ((await pushes[p].socket.emitWithAck('alerts:since', { since: '2026-01-01T00:00:00Z' })) as { data: { bureau: string }[] }).data.map((a) => a.bureau);
    expect(new Set(await since('leader'))).toEqual(new Set(['B01', 'B02']));
    expect(new Set(await since('leader_b01'))).toEqual(new Set(['B01']));
    expect(await since('tax')).toEqual([]);
  });

  it('pushes each server event only to those who may see it', () => {
    const wrong: string[] = [];
    for (const [event, may] of Object.entries(SOCKET_PUSHES)) {
      let received = 0;
      for (const p of Object.keys(USERS) as UserPrincipal[]) {
        for (const x of pushes[p].got[event]!) {
          received++;
          if (!may(p, x, officers[p])) wrong.push(`${event} to ${p}: ${JSON.stringify(x).slice(0, 120)}`);
        }
      }
      expect(received, `${event}: pushed to nobody (the row is not exercised)`).toBeGreaterThan(0);
    }
    expect(wrong).toEqual([]);
    expect(pushes.leader.got.alert!.some((a) => a.bureau === 'B02')).toBe(true);
    expect(pushes.leader_b01.got.alert!.length).toBeGreaterThan(0);
    expect(pushes.tax.got.alert).toEqual([]);
  });
});
