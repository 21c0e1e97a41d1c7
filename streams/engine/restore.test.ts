import { describe, expect, it } from 'vitest';
import type { Alert, OpEvent } from '../types.js';
import { ReferenceIndex } from '../reference/index.js';
import { defaultCatalog } from '../catalog/index.js';
import { IndicatorEngine } from './engine.js';
import { benchEvents, benchReference } from '../../bench/indicators.js';
import { jitter } from './testing/harness.js';

const CFG = { latenessMs: 5000, idleMs: 2000 };

/** synthetic clean items plus a few injected patterns, sorted by (ts, id) */
function data(): { ref: ReferenceIndex; events: OpEvent[] } {
  const refData = benchReference();
  const events = benchEvents(refData, 3000, 3);
  // inject: one officer cancels 6 items within 30 min; a manual assignment on power matters
  const power = refData.matters.find((m) => m.power)!;
  const t = events[500].ts;
  for (let i = 0; i < 6; i++) events.push({ id: `x-c${i}`, ts: t + i * 5 * 60_000, platform: 'collection', bureau: 'B01', officer: 'B01-O3', matter: power.code, item: `X${i}`, action: 'cancel', attrs: { reason: 'r' } });
  events.push({ id: 'x-a', ts: t + 7, platform: 'collection', bureau: 'B01', officer: 'B01-O19', matter: power.code, item: 'X9', action: 'assign', attrs: { mode: 'manual' } });
  events.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
  return { ref: new ReferenceIndex(refData), events };
}

function runThrough(engine: IndicatorEngine, events: OpEvent[]): Alert[] {
  const out: Alert[] = [];
  for (const e of events) out.push(...engine.onEvent(e, e.ts));
  return out;
}

describe('IndicatorEngine restarts and ordering on synthetic traffic with the full catalog', () => {
  const { ref, events } = data();
  const end = events[events.length - 1].ts + 400 * 86_400_000;
  const full = (() => {
    const e = new IndicatorEngine(defaultCatalog, ref, CFG);
    const out = runThrough(e, events);
    out.push(...e.onTick(end));
    return out.map((a) => a.id).sort();
  })();

  it('what it does when restored from a JSON snapshot at several points: the same alert ids, none lost, none repeated', () => {
    expect(full.length).toBeGreaterThan(0);
    expect(new Set(full).size).toBe(full.length);
    for (const cut of [1, 777, Math.floor(events.length / 2), events.length - 3]) {
      const a = new IndicatorEngine(defaultCatalog, ref, CFG);
      const out = runThrough(a, events.slice(0, cut));
      const snap = JSON.parse(JSON.stringify(a.snapshot()));
      const b = IndicatorEngine.restore(snap, defaultCatalog, ref, CFG);
      out.push(...runThrough(b, events.slice(cut)));
      out.push(...b.onTick(end));
      expect(out.map((x) => x.id).sort()).toEqual(full);
    }
  });

  it('what it does with a snapshot that is not an engine snapshot of format 1: refuses it (the service then replays everything)', () => {
    const a = new IndicatorEngine(defaultCatalog, ref, CFG);
    runThrough(a, events.slice(0, 500));
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    expect(() => IndicatorEngine.restore(snap, defaultCatalog, ref, CFG)).not.toThrow(); // positive control
    expect(() => IndicatorEngine.restore({ ...snap, v: 2 }, defaultCatalog, ref, CFG)).toThrow(/format 1/);
    expect(() => IndicatorEngine.restore({ ...snap, buffer: undefined }, defaultCatalog, ref, CFG)).toThrow(/format 1/);
  });

  it('what it does when the arrival order is shuffled within the lateness: the same alerts', () => {
    for (const seed of [11, 12]) {
      const e = new IndicatorEngine(defaultCatalog, ref, CFG);
      const out = runThrough(e, jitter(events, 4900, seed));
      out.push(...e.onTick(end));
      expect(out.map((a) => a.id).sort()).toEqual(full);
    }
  });
});
