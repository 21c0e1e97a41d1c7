/**
 * The cause of issue 9's doubled PRC-05 evidence: a checkpoint captured its seq and the engine's
 * snapshot, waited for the alert writes, and only then serialized the snapshot, whose rule state is
 * the engine's live state. Events evaluated during that wait leaked into a checkpoint that claims an
 * older seq, and the restart replayed them on top of it (counted twice). Here the alert insert is
 * held by the fault-injecting store while events arrive, deterministically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, postEvents, startTestApp, tempDir } from './helpers.js';
import { FaultyStore } from '../sql/faulty-store.js';
import { defaultReference } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let faulty!: FaultyStore;
beforeAll(async () => {
  app = await startTestApp({ CHECKPOINT_INTERVAL_MS: '3600000' }, tempDir(), { wrapStore: (s) => (faulty = new FaultyStore(s)) });
});
afterAll(async () => { await app?.close(); });

describe('engine checkpoints', () => {
  it('what a checkpoint holds when events are evaluated while it waits for the alert writes: only events up to its seq', async () => {
    const [a, b] = defaultReference.officers.filter((o) => o.role === 'tax');
    const t0 = Date.now() - 86400_000;
    const cancels = (who: typeof a, n: number, from: number) => Array.from({ length: n }, (_, i) => ({
      id: `cp-${who!.id}-${i}`, ts: new Date(t0 + (from + i) * 60_000).toISOString(), platform: 'service', bureau: who!.bureau, officer: who!.id,
      matter: defaultReference.matters[0]!.code, item: `cp-item-${who!.id}-${i}`, action: 'cancel',
    }));
    let release!: () => void;
    faulty.add({ action: 'hang-before', op: 'insert', target: 'alerts', nth: 1, until: new Promise<void>((ok) => { release = ok; }) });
    const engine = app.ctx.services.engine;
    // A's burst raises PRC-05 (an alert to write); B has two cancels counted. The checkpoint's flush then waits on the held insert.
    expect((await postEvents(app.url, [...cancels(a, 5, 0), ...cancels(b, 2, 10)])).json.accepted).toBe(7);
    await eventually(async () => (app.ctx.services.sink.unstored > 0 ? true : undefined));
    const checkpoint = engine.checkpoint();
    await eventually(async () => (faulty.hanging === 1 ? true : undefined));
    // Two more of B's cancels are evaluated while the checkpoint waits (positive control: the live state has them).
    expect((await postEvents(app.url, cancels(b, 4, 10).slice(2))).json.accepted).toBe(2);
    await eventually(async () => (JSON.stringify(engine.engine.snapshot()).includes(`cp-${b!.id}-3`) ? true : undefined));
    release();
    await checkpoint;
    const cp = JSON.parse(readFileSync(join(app.dataDir, 'engine', 'checkpoint.json'), 'utf8')) as { seq: number; snapshot: unknown };
    const [later] = await app.ctx.store.query<{ s: number }>('SELECT min(seq) AS s FROM events WHERE id IN {ids:Array(String)}', { ids: [`cp-${b!.id}-2`, `cp-${b!.id}-3`] });
    expect(cp.seq).toBeLessThan(Number(later!.s));
    const text = JSON.stringify(cp.snapshot);
    expect(text).not.toContain(`cp-${b!.id}-2`);
    expect(text).not.toContain(`cp-${b!.id}-3`);
    // and the checkpoint does hold what it covers: B's first two cancels
    expect(text).toContain(`cp-${b!.id}-0`);
    expect(text).toContain(`cp-${b!.id}-1`);
  }, 60_000);
});
