/**
 * Overload (issue 9, point 5): beyond its in-flight bound the server answers 429 with Retry-After
 * instead of queueing without limit; nothing it acknowledged is lost, nothing refused is half-kept,
 * and a sender that honours Retry-After gets everything in. Real server, real ClickHouse.
 * (The 10× rate for 60 s, peak RSS and catch-up time: `npm run bench -- overload`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, INGEST_TOKEN, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';

let app: RunningApp;
const base = { platform: 'collection', bureau: 'B02', officer: 'O0001', matter: 'M001', item: 'I-1', action: 'handle' };
const stamp = Date.now();
const batch = (k: number) => Array.from({ length: 500 }, (_, i) => ({ id: `ov-${stamp}-${k}-${i}`, ts: new Date(Date.now() - 60_000).toISOString(), ...base }));
const send = (events: object[]) => fetch(`${app.url}/api/events`, {
  method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` }, body: events.map((e) => JSON.stringify(e)).join('\n'),
});

// ~75 KB a request; at most ~2 requests in flight.
beforeAll(async () => { app = await startTestApp({ INGEST_MAX_INFLIGHT_BYTES: String(150 * 1024) }); });
afterAll(async () => { await app?.close(); });

async function storedCount(prefix: string): Promise<number> {
  const [r] = await app.ctx.store.query<{ c: string; u: string }>('SELECT count() AS c, uniqExact(id) AS u FROM events WHERE startsWith(id, {p:String})', { p: prefix });
  expect(Number(r!.c)).toBe(Number(r!.u)); // never twice
  return Number(r!.c);
}

describe('more requests at once than the in-flight bound', () => {
  it('answers 429 with Retry-After to the excess, stores exactly the acknowledged ones, and takes the rest when resent', async () => {
    const batches = Array.from({ length: 40 }, (_, k) => batch(k));
    const answers = await Promise.all(batches.map(async (b) => {
      const r = await send(b);
      return { status: r.status, retryAfter: r.headers.get('retry-after'), json: await r.json() };
    }));
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 429);
    expect(accepted.length + refused.length).toBe(40);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0); // positive control: the bound admits work, it does not refuse all
    for (const a of refused) {
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(a.json.error).toMatchObject({ code: 'overloaded', message: expect.stringMatching(/^ingest: .*INGEST_MAX_INFLIGHT_BYTES/) });
    }
    for (const a of accepted) expect(a.json.accepted).toBe(500);
    // exactly the acknowledged events are stored: a 429 kept nothing
    const other = answers.filter((a) => a.status !== 202 && a.status !== 429);
    expect(other).toEqual([]);
    await eventually(async () => ((await storedCount(`ov-${stamp}-`)) === accepted.length * 500 ? true : undefined), 60_000);
    await app.ctx.ingest.drain();
    expect(await storedCount(`ov-${stamp}-`)).toBe(accepted.length * 500);
    expect(app.ctx.ingest.inflightRequestBytes).toBe(0); // every admission released

    // a sender that waits Retry-After and resends gets everything in, each event once
    let pending = batches.filter((_, k) => answers[k]!.status === 429);
    for (let round = 0; pending.length && round < 50; round++) {
      const again = await Promise.all(pending.map(async (b) => ({ b, r: await send(b) })));
      pending = again.filter((x) => x.r.status === 429).map((x) => x.b);
      for (const x of again) if (x.r.status === 202) expect((await x.r.json()).accepted).toBe(500);
    }
    expect(pending).toEqual([]);
    await eventually(async () => ((await storedCount(`ov-${stamp}-`)) === 40 * 500 ? true : undefined), 60_000);
  });
});
