/**
 * Live event source for demos: call `next(now)` every ~250 ms; it returns the events that fell
 * due since the previous call (previous now < ts ≤ now), sorted by (ts, id).
 *
 * - Rate: new items start as a Poisson process sized so that about `ratePerSecond` events
 *   come out in total, around the clock (the mean events per item is measured as it runs).
 *   A warm start (default) plans the previous hours' items at construction, so the rate holds
 *   from the first call; items begun before the start show only their later steps (never
 *   their issue, so no TSK-01/INS-02 for them), and power-matter ones are left out (no
 *   false PRC-03 from an approve before the start).
 * - Off-hours (Asia/Shanghai, outside Mon–Fri 08–18) traffic keeps the rate but is mostly
 *   system routines, non-power work and ratings; power-matter officer steps (approve,
 *   complete, …) wait for the next working time, so SVC-01 stays rare (injected only).
 * - Live compression: an item's whole plan takes 5–180 minutes (working minutes on power
 *   matters) instead of days; INS-01's three items of one taxpayer come 10–90 min apart;
 *   PRC-04's late modify 5–60 min after completion. Deadlines are not compressed (they come
 *   from the matter catalog): an abandoned item (TSK-01) fires at issue + standard_hours, so
 *   ≥ 24 h after it started. To see overdue alerts sooner, pass `pending` (the in-flight tail
 *   of `generateHistoryDetailed` ending at the live start): those items continue live, and
 *   the history's abandoned items reach their deadlines within hours.
 * - Memory: the time-ordered pending queue is capped (`maxPending`, default 100 000
 *   events, or 60 s of events above ~1,700 events/s); at the cap no new items start until it
 *   drains. Above ~24 events/s item durations are compressed further (factor
 *   0.6·maxPending / (rate·2500 s)) so the steady queue fits the cap (at 5,000 events/s:
 *   ~200 000 events, 2/3 of it). At such
 *   compression whole items take seconds, so the "approved within minutes" indicators
 *   (SVC-13, FIL-15, PRC-12, PRC-23) fire on many of them: a high-rate run is a load test,
 *   not a realistic alert mix.
 */
import type { OpEvent, ReferenceData } from '../types.js';
import { RATES, Simulator, compareEvents } from './generator.js';

export interface LiveOptions {
  reference: ReferenceData;
  /** Target events per second, in total. */
  ratePerSecond: number;
  seed?: number;
  /** Epoch-ms clock; read once at construction as the start time. */
  clock: () => number;
  /** Future events to continue (e.g. `generateHistoryDetailed(...).pending`); those before the start are dropped. */
  pending?: OpEvent[];
  maxPending?: number;
  /**
   * Default true: plan the items of the last few hours at construction and keep only their
   * events after the start, so the stream runs at full rate from the first call (some items
   * then appear mid-way, without their `issue`). Nothing is ever emitted before the start.
   */
  warmStart?: boolean;
}

class EventHeap {
  private a: OpEvent[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): OpEvent | undefined {
    return this.a[0];
  }
  push(e: OpEvent): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compareEvents(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): OpEvent | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && compareEvents(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && compareEvents(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Longest stretch of missed time that is caught up with new items (a paused process does not flood). */
const MAX_CATCH_UP_MS = 60_000;
/** Longest warm-up: live items plan at most ~3 h ahead (plus ratings), so this reaches the steady state. */
const WARM_MS = 4 * 3_600_000;

export class LiveSimulator {
  private readonly heap = new EventHeap();
  private readonly sim: Simulator;
  private readonly rate: number;
  private readonly maxPending: number;
  private last: number;
  private nextStart: number;
  /** Running mean of planned events per started item. */
  private perItem = 7;

  constructor(opts: LiveOptions) {
    const seed = opts.seed ?? 1;
    this.rate = Math.max(0, opts.ratePerSecond);
    // at high rates the compressed plans keep ~40 s of events ahead: a fixed cap would stop new items (and the rate)
    this.maxPending = opts.maxPending ?? Math.max(100_000, 60 * this.rate);
    this.last = Math.floor(opts.clock());
    const tag = this.last.toString(36);
    // Only events after the previous now are kept (warm-up plans items in the past).
    // While warming up, power-matter items are replaced by non-power ones: seeing their complete
    // without the approve made before the start would raise a false PRC-03.
    let warming = false;
    const power = new Set(opts.reference.matters.filter((m) => m.power).map((m) => m.code));
    const sink = (e: OpEvent) => {
      if (e.ts > this.last && !(warming && power.has(e.matter))) this.heap.push(e);
    };
    this.sim = new Simulator(opts.reference, seed, 'live', `sim-${seed}-L${tag}`, `I${seed}-L${tag}`, sink);
    // At high rates, compress live items further so the steady queue (≈ rate × 2,500 s) fits the cap.
    if (this.rate > 0) this.sim.liveScale = Math.min(1, (0.6 * this.maxPending) / (this.rate * 2500));
    for (const e of opts.pending ?? []) if (e.ts > this.last && this.heap.size < this.maxPending) this.heap.push(e);
    this.nextStart = this.last + this.gap();
    if (opts.warmStart !== false && this.rate > 0) {
      const warm = Math.min(WARM_MS, ((2 * this.maxPending) / this.rate) * 1000);
      let t = Math.ceil(this.last - warm);
      warming = this.sim.avoidPower = true;
      while (t <= this.last) {
        this.startAt(Math.ceil(t));
        t += this.gap();
      }
      warming = this.sim.avoidPower = false;
      this.nextStart = t;
    }
  }

  private startAt(t: number): void {
    if (this.heap.size >= this.maxPending) return;
    const before = this.sim.stats.events;
    this.sim.startItem(t);
    if (this.sim.rng.chance(RATES['PRC-05-live'])) this.sim.startCancelBurst(t);
    const made = this.sim.stats.events - before;
    this.perItem = this.perItem * 0.99 + made * 0.01;
  }

  /** Events waiting in the queue. */
  get pendingCount(): number {
    return this.heap.size;
  }

  /**
   * The wait before the next item starts, in fractional ms (start times are rounded up to whole ms
   * when used): rounding each gap up to 1 ms would add ~0.5 ms to a mean gap of ~1.4 ms at
   * 5,000 events/s, and the simulator would fall short by a quarter.
   */
  private gap(): number {
    if (this.rate <= 0) return Infinity;
    return this.sim.rng.exp((this.perItem / this.rate) * 1000);
  }

  next(now: number): OpEvent[] {
    if (!(now > this.last)) return [];
    if (this.nextStart < now - MAX_CATCH_UP_MS) this.nextStart = Math.max(this.last + 1, Math.ceil(now - MAX_CATCH_UP_MS));
    while (this.nextStart <= now) {
      const t = this.nextStart;
      this.startAt(Math.ceil(t));
      this.nextStart = t + this.gap();
    }
    const out: OpEvent[] = [];
    for (let e = this.heap.peek(); e && e.ts <= now; e = this.heap.peek()) out.push(this.heap.pop()!);
    this.last = now;
    return out;
  }
}
