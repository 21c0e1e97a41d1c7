/**
 * DATA_DIR full (issue 9, point 6): on a small tmpfs filled to the last byte, POST /api/events
 * answers a clear 503 (nothing half-kept), health says `degraded` and why; when space returns the
 * server takes events again by itself, and after a kill -9 and a restart nothing acknowledged is
 * missing or doubled and the spool and checkpoint read back whole. A real server process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, INGEST_TOKEN, killHard, spawnServer } from './helpers.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'im-diskfull-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (err) {
  console.warn(`disk-full test skipped: cannot mount a tmpfs at ${mountPoint} (needs root): ${String(err).slice(0, 200)}`);
}

const dataDir = join(mountPoint, 'data');
const filler = join(mountPoint, 'filler');
const env = { DEDUPE_FILTER_LOG2_BITS: '16', CHECKPOINT_INTERVAL_MS: '500', LOG_LEVEL: 'warn' };
const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const stamp = Date.now();
const batch = (k: number, n = 200) => Array.from({ length: n }, (_, i) => ({ id: `df-${stamp}-${k}-${i}`, ts: new Date(Date.now() - 60_000).toISOString(), ...base }));
const send = (url: string, events: object[]) => fetch(`${url}/api/events`, {
  method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: events.map((e) => JSON.stringify(e)).join('\n'),
});
const health = async (url: string) => (await fetch(`${url}/api/health`)).json();
const count = async (url: string, token: string) => {
  const r = await fetch(`${url}/api/events?count=1&id_prefix=df-${stamp}-`, { headers: { authorization: `Bearer ${token}` } });
  return (await r.json()).count as number;
};
const login = async (url: string) => ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).json()) as { token: string }).token;

/** Fills the filesystem to its last byte. */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      try { writeSync(fd, chunk); } catch { break; }
    }
    const small = Buffer.alloc(4096);
    for (;;) { try { if (writeSync(fd, small) === 0) break; } catch { break; } }
    for (;;) { try { if (writeSync(fd, Buffer.alloc(1)) === 0) break; } catch { break; } }
  } finally {
    closeSync(fd);
  }
}

beforeAll(() => { if (mounted) mkdirSync(dataDir, { recursive: true }); });
afterAll(() => {
  if (mounted) { try { execFileSync('umount', ['-l', mountPoint]); } catch { /* already gone */ } }
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('DATA_DIR full', () => {
  it('answers 503 while full, degraded health says why, recovers by itself when space returns, and loses or doubles nothing across a kill -9', async () => {
    let server = await spawnServer(dataDir, env);
    try {
      const token = await login(server.url);
      // before: accepted and stored
      expect((await send(server.url, batch(0))).status).toBe(202);
      await eventually(async () => ((await count(server.url, token)) === 200 ? true : undefined), 30_000);

      fillDisk();
      expect(statfsSync(mountPoint).bavail).toBe(0);
      const full = await send(server.url, batch(1));
      expect(full.status).toBe(503);
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await full.json()).error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^DATA_DIR: no space left on device/) });
      const degraded = await health(server.url);
      expect(degraded.status).toBe('degraded');
      expect(degraded.reasons.join('\n')).toMatch(/spool: cannot write under DATA_DIR: .*ENOSPC/);
      // nothing of the refused request was kept, not even a partial spool file
      expect(readdirSync(join(dataDir, 'spool'))).toEqual([]);

      rmSync(filler);
      // space is back: the same request goes in, without a restart
      const again = await eventually(async () => {
        const r = await send(server.url, batch(1));
        return r.status === 202 ? r : undefined;
      }, 30_000);
      expect((await again.json()).accepted).toBe(200);
      expect((await send(server.url, batch(2))).status).toBe(202);
      await eventually(async () => ((await count(server.url, token)) === 600 ? true : undefined), 30_000);
      const ok = await eventually(async () => {
        const h = await health(server.url);
        return h.status === 'ok' ? h : undefined;
      }, 30_000);
      expect(ok.spool_bytes).toBe(0);
      // one more acknowledged batch right before a kill -9
      expect((await send(server.url, batch(3))).status).toBe(202);
    } finally {
      await killHard(server.proc);
    }
    // nothing corrupted: the spool and the checkpoint read back, the database opens
    for (const f of readdirSync(join(dataDir, 'spool')).filter((x) => x.endsWith('.ndjson'))) {
      for (const line of readFileSync(join(dataDir, 'spool', f), 'utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    }
    const cp = join(dataDir, 'engine', 'checkpoint.json');
    if (existsSync(cp)) expect(() => JSON.parse(readFileSync(cp, 'utf8'))).not.toThrow();
    server = await spawnServer(dataDir, env);
    try {
      const token = await login(server.url);
      await eventually(async () => ((await count(server.url, token)) === 800 ? true : undefined), 30_000);
      const h = await health(server.url);
      expect(h).toMatchObject({ status: 'ok', spool_bytes: 0 });
      // each once: resending an acknowledged batch is all duplicates
      expect(await (await send(server.url, batch(1))).json()).toMatchObject({ accepted: 0, duplicates: 200 });
    } finally {
      await killHard(server.proc);
    }
    writeFileSync(join(mountPoint, 'done'), 'ok');
  }, 300_000);
});
