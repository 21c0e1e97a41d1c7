import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { defaultCatalog } from '../../streams/catalog/index.js';
import { defaultReference } from '../../streams/reference/default-data.js';
import { ReferenceIndex } from '../../streams/reference/index.js';
import { IndicatorEngine, type EngineSnapshot } from '../../streams/engine/engine.js';
import type { IngestedEvent } from '../../streams/types.js';
import { LiveSimulator } from '../../streams/simulator/live.js';
import { serializeInSlices, type SliceClock } from './checkpoint.js';
import { IntakeGate } from './intake-gate.js';

/** A clock that moves 1 ms each time it is read, and counts the yields asked of it. */
function steppingClock(onYield: () => void = () => {}): SliceClock & { yields: number } {
  let t = 0;
  const c = { yields: 0, now: () => t++, yield: async () => { c.yields++; onYield(); } };
  return c;
}

function engineWithState(): IndicatorEngine {
  let now = Date.parse('2026-07-07T10:00:00+08:00');
  const sim = new LiveSimulator({ reference: defaultReference, ratePerSecond: 200, seed: 3, clock: () => now });
  const eng = new IndicatorEngine(defaultCatalog, new ReferenceIndex(defaultReference, 1), { latenessMs: 5000, idleMs: 2000 });
  for (let s = 0; s < 120; s++) { now += 1000; for (const e of sim.next(now)) eng.onEvent(e, now); eng.onTick(now); }
  return eng;
}

describe('serializeInSlices', () => {
  it('what it writes when a large engine state is cut into slices: the same checkpoint JSON.stringify gives, with yields between slices', async () => {
    const eng = engineWithState();
    expect(eng.stats().keyedItems).toBeGreaterThan(1000);
    const { head, rules } = eng.snapshotParts();
    const clock = steppingClock();
    const out = await serializeInSlices({ seq: 42, written_at: 7, head, rules }, clock, 5);
    const whole = JSON.parse(JSON.stringify({ seq: 42, written_at: 7, snapshot: eng.snapshot() }));
    expect(JSON.parse(out.parts.join(''))).toEqual(whole);
    expect(out.slices).toBeGreaterThan(10);
    expect(clock.yields).toBe(out.slices - 1);
    // positive control: without a time limit there is one slice and no yield
    const once = steppingClock();
    const all = await serializeInSlices({ seq: 42, written_at: 7, head, rules }, once, Infinity);
    expect(once.yields).toBe(0);
    expect(all.slices).toBe(1);
    expect(all.parts.join('')).toBe(out.parts.join(''));
    // and the restored engine gives back the same snapshot
    const back = IndicatorEngine.restore(JSON.parse(out.parts.join('')).snapshot, defaultCatalog, new ReferenceIndex(defaultReference, 1), eng.config);
    expect(JSON.parse(JSON.stringify(back.snapshot()))).toEqual(whole.snapshot);
  });
});

describe('serializeInSlices rule by rule', () => {
  it('what a capture with per-rule hooks gives while events reach the engine between rules: each rule with its position, and a restore plus replay from the head equal to an uninterrupted run', async () => {
    let now = Date.parse('2026-07-07T09:00:00+08:00');
    const sim = new LiveSimulator({ reference: defaultReference, ratePerSecond: 100, seed: 9, clock: () => now });
    const events: IngestedEvent[] = [];
    for (let s = 0; s < 500; s++) { now += 1000; for (const e of sim.next(now)) events.push({ ...e, seq: events.length + 1, arrivedAt: now } as IngestedEvent); }
    const ref = new ReferenceIndex(defaultReference, 1);
    const cfg = { latenessMs: 5000, idleMs: 2000 };
    const feed = (eng: IndicatorEngine, evs: IngestedEvent[]) => { for (const ev of evs) { eng.onTick(ev.arrivedAt); eng.onEvent(ev, ev.arrivedAt); } };
    const whole = new IndicatorEngine(defaultCatalog, ref, cfg);
    feed(whole, events);

    const live = new IndicatorEngine(defaultCatalog, ref, cfg);
    let fed = 15_000;
    feed(live, events.slice(0, fed));
    const { head, rules } = live.snapshotParts();
    let paused = false, befores = 0;
    const out = await serializeInSlices({ seq: events[fed - 1]!.seq, written_at: 7, head, rules }, steppingClock(), 5, {
      before: () => { paused = true; befores++; return { seq: events[fed - 1]!.seq, ...live.bufferPosition() }; },
      // between two rules the held events go through the engine (here: 100 of them)
      after: (_rule, pausedMs) => { expect(paused).toBe(true); expect(pausedMs).toBeGreaterThanOrEqual(0); paused = false; feed(live, events.slice(fed, fed + 100)); fed += 100; },
    });
    expect(befores).toBe(rules.length);
    expect(fed).toBe(15_000 + 100 * rules.length);
    const cp = JSON.parse(out.parts.join('')) as { seq: number; snapshot: EngineSnapshot };
    expect(cp.seq).toBe(15_000);
    const last = cp.snapshot.rules[rules.at(-1)!.id]!;
    expect(last.pos).toEqual([expect.objectContaining({ seq: fed - 100 })]);
    const back = IndicatorEngine.restore(cp.snapshot, defaultCatalog, ref, cfg);
    feed(back, events.slice(cp.seq));
    expect(JSON.parse(JSON.stringify(back.snapshot()))).toEqual(JSON.parse(JSON.stringify(whole.snapshot())));
  });
});

describe('IntakeGate', () => {
  it('what reaches the engine while a capture pauses the gate: nothing until resume, then everything held, in order, before what arrives during the resume', async () => {
    const src = new Subject<number>();
    const seen: number[] = [];
    let during = 100;
    const clock = steppingClock(() => { src.next(during++); });
    const gate = new IntakeGate<number>(clock, 0);
    const sub = src.pipe(gate.stage()).subscribe((v) => seen.push(v));
    src.next(1);
    expect(seen).toEqual([1]); // positive control: open, it passes at once
    gate.pause();
    for (let i = 2; i < 600; i++) src.next(i);
    expect(seen).toEqual([1]);
    expect(gate.heldCount).toBe(598);
    const resumed = gate.resume();
    expect(gate.paused).toBe(true);
    await resumed;
    expect(gate.paused).toBe(false);
    expect(clock.yields).toBeGreaterThan(0);
    // each yield let one new value arrive: it queued behind the held ones
    const expected = [...Array.from({ length: 599 }, (_, i) => i + 1), ...Array.from({ length: clock.yields }, (_, i) => 100 + i)];
    expect(seen).toEqual(expected);
    src.next(-1);
    expect(seen.at(-1)).toBe(-1);
    sub.unsubscribe();
  });

  it('what happens when a capture pauses the gate while it is still handing on held events: nothing more reaches the engine until the next resume, and the order holds', async () => {
    const src = new Subject<number>();
    const seen: number[] = [];
    let gate!: IntakeGate<number>;
    let paused = false;
    // at the first yield of the hand-on, a new capture pauses the gate
    const clock = steppingClock(() => { if (!paused) { paused = true; gate.pause(); } });
    gate = new IntakeGate<number>(clock, 0);
    const sub = src.pipe(gate.stage()).subscribe((v) => seen.push(v));
    gate.pause();
    for (let i = 0; i < 1000; i++) src.next(i);
    await gate.resume();
    expect(seen).toEqual(Array.from({ length: 256 }, (_, i) => i)); // one slice, then held again
    expect(gate.paused).toBe(true);
    expect(gate.heldCount).toBe(744);
    await gate.resume();
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(gate.paused).toBe(false);
    sub.unsubscribe();
  });
});
