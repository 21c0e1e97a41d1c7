/**
 * A million-line NDJSON body (issue 9, point 2) does not stall the server: a server process of its
 * own reads, validates and answers it while its /api/health keeps answering; every line is
 * accounted for in ClickHouse afterwards. The body stays under the 16 MiB limit of api.md.
 */
import { describe, expect, it } from 'vitest';
import { eventually, INGEST_TOKEN, spawnServer, tempDir } from './helpers.js';
import { openStore } from '../sql/store.js';

const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const stamp = Date.now();
let n = 0;
const ev = () => ({ id: `big-${stamp}-${++n}`, ts: new Date(Date.now() - 60_000).toISOString(), ...base });

describe('a million-line NDJSON body', () => {
  it('is read, validated and answered by a server process while its /api/health keeps answering (no stall), every line accounted for', async () => {
    // A server process of its own: the probe measures the server, not this process parsing the answer.
    const dir = tempDir();
    const server = await spawnServer(dir, { LOG_LEVEL: 'warn' });
    // 1,000,000 lines in under 16 MiB (the body limit of api.md): 1,000 events and 999,000 short rejected lines.
    const valid = Array.from({ length: 1000 }, () => ev());
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) lines.push(i % 1000 === 0 ? JSON.stringify(valid[i / 1000]) : `{"n":${i}}`);
    // encoded once here: fetch would otherwise encode 13 MB on this process's loop while the probe runs
    const body = Buffer.from(lines.join('\n'));
    expect(body.length).toBeLessThan(16 * 1024 * 1024);
    try {
      let posting = true;
      const latencies: number[] = [];
      const probe = (async () => {
        while (posting) {
          const t0 = performance.now();
          const h = await fetch(`${server.url}/api/health`);
          await h.arrayBuffer();
          if (posting) latencies.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const t0 = performance.now();
      const r = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body });
      const took = performance.now() - t0; // the 202's headers: everything validated and durable
      posting = false;
      await probe;
      const json = await r.json();
      expect(r.status).toBe(202);
      expect(json.accepted).toBe(1000);
      expect(json.rejected).toHaveLength(999_000);
      expect(json.rejected[0]).toEqual({ index: 1, error: 'n: unknown field' });
      expect(json.rejected[998_999].index).toBe(999_999);
      const sorted = [...latencies].sort((x, y) => x - y);
      const max = sorted[sorted.length - 1]!;
      console.log(`1M-line body: 202 after ${Math.round(took)} ms; health answered ${latencies.length} times meanwhile, p50 ${Math.round(sorted[sorted.length >> 1]!)} ms, max ${Math.round(max)} ms (load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
      // Health was answered all along (a stall would leave one probe waiting for most of the request).
      expect(latencies.length).toBeGreaterThanOrEqual(5);
      expect(max).toBeLessThan(took / 3);
      const counted = await eventually(async () => {
        const h = await (await fetch(`${server.url}/api/health`)).json();
        return h.spool_bytes === 0 ? h : undefined;
      }, 120_000);
      expect(counted.rejects_by_reason.n).toBe(999_000);
    } finally {
      const exited = new Promise((ok) => server.proc.once('exit', ok));
      server.proc.kill('SIGTERM');
      await exited;
    }
    // Everything is in ClickHouse: open the server's store here once it has stopped.
    const store = await openStore({ dataDir: dir, database: 'integrity' });
    try {
      const q = async (sql: string, params: Record<string, unknown> = {}) => Number((await store.query<{ c: string }>(sql, params))[0]!.c);
      expect(await q('SELECT count() AS c FROM events FINAL WHERE id IN {ids:Array(String)}', { ids: valid.map((e) => e.id) })).toBe(1000);
      expect(await q("SELECT count() AS c FROM dead_letters WHERE reason = 'n: unknown field'")).toBe(999_000);
    } finally {
      await store.close();
    }
  }, 400_000);
});
