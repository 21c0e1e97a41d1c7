import { describe, expect, it } from 'vitest';
import type { Alert, OpEvent } from '../types.js';
import { IndicatorEngine } from './engine.js';
import { defaultCatalog } from '../catalog/index.js';
import { coreKeys, loadExampleEvents, loadExampleReference, loadExpected } from './testing/fixtures.js';

const CFG = { latenessMs: 5000, idleMs: 2000 };
const FAR = Date.parse('2030-01-01T00:00:00Z');

function runAll(events: OpEvent[], arrival: (e: OpEvent, i: number) => number): Alert[] {
  const eng = new IndicatorEngine(defaultCatalog, loadExampleReference(), CFG);
  const out: Alert[] = [];
  events.forEach((e, i) => out.push(...eng.onEvent(e, arrival(e, i))));
  out.push(...eng.onTick(FAR));
  return out;
}

describe('IndicatorEngine on the spec examples', () => {
  it('what it does when the example events are fed in order: exactly the expected core alerts', () => {
    const alerts = runAll(loadExampleEvents(), (e) => e.ts);
    expect(coreKeys(alerts)).toEqual(coreKeys(loadExpected()));
  });

  it('what it does when events are shuffled within the lateness: the same core alerts', () => {
    const sorted = loadExampleEvents();
    // arrival order = ts + random jitter < L: every event arrives within L of the newest ts seen
    for (let seed = 1; seed <= 20; seed++) {
      let s = seed;
      const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      // shuffle: sort by ts + random jitter smaller than L
      const shuffled = sorted.map((e) => ({ e, k: e.ts + rnd() * 4999 })).sort((a, b) => a.k - b.k).map((x) => x.e);
      const alerts = runAll(shuffled, (e) => e.ts);
      expect(coreKeys(alerts)).toEqual(coreKeys(loadExpected()));
    }
  });

  it('what it does when the whole example arrives at once out of order within the lateness: same core alerts', () => {
    const ref = loadExampleReference();
    // compress event times so that all fit within L, keeping relative order; reverse arrival
    const sorted = loadExampleEvents();
    const eng = new IndicatorEngine(defaultCatalog, ref, { latenessMs: 10 * 365 * 86_400_000, idleMs: 2000 });
    const out: Alert[] = [];
    for (const e of [...sorted].reverse()) out.push(...eng.onEvent(e, 0));
    out.push(...eng.onTick(FAR * 10));
    expect(coreKeys(out)).toEqual(coreKeys(loadExpected()));
  });

  it('what it does when the engine is snapshotted half way and restored from JSON: identical alert ids', () => {
    const events = loadExampleEvents();
    const full = runAll(events, (e) => e.ts).map((a) => a.id).sort();
    const ref = loadExampleReference();
    const a = new IndicatorEngine(defaultCatalog, ref, CFG);
    const out: Alert[] = [];
    const half = Math.floor(events.length / 2);
    for (let i = 0; i < half; i++) out.push(...a.onEvent(events[i], events[i].ts));
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = IndicatorEngine.restore(snap, defaultCatalog, ref, CFG);
    expect(b.watermark).toBe(a.watermark);
    expect(b.stats()).toEqual(a.stats());
    for (let i = half; i < events.length; i++) out.push(...b.onEvent(events[i], events[i].ts));
    out.push(...b.onTick(FAR));
    expect(out.map((x) => x.id).sort()).toEqual(full);
  });

  it('what it does when an alert is built: stable id, subject bureau, zh/en message, open status', () => {
    const alerts = runAll(loadExampleEvents(), (e) => e.ts);
    const again = runAll(loadExampleEvents(), (e) => e.ts + 1000);
    expect(alerts.map((a) => a.id).sort()).toEqual(again.map((a) => a.id).sort());
    const prc02 = alerts.find((a) => a.indicator === 'PRC-02' && a.evidence[0] === 'e3-6uo')!;
    expect(prc02.officer).toBe('GHOST-9');
    expect(prc02.bureau).toBe('B05'); // unknown officer: the event's bureau
    expect(prc02.status).toBe('open');
    expect(prc02.message.zh).toContain('GHOST-9');
    expect(prc02.message.en).toContain('1500');
    expect(prc02.id).toMatch(/^[0-9a-f]{32}$/);
    const tsk01 = alerts.find((a) => a.indicator === 'TSK-01')!;
    expect(tsk01.ts).toBe(Date.parse('2026-08-05T09:00:00+08:00'));
    expect(tsk01.officer).toBe('B02-T2');
    expect(tsk01.detected_at).toBeGreaterThan(tsk01.ts); // decided once W passed the deadline
  });
});
