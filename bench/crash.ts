/**
 * `npm run bench -- crash`: the crash matrix of issue 9. One uninterrupted run of a fixed input
 * (cancellation bursts and handles over several officers) gives the reference; then CRASH_RUNS
 * (default 20) runs of the same input, each killed with kill -9 at 1–3 points drawn at random
 * (seeded, CRASH_SEED): during an events insert, during the spool drain at start, during an alert
 * write, during a risk-task batch (at each of its five inserts), during the migrations of a new
 * DATA_DIR, or from outside at a random batch. The sender behaves as the spec allows: after a
 * restart it resends its last acknowledged batch, and a batch without an answer is sent again.
 * Each run then checks, in the store itself (a separate process opens DATA_DIR after a clean stop):
 * every acknowledged event stored exactly once, the alert set equal to the reference run's, every
 * medium+ alert in exactly one task, no history row or draw twice, and the audit chain intact.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { defaultReference } from '../streams/reference/default-data.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'crash-token-123456';
const ADMIN = 'crash-admin-pass-1';
const RUNS = Number(process.env.CRASH_RUNS ?? 20);
let seed = Number(process.env.CRASH_SEED ?? 9);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------- the input ----------
const officers = defaultReference.officers.filter((o) => o.role === 'tax').slice(0, 6);
const matter = defaultReference.matters[0]!.code;
const t0 = Date.now() - 2 * 86400_000;
const events = [];
for (let k = 0; k < 30; k++) {
  for (const [j, o] of officers.entries()) {
    events.push({ id: `cm-${o.id}-${k}`, ts: new Date(t0 + k * 4 * 60_000 + j * 1000).toISOString(), platform: 'service', bureau: o.bureau, officer: o.id, matter, item: `cm-item-${o.id}-${k}`, action: k % 6 === 5 ? 'handle' : 'cancel' });
  }
}
const newest = Math.max(...events.map((e) => Date.parse(e.ts)));
const batches: (typeof events)[] = [];
for (let i = 0; i < events.length; i += 12) batches.push(events.slice(i, i + 12));

// ---------- a server process ----------
async function freePort(): Promise<number> {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => ok(typeof a === 'object' && a ? a.port : 0)); }); });
}

interface Server { url: string; proc: ChildProcess; exited: Promise<string | null> }

async function startServer(dir: string, fault: string): Promise<Server | null> {
  const port = await freePort();
  const env = {
    ...process.env, DATA_DIR: dir, PORT: String(port), SIMULATE: '0', DEMO_USERS: '0', ADMIN_PASSWORD: ADMIN, INGEST_TOKEN: TOKEN, LOG_LEVEL: 'warn',
    LATENESS_MS: '300', IDLE_MS: '200', CHECKPOINT_INTERVAL_MS: '100', ...(fault ? { FAULT_INJECT: fault } : {}),
  };
  if (!fault) delete (env as Record<string, unknown>).FAULT_INJECT;
  // The server's own output, kept beside its data: what to read when a start fails.
  const out = openSync(join(dir, 'server.log'), 'a');
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts')], { env, cwd: ROOT, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<string | null>((ok) => proc.once('exit', (_c, sig) => ok(sig ?? `exit ${_c}`)));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    if (proc.exitCode !== null || proc.signalCode !== null) return null; // died while starting (a migration or drain fault)
    try { if ((await fetch(`${url}/api/health`)).status) return { url, proc, exited }; } catch { /* not yet */ }
    await sleep(100);
  }
  proc.kill('SIGKILL');
  const log = readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`server did not start in 120 s (DATA_DIR ${dir}, FAULT_INJECT ${fault || 'none'}); its last output:\n${log}`);
}

async function killHard(s: Server): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  await s.exited;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: any } | null> {
  try {
    const r = await fetch(`${url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    return { status: r.status, json: await r.json().catch(() => null) };
  } catch { return null; } // no answer: the process died
}

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN }) });
  return ((await r.json()) as { token: string }).token;
}

async function until<T>(check: () => Promise<T | undefined>, ms = 120_000, gone: () => boolean = () => false): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    try { const v = await check(); if (v !== undefined) return v; } catch { /* retry */ }
    // a fault that fired while settling killed the server: no use waiting out the deadline
    if (gone()) throw new Error('the server exited while settling');
    await sleep(200);
  }
  throw new Error('timed out waiting');
}

/** Everything evaluated and stored, and every medium+ alert handed to the workflow. */
async function settle(server: Server): Promise<void> {
  const { url } = server;
  let exited = false;
  void server.exited.then(() => { exited = true; });
  const gone = () => exited;
  await until(async () => {
    const h = (await (await fetch(`${url}/api/health`)).json()) as Record<string, any>;
    return h.engine_watermark > newest && h.engine_buffered_events === 0 && h.alerts_unstored === 0 && h.spool_bytes === 0 ? true : undefined;
  }, 120_000, gone);
  const token = await login(url);
  await until(async () => {
    const r = await fetch(`${url}/api/alerts?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const alerts = ((await r.json()) as { alerts: { severity: string; task_id: string | null }[] }).alerts;
    return alerts.every((a) => a.severity === 'low' || a.task_id) ? true : undefined;
  }, 120_000, gone);
}

async function stopGracefully(s: Server): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
  await s.exited;
}

interface Check { rows: number; ids: number; alerts: string[]; evidenceRepeats: number; unlinked: number; multiLinked: number; historyDups: number; drawDups: number; audit: { ok: boolean; count: number } }

function checkStore(dir: string): Check {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--check', dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`check failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Check;
}

// ---------- one run ----------
type Segment = { fault: string; point: string; killAfterBatch?: number };

function plan(): Segment[] {
  const segs: Segment[] = [];
  if (rnd() < 0.2) segs.push({ fault: `kill-after:command:CREATE:${1 + Math.floor(rnd() * 20)}`, point: 'migration' });
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const kind = pick(['insert', 'drain', 'alert', 'task', 'external'] as const);
    const ba = pick(['before', 'after']);
    if (kind === 'insert') segs.push({ fault: `kill-${ba}:insert:events:${1 + Math.floor(rnd() * 4)}`, point: `events insert (${ba})` });
    if (kind === 'alert') segs.push({ fault: `kill-${ba}:insert:alerts:${1 + Math.floor(rnd() * 2)}`, point: `alert write (${ba})` });
    if (kind === 'task') {
      const step = pick(['tasks', 'task_events', 'assignment_draws', 'alerts', 'audit_log']);
      segs.push({ fault: step === 'tasks' ? `kill-${ba}:insert:tasks:1` : `kill-${ba}:insert:${step}:1@tasks`, point: `task batch, ${step} (${ba})` });
    }
    if (kind === 'drain') {
      segs.push({ fault: 'hang-before:insert:events:1', point: 'store stuck, kill from outside', killAfterBatch: 1 + Math.floor(rnd() * 3) });
      segs.push({ fault: 'kill-before:insert:events:1', point: 'spool drain at start' });
    }
    if (kind === 'external') segs.push({ fault: '', point: 'kill from outside', killAfterBatch: 1 + Math.floor(rnd() * 4) });
  }
  return segs;
}

async function runOnce(segs: Segment[]): Promise<{ fired: string[]; dir: string; dupAnswers: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rel-crash-matrix-'));
  const fired: string[] = [];
  let seg = 0;
  let b = 0;
  let lastAcked = -1;
  let dupAnswers = 0;
  let server: Server | null = null;
  const next = async () => {
    for (;;) {
      const s = segs[seg];
      seg++;
      const srv = await startServer(dir, s?.fault ?? '');
      if (srv) return { srv, s };
      fired.push(s?.point ?? '?'); // died while starting
    }
  };
  let cur = await next();
  server = cur.srv;
  let sentInSeg = 0;
  while (b < batches.length) {
    const r = await post(server.url, batches[b]);
    if (r && r.status === 202) {
      lastAcked = b; b++; sentInSeg++;
      if (cur.s?.killAfterBatch !== undefined && sentInSeg >= cur.s.killAfterBatch) {
        await killHard(server);
        fired.push(cur.s.point);
      } else continue;
    } else if (r) { await sleep(200); continue; } // 429/503: retry later
    else {
      // No answer: the fault killed it (or it is about to exit); anything else is retried.
      const gone = await Promise.race([server.exited.then(() => true), sleep(3000).then(() => false)]);
      if (!gone) continue;
      fired.push(cur.s?.point ?? '?');
    }
    cur = await next();
    server = cur.srv;
    sentInSeg = 0;
    if (lastAcked >= 0) {
      const again = await post(server.url, batches[lastAcked]);
      if (again?.status === 202 && again.json?.duplicates === batches[lastAcked]!.length) dupAnswers++;
    }
  }
  // A fault still armed may fire while the server works off what it has (an alert write, a task
  // batch): then it is restarted like any other kill and settles again.
  for (;;) {
    try { await settle(server); break; } catch (err) {
      // The connection may close before the process's exit is seen: give it a moment.
      const gone = await Promise.race([server.exited.then(() => true), sleep(5000).then(() => false)]);
      if (!gone) throw err;
      fired.push(cur.s?.point ?? '?');
      cur = await next();
      server = cur.srv;
    }
  }
  await stopGracefully(server);
  return { fired, dir, dupAnswers };
}

// ---------- main ----------
async function main() {
  if (process.argv[2] === '--check') return check(process.argv[3]!);
  console.log(`load before: ${loadavg().map((x) => x.toFixed(1)).join(' ')}; input ${events.length} events in ${batches.length} batches; ${RUNS} runs, seed ${process.env.CRASH_SEED ?? 9}`);
  const base = await runOnce([{ fault: '', point: 'none' }]);
  const want = checkStore(base.dir);
  console.log(`reference run: ${want.rows} events, ${want.alerts.length} alerts, audit ${want.audit.count} records`);
  let bad = 0;
  const kills: Record<string, number> = {};
  for (let i = 1; i <= RUNS; i++) {
    const t = Date.now();
    const r = await runOnce(plan());
    const c = checkStore(r.dir);
    for (const f of r.fired) kills[f.replace(/ \((before|after)\)/, '')] = (kills[f.replace(/ \((before|after)\)/, '')] ?? 0) + 1;
    const problems = [
      c.rows !== events.length || c.ids !== events.length ? `events ${c.rows} rows / ${c.ids} ids` : '',
      JSON.stringify(c.alerts) !== JSON.stringify(want.alerts) ? `alert set differs (${c.alerts.length} vs ${want.alerts.length})` : '',
      c.evidenceRepeats ? `${c.evidenceRepeats} alerts list an event twice` : '',
      c.unlinked || c.multiLinked ? `${c.unlinked} medium+ alerts without a task, ${c.multiLinked} in several` : '',
      c.historyDups || c.drawDups ? `${c.historyDups} history rows / ${c.drawDups} draws twice` : '',
      c.audit.ok ? '' : 'audit chain broken',
      readdirSync(join(r.dir, 'workflow-intents')).length ? 'workflow intents left' : '',
    ].filter(Boolean);
    if (problems.length) bad++;
    console.log(`run ${String(i).padStart(2)}: kills ${r.fired.length} [${r.fired.join('; ') || 'none fired'}], resends answered as duplicates ${r.dupAnswers}, ${((Date.now() - t) / 1000).toFixed(0)} s → ${problems.length ? `FAIL: ${problems.join(', ')}` : 'ok'}`);
  }
  console.log(`kill points that fired: ${Object.entries(kills).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`crash matrix: ${RUNS - bad}/${RUNS} runs ok (load after: ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  process.exit(bad ? 1 : 0);
}

async function check(dir: string) {
  const { openStore } = await import('../sql/store.js');
  const { createAuditLog } = await import('../server/audit/service.js');
  const store = await openStore({ dataDir: dir, database: 'integrity' });
  const n = async (sql: string) => Number((await store.query<{ c: number }>(sql))[0]?.c ?? 0);
  const alerts = (await store.query<{ id: string }>('SELECT DISTINCT id FROM alerts ORDER BY id')).map((r) => r.id);
  const out: Check = {
    rows: await n("SELECT count() AS c FROM events WHERE startsWith(id, 'cm-')"),
    ids: await n("SELECT uniqExact(id) AS c FROM events WHERE startsWith(id, 'cm-')"),
    alerts,
    evidenceRepeats: await n('SELECT count() AS c FROM alerts FINAL WHERE length(evidence) != length(arrayDistinct(evidence))'),
    unlinked: await n("SELECT count() AS c FROM alerts FINAL WHERE severity IN ('medium','high','critical') AND task_id = ''"),
    multiLinked: await n('SELECT count() AS c FROM (SELECT a, count() AS k FROM tasks FINAL ARRAY JOIN alert_ids AS a GROUP BY a HAVING k > 1)'),
    historyDups: await n('SELECT count() AS c FROM (SELECT task_id, seq, count() AS k FROM task_events GROUP BY task_id, seq HAVING k > 1)'),
    drawDups: await n('SELECT count() AS c FROM (SELECT id, count() AS k FROM assignment_draws GROUP BY id HAVING k > 1)'),
    audit: await (await createAuditLog(store, Date.now)).verify(),
  };
  console.log(JSON.stringify(out));
  await store.close();
}

void main().catch((err) => { console.error(err); process.exit(1); });
