import { describe, expect, it } from 'vitest';
import type { Alert, IngestedEvent } from '../types.js';
import { ReferenceIndex } from '../reference/index.js';
import { defaultCatalog } from '../catalog/index.js';
import { IndicatorEngine, type EngineSnapshot, type RulePosition } from './engine.js';
import { defaultReference } from '../reference/default-data.js';
import { LiveSimulator } from '../simulator/live.js';

const CFG = { latenessMs: 5000, idleMs: 2000 };

/** The live simulator's traffic (risky patterns included, some events late) as accepted events: seq and arrival time. */
function accepted(): { ref: ReferenceIndex; events: IngestedEvent[] } {
  let now = Date.parse('2026-07-07T09:00:00+08:00');
  const sim = new LiveSimulator({ reference: defaultReference, ratePerSecond: 100, seed: 5, clock: () => now });
  const events: IngestedEvent[] = [];
  for (let s = 0; s < 600; s++) {
    now += 1000;
    for (const e of sim.next(now)) events.push({ ...e, seq: events.length + 1, arrivedAt: now } as IngestedEvent);
  }
  return { ref: new ReferenceIndex(defaultReference, 1), events };
}

/** What the live pipeline and the service's replay both do per event: a tick at the arrival time, then the event. */
function feed(engine: IndicatorEngine, evs: readonly IngestedEvent[], out: Alert[]): void {
  for (const ev of evs) {
    out.push(...engine.onTick(ev.arrivedAt));
    out.push(...engine.onEvent(ev, ev.arrivedAt));
  }
}

/**
 * The service's capture, rule by rule (server/engine/service.ts): the head at event `at`, then each
 * rule's state and position after `step` more events. Returns the snapshot as JSON gives it back.
 */
function captureRuleByRule(engine: IndicatorEngine, evs: readonly IngestedEvent[], at: number, step: number, out: Alert[]): { snap: EngineSnapshot; seq: number; next: number } {
  let i = at;
  const { head, rules } = engine.snapshotParts();
  const headJson = JSON.stringify(head);
  const seq = evs[at - 1]!.seq;
  const captured: EngineSnapshot['rules'] = {};
  for (const r of rules) {
    feed(engine, evs.slice(i, i + step), out);
    i += step;
    const pos: RulePosition = { seq: evs[i - 1]!.seq, ...engine.bufferPosition() };
    captured[r.id] = JSON.parse(JSON.stringify({ version: r.version, state: r.state(), pos: [...r.had, pos] }));
  }
  return { snap: { ...JSON.parse(headJson), rules: captured }, seq, next: i };
}

const rulesOf = (e: IndicatorEngine) => JSON.parse(JSON.stringify(e.snapshot().rules)) as EngineSnapshot['rules'];
const ids = (alerts: Alert[]) => [...new Set(alerts.map((a) => a.id))].sort();

describe('IndicatorEngine restored from a checkpoint captured rule by rule while events kept coming', () => {
  const { ref, events } = accepted();
  const end = events.at(-1)!.arrivedAt + 400 * 86_400_000;
  const uninterrupted = (() => {
    const e = new IndicatorEngine(defaultCatalog, ref, CFG);
    const out: Alert[] = [];
    feed(e, events, out);
    const state = rulesOf(e);
    out.push(...e.onTick(end));
    return { state, alerts: ids(out) };
  })();

  it('what the restored engine ends with after replaying from the head: the state and the alerts of one uninterrupted run; without the positions, neither', () => {
    expect(uninterrupted.alerts.length).toBeGreaterThan(50);
    const live = new IndicatorEngine(defaultCatalog, ref, CFG);
    const before: Alert[] = [];
    feed(live, events.slice(0, 20_000), before);
    // 109 rules, 200 events between two of them: the last rule is captured 21,800 events after the head
    const cap = captureRuleByRule(live, events, 20_000, 200, before);
    expect(cap.next - 20_000).toBe(defaultCatalog.filter((d) => d.enabled).length * 200);
    feed(live, events.slice(cap.next, cap.next + 500), before); // then a crash

    const restore = (snap: EngineSnapshot) => {
      const r = IndicatorEngine.restore(snap, defaultCatalog, ref, CFG);
      const out: Alert[] = [];
      // the replay from the head's seq, then the rest of the traffic
      feed(r, events.filter((e) => e.seq > cap.seq), out);
      return { r, out };
    };
    const { r, out } = restore(cap.snap);
    expect(rulesOf(r)).toEqual(uninterrupted.state);
    out.push(...r.onTick(end));
    expect(ids([...before, ...out])).toEqual(uninterrupted.alerts);
    expect(r.catchingUp).toBe(false);

    // control: the same states restored as if all were at the head count the events between twice
    const stripped = JSON.parse(JSON.stringify(cap.snap)) as EngineSnapshot;
    for (const s of Object.values(stripped.rules)) delete s.pos;
    expect(rulesOf(restore(stripped).r)).not.toEqual(uninterrupted.state);
  });

  it('what a second checkpoint taken while restored rules still catch up keeps: where they stood, so a second restore still equals the uninterrupted run', () => {
    const live = new IndicatorEngine(defaultCatalog, ref, CFG);
    const out: Alert[] = [];
    feed(live, events.slice(0, 20_000), out);
    const cap = captureRuleByRule(live, events, 20_000, 50, out);
    // restore, replay only up to where the capture ended, and checkpoint again at once (at the head)
    const r1 = IndicatorEngine.restore(cap.snap, defaultCatalog, ref, CFG);
    feed(r1, events.slice(20_000, cap.next), out);
    expect(r1.catchingUp).toBe(true); // events the late rules already had are still buffered
    const second = JSON.parse(JSON.stringify(r1.snapshot())) as EngineSnapshot;
    expect(Object.values(second.rules).some((s) => s.pos?.length)).toBe(true);
    const r2 = IndicatorEngine.restore(second, defaultCatalog, ref, CFG);
    feed(r2, events.slice(cap.next), out);
    expect(rulesOf(r2)).toEqual(uninterrupted.state);
    out.push(...r2.onTick(end));
    expect(ids(out)).toEqual(uninterrupted.alerts);
  });
});
