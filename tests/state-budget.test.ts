/**
 * The engine's state budget on a real server (server/engine/state-budget.ts, docs/reliability.md
 * "State budget"): over ENGINE_STATE_MAX_ENTRIES keyed entries the engine forgets its oldest state,
 * and GET /api/health says so (degraded, with the cutoff) instead of the heap filling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postEvents, startTestApp } from './helpers.js';
import { defaultReference } from '../streams/reference/default-data.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => { app = await startTestApp({ ENGINE_STATE_MAX_ENTRIES: '40', ENGINE_STATE_CHECK_MS: '3600000' }); });
afterAll(async () => { await app?.close(); });

const health = async () => (await fetch(`${app.url}/api/health`)).json() as Promise<Record<string, any>>;

describe('engine state budget', () => {
  it('what the server does when its keyed state passes the budget: forgets the oldest part, and health is degraded naming the cutoff', async () => {
    const o = defaultReference.officers.find((x) => x.role === 'tax')!;
    const matter = defaultReference.matters.find((m) => !m.power)!.code;
    const day = 86_400_000, t0 = Date.now() - 40 * day;
    // accepts of 30 items spread over 40 days (each leaves keyed state in several rules), the last now-ish
    const events = Array.from({ length: 30 }, (_, i) => ({
      id: `sb-${i}`, ts: new Date(t0 + i * (40 / 30) * day).toISOString(), platform: 'service', bureau: o.bureau, officer: o.id,
      matter, item: `sb-item-${i}`, action: 'accept',
    }));
    expect((await postEvents(app.url, events)).json.accepted).toBe(30);
    const before = await eventually(async () => { const h = await health(); return h.engine_keyed_entries > 40 && h.alerts_unstored === 0 ? h : undefined; }, 30_000);
    // positive control: over budget, but not checked yet (the periodic check is an hour away here): ok
    expect(before.status).toBe('ok');
    expect(before.engine_state_budget).toMatchObject({ max_entries: 40, sheds: 0, last: null });
    app.ctx.services.engine.enforceStateBudget();
    const after = await health();
    expect(after.engine_keyed_entries).toBeLessThanOrEqual(28);
    expect(after.engine_state_budget.sheds).toBe(1);
    expect(after.engine_state_budget.last.entries_before).toBe(before.engine_keyed_entries);
    expect(after.status).toBe('degraded');
    expect(after.reasons.join('\n')).toMatch(/engine state: over its budget of 40 keyed entries .* state last touched before .* was forgotten/);
    // under budget now: a second check sheds nothing more
    app.ctx.services.engine.enforceStateBudget();
    expect((await health()).engine_state_budget.sheds).toBe(1);
  }, 60_000);
});

describe('memory in health', () => {
  it('what health reports of the embedded store: its tracked memory in MiB, sampled from the store itself, beside the process figures', async () => {
    const h = await eventually(async () => { const x = await health(); return typeof x.memory.store_tracked_mib === 'number' ? x : undefined; }, 30_000);
    expect(h.memory.store_tracked_mib).toBeGreaterThan(0);
    expect(h.memory.rss_mib).toBeGreaterThan(h.memory.heap_used_mib);
  });
});
