/** Test helpers: a real server (in-process or as a child process) on a loopback port, with a fresh DATA_DIR. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { parseConfig } from '../server/config.js';
import { startApp, type RunningApp, type StartOptions } from '../server/app.js';
import { localDayStart } from '../streams/time.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLES = resolve(ROOT, '..', 'shared', 'spec', 'examples');
export const INGEST_TOKEN = 'test-token-123456';
export const ADMIN_PASSWORD = 'admin-pass-123';

export const tempDir = (prefix = 'im-test-') => mkdtempSync(join(tmpdir(), prefix));

export function baseEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dataDir, PORT: '0', SIMULATE: '0', DEMO_USERS: '1', ADMIN_PASSWORD, INGEST_TOKEN, LOG_LEVEL: 'warn', LATENESS_MS: '200', IDLE_MS: '100', ...extra };
}

export async function startTestApp(extra: Record<string, string> = {}, dataDir = tempDir(), opts: StartOptions = {}): Promise<RunningApp & { dataDir: string }> {
  const app = await startApp(parseConfig(baseEnv(dataDir, extra)), opts);
  return Object.assign(app, { dataDir });
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** The Node flags `npm start` runs the server with (package.json): a larger young generation, far less GC under ingest load. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Starts `server/main.ts` as a child process (for kill -9 tests) and waits until it listens. */
export async function spawnServer(dataDir: string, extra: Record<string, string> = {}, nodeFlags: readonly string[] = []): Promise<{ url: string; proc: ChildProcess; output: () => string }> {
  const port = await freePort();
  const env = { ...process.env, ...baseEnv(dataDir, { PORT: String(port), LOG_LEVEL: 'info', ...extra }) };
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeFlags, '--import', 'tsx', join(ROOT, 'server', 'main.ts')], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += String(d); });
  proc.stderr!.on('data', (d) => { out += String(d); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.status === 200 || r.status === 503) return { url, proc, output: () => out };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start:\n${out}`);
}

export async function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGKILL');
  await done;
}

/**
 * The latest 19:00 or 05:00 Shanghai time at least 15 minutes ago: off working hours on any day,
 * and always within the last 15 hours, so inside every "last 24 hours" window whatever the hour
 * the test runs at (a fixed "yesterday 21:00" fell outside it from 21:00 Shanghai on).
 */
export function recentOffHoursMs(now = Date.now()): number {
  const day = localDayStart(now);
  const candidates = [-1, 0].flatMap((d) => [5, 19].map((h) => day + d * 86400_000 + h * 3600_000));
  return Math.max(...candidates.filter((t) => t <= now - 15 * 60_000));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function postEvents(url: string, body: unknown, opts: { ndjson?: boolean; token?: string } = {}): Promise<{ status: number; json: any }> {
  const text = opts.ndjson ? (body as unknown[]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') : typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': opts.ndjson ? 'application/x-ndjson' : 'application/json', authorization: `Bearer ${opts.token ?? INGEST_TOKEN}` },
    body: text,
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

export async function login(url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

export async function api(url: string, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: any }> {
  const r = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

export const exampleReference = () => JSON.parse(readFileSync(join(EXAMPLES, 'reference.json'), 'utf8'));
export const exampleEvents = () => readFileSync(join(EXAMPLES, 'events.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
export const expectedAlerts = () => JSON.parse(readFileSync(join(EXAMPLES, 'expected-alerts.json'), 'utf8')) as { indicator: string; evidence: string[] }[];

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) { last = err; }
    await sleep(every);
  }
  throw new Error(`condition not met in ${ms} ms${last ? `: ${String(last)}` : ''}`);
}

/** The offline draw verifier as an auditor runs it (`npm run verify -- draw FILE`): a separate process, no server. */
export async function verifyDrawOffline(x: unknown, dir: string, name: string): Promise<{ status: number | null; out: string }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(x));
  const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'verify.ts'), 'draw', file], { cwd: ROOT });
  let out = '';
  p.stdout!.on('data', (d) => { out += String(d); });
  p.stderr!.on('data', (d) => { out += String(d); });
  const status = await new Promise<number | null>((ok) => p.on('close', ok));
  return { status, out };
}
