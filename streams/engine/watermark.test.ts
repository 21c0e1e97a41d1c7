import { describe, expect, it } from 'vitest';
import { Watermark } from './watermark.js';
import { EventHeap } from './heap.js';
import type { OpEvent } from '../types.js';

describe('Watermark', () => {
  it('what it does when events arrive: W = newest ts − L, never back, late when ts < W', () => {
    const w = new Watermark(5000, 2000);
    expect(w.arrive(100_000, 0)).toBe(false);
    expect(w.w).toBe(95_000);
    expect(w.arrive(90_000, 1)).toBe(true); // 90 000 < 95 000
    expect(w.w).toBe(95_000); // never back
    expect(w.arrive(95_000, 2)).toBe(false); // ts = W is not late
    expect(w.passes(94_999)).toBe(true);
    expect(w.passes(95_000)).toBe(false);
  });

  it('what it does when the stream is idle: nothing before I, then min(clock − L, newest − L + idle)', () => {
    const w = new Watermark(5000, 2000);
    w.arrive(1_000_000, 50_000); // arrival clock ahead of event time by 49 s… replay of history
    expect(w.tick(51_999)).toBe(false);
    expect(w.w).toBe(995_000);
    // idle 3 s: min(clock − L, newest − L + idle) = min(48 000, 998 000) → no move (W never goes back)
    expect(w.tick(53_000)).toBe(false);
    const live = new Watermark(5000, 2000);
    live.arrive(1_000_000, 1_000_000);
    expect(live.tick(1_003_000)).toBe(true);
    expect(live.w).toBe(998_000); // min(998 000, 995 000 + 3 000)
    const paused = new Watermark(5000, 2000);
    paused.arrive(1_000_000, 2_000_000); // a replay far behind the clock
    paused.tick(2_010_000);
    expect(paused.w).toBe(1_005_000); // moves by the idle time only, not to the present
  });

  it('what it does when serialised: JSON-safe, infinities as null', () => {
    const w = new Watermark(5000, 2000);
    expect(JSON.parse(JSON.stringify(w.toJSON()))).toEqual({ w: null, newest: null, lastArrival: null });
    w.arrive(10, 20);
    const c = new Watermark(5000, 2000);
    c.load(JSON.parse(JSON.stringify(w.toJSON())));
    expect([c.w, c.newest, c.lastArrival]).toEqual([w.w, w.newest, w.lastArrival]);
  });
});

describe('EventHeap (reorder buffer)', () => {
  it('what it does with events pushed in any order: pops by (ts, id)', () => {
    const h = new EventHeap();
    const e = (id: string, ts: number) => ({ id, ts }) as OpEvent;
    for (const x of [e('b', 2), e('a', 2), e('c', 1), e('d', 3), e('a0', 1)]) h.push(x);
    const out: string[] = [];
    while (h.size) out.push(h.pop()!.id);
    expect(out).toEqual(['a0', 'c', 'a', 'b', 'd']);
  });
});
