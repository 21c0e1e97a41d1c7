import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import type { OpEvent } from '../types.js';
import { createIndicatorPipeline } from './pipeline.js';
import { engineFor } from './testing/harness.js';
import { ev, smallReference } from './testing/fixtures.js';
import { ReferenceIndex } from '../reference/index.js';

// Virtual time: 1 frame = 1 ms; event ts = virtual arrival time unless stated.
const L = 5000;

/** the small reference plus a matter whose standard time is 36 s, to keep virtual time short */
function reference(): ReferenceIndex {
  const d = smallReference().data;
  return new ReferenceIndex({ ...d, matters: [...d.matters, { ...d.matters[4], code: 'QK', standard_hours: 0.01 }] });
}

function setup(ids: string[]) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const engine = engineFor(ids, reference(), { latenessMs: L, idleMs: 2000 });
  const pipeline = createIndicatorPipeline({ engine, clock: () => scheduler.now(), scheduler }, { tickMs: 1000 });
  const summary = map((alerts: { indicator: string; evidence: string[] }[]) => alerts.map((a) => `${a.indicator}:${a.evidence.join('+')}`).join(','));
  return { scheduler, pipeline, summary };
}

describe('createIndicatorPipeline (marbles)', () => {
  it('what it does when an event matches a per-event rule: the alert comes out in the same frame', () => {
    const { scheduler, pipeline, summary } = setup(['TSK-02']);
    scheduler.run(({ cold, expectObservable }) => {
      const a = ev({ id: 'a', action: 'assign', attrs: { mode: 'manual' } }, 10);
      const events = cold<OpEvent>('10ms a 100ms |', { a });
      expectObservable(events.pipe(pipeline, summary)).toBe('10ms x 100ms |', { x: 'TSK-02:a' });
    });
  });

  it('what it does with a ts-ordered rule: the alert waits until W passes the trigger (lateness L)', () => {
    const { scheduler, pipeline, summary } = setup(['PRC-04']);
    scheduler.run(({ cold, expectObservable }) => {
      const c = ev({ id: 'c', action: 'complete' }, 0);
      const m = ev({ id: 'm', action: 'modify' }, 100);
      const z = ev({ id: 'z', item: 'Z', action: 'handle' }, 5101); // W = 101 > 100
      const events = cold<OpEvent>('c 99ms m 5000ms z 10s |', { c, m, z });
      // the modify arrives at 100 but is only decided when z moves W past 100, at frame 5101
      expectObservable(events.pipe(pipeline, summary)).toBe('5101ms x 10s |', { x: 'PRC-04:c+m' });
    });
  });

  it('what it does on a quiet stream: the idle tick advances W with the clock and fires a TSK-01 deadline', () => {
    const { scheduler, pipeline, summary } = setup(['TSK-01']);
    scheduler.run(({ cold, expectObservable }) => {
      // QK: standard_hours 0.01 → deadline at 36 000; W = clock − L once idle; the first tick with
      // W > deadline needs clock ≥ 41 001; ticks come every 1000 ms from subscription → 42 000
      const i = ev({ id: 'i', action: 'issue', officer: 'system', matter: 'QK' }, 0);
      const events = cold<OpEvent>('i 60s |', { i });
      expectObservable(events.pipe(pipeline, summary)).toBe('42s x 18000ms |', { x: 'TSK-01:i' });
    });
  });

  it('what it does when events arrive out of order within the lateness: the same alerts as sorted input', () => {
    const mk = () => [0, 1, 2, 3, 4].map((k) => ev({ id: `c${k}`, item: `I${k}`, action: 'cancel', officer: 'B1-O1' }, 1000 + k * 500));
    const run = (order: number[]) => {
      const { scheduler, pipeline, summary } = setup(['PRC-05']);
      const evs = mk();
      const got: string[] = [];
      scheduler.run(({ cold, flush }) => {
        // each event arrives 200 ms after the previous one, in the given order (all within L of the newest)
        const marble = order.map(() => 'e').map((_, k) => String.fromCharCode(97 + k)).join(' 199ms ') + ' 20s |';
        const values = Object.fromEntries(order.map((o, k) => [String.fromCharCode(97 + k), evs[o]]));
        cold<OpEvent>(marble, values).pipe(pipeline, summary).subscribe((s) => got.push(s));
        flush();
      });
      return got;
    };
    const sorted = run([0, 1, 2, 3, 4]);
    expect(sorted).toEqual(['PRC-05:c0+c1+c2+c3+c4']);
    expect(run([4, 2, 0, 3, 1])).toEqual(sorted);
    expect(run([3, 4, 1, 2, 0])).toEqual(sorted);
  });
});
