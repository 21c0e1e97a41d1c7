/**
 * The indicator engine: pure, synchronous, no I/O. Per-event rules decide on arrival; every other
 * rule decides in (ts, id) order as the watermark passes the buffered events, or at time points
 * (after every event with the same ts). Late events (ts < W on arrival) are evaluated at once,
 * out of order; alerts already raised stay. The engine assumes unique event ids (ingestion
 * dedupes): feeding the same event twice may count it twice.
 */
import type { Alert, OpEvent } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import type { IndicatorDef } from '../catalog/types.js';
import { createRule } from '../rules/index.js';
import type { Hit, Rule, RuleCtx } from '../rules/common.js';
import { EventHeap } from './heap.js';
import { Router } from './routing.js';
import { Watermark, type WatermarkState } from './watermark.js';
import { buildAlert } from './alert.js';

export interface EngineConfig { latenessMs: number; idleMs: number }
export const DEFAULT_ENGINE_CONFIG: EngineConfig = { latenessMs: 5000, idleMs: 2000 };

export interface EngineSnapshot {
  v: 1;
  watermark: WatermarkState;
  /** buffered events, not yet passed by the watermark */
  buffer: OpEvent[];
  /**
   * keyed state per indicator id, valid for that version only. `pos`: the rule was captured later
   * than the head (a checkpoint captured rule by rule, server/engine/service.ts) and its state
   * already holds what it was given up to there (see `RulePosition`; several: it had what any of
   * them covers, when it was captured again while still catching up); absent, it is at the head.
   */
  rules: Record<string, { version: number; state: unknown; pos?: RulePosition[] }>;
  /** arrival time of the late batch whose past-due time points wait (see `deferredAt`) */
  deferredAt?: number | null;
}

/**
 * Where a rule stood when its state was captured: it had been given every event of arrival seq ≤
 * `seq` except those still in the buffer then, and the buffer's first event in the ts order was
 * (`ts`, `id`) (null: the buffer was empty). After a release every buffered event comes after every
 * event given to the rules, released or late (late: before the watermark, which the buffered ones are
 * not), so "had it" is: seq ≤ `seq` and before (`ts`, `id`) in the ts order. (Not exact only while
 * late time points are deferred, `deferredAt`: a late event after the first buffered one then counts
 * as not had; docs/reliability.md.)
 */
export interface RulePosition { seq: number; ts: number | null; id: string | null }

/** An accepted event's arrival seq (events fed without one, in unit tests, are never skipped). */
const seqOf = (ev: OpEvent): number => (ev as OpEvent & { seq?: number }).seq ?? Infinity;

/** event time between two sweeps of expired keyed state */
const SWEEP_EVERY_MS = 60_000;

function sameDef(a: IndicatorDef, b: IndicatorDef): boolean {
  return a.version === b.version && a.kind === b.kind && JSON.stringify([a.params, a.matters, a.actions, a.severity, a.category]) ===
    JSON.stringify([b.params, b.matters, b.actions, b.severity, b.category]);
}

export class IndicatorEngine {
  private rules: Rule[] = [];
  private timerRules: Rule[] = [];
  private router!: Router;
  private readonly buf = new EventHeap();
  private readonly wm: Watermark;
  private out: Alert[] = [];
  private now = 0;
  private current!: Rule;
  private lastSweep = -Infinity;
  private readonly ctx: RuleCtx;
  /**
   * Late events can create time points the watermark has already passed (a back-filled issue whose
   * deadline is long gone). Firing them at once would judge the item before the rest of the same
   * late batch (its complete, say) is seen, so they wait until the first call whose arrival clock is
   * later than the batch's: the next batch or the next tick. Live, in-order streams never wait.
   */
  private deferredAt: number | null = null;
  /**
   * After a restore from a checkpoint captured rule by rule: the rules whose state is ahead of the
   * head, and where each stands. The replay from the head's seq gives them nothing they already had
   * (`hadIt`). Null once the replay is past every position (`endCatchUp`): the hot path checks one null.
   */
  private positions: Map<Rule, RulePosition[]> | null = null;
  /** the highest position seq, and how many buffered events have a seq at or below it */
  private catchUpSeq = 0;
  private catchUpBuffered = 0;
  /** every event up to `catchUpSeq` has arrived */
  private seenAll = false;

  constructor(catalog: IndicatorDef[], private reference: ReferenceIndex, readonly config: EngineConfig) {
    this.wm = new Watermark(config.latenessMs, config.idleMs);
    const self = this;
    this.ctx = {
      get ref() { return self.reference; },
      emit: (hit: Hit) => { this.out.push(buildAlert(this.current.def, hit, this.reference, this.now)); },
    };
    this.setCatalog(catalog);
  }

  get watermark(): number { return this.wm.w; }

  onEvent(ev: OpEvent, now: number): Alert[] {
    this.now = now;
    const out: Alert[] = (this.out = []);
    if (this.deferredAt !== null && now > this.deferredAt) this.fireDeferred();
    const before = this.wm.w;
    const late = this.wm.arrive(ev.ts, now);
    const route = this.router.route(ev);
    const arr = route.arrival;
    const positions = this.positions;
    for (let i = 0; i < arr.length; i++) {
      if (positions !== null && this.hadIt(arr[i], ev, true)) continue;
      this.current = arr[i]; arr[i].onEvent(ev, this.ctx);
    }
    if (this.router.orderedActions.has(ev.action)) {
      if (late) this.processOrdered(ev);
      else {
        this.buf.push(ev);
        if (positions !== null && seqOf(ev) <= this.catchUpSeq) this.catchUpBuffered++;
      }
    }
    this.release(before);
    if (positions !== null) {
      if (seqOf(ev) >= this.catchUpSeq) this.seenAll = true;
      if (this.seenAll) this.endCatchUp();
    }
    return out;
  }

  /** Whether `rule`, restored ahead of the head, already had `ev` (`RulePosition`; `now`: given on arrival, by seq alone). */
  private hadIt(rule: Rule, ev: OpEvent, now: boolean): boolean {
    const ps = this.positions!.get(rule);
    if (ps === undefined) return false;
    const seq = seqOf(ev);
    for (const p of ps) {
      if (!(seq <= p.seq)) continue;
      if (now || p.ts === null || ev.ts < p.ts || (ev.ts === p.ts && ev.id < p.id!)) return true;
    }
    return false;
  }

  /** The replay is past every rule's position once every event up to the highest is in and none of them is still buffered. */
  private endCatchUp(): void {
    if (this.catchUpBuffered <= 0) this.positions = null;
  }

  /** The replay has given every stored event up to `seq` (the service, once the store has no more). */
  replayedTo(seq: number): void {
    if (this.positions === null) return;
    if (seq >= this.catchUpSeq) this.seenAll = true;
    if (this.seenAll) this.endCatchUp();
  }

  /** Whether some rule restored ahead of the head still skips what it had (tests, health). */
  get catchingUp(): boolean { return this.positions !== null; }

  /** Where a rule whose state is captured now stands, less the seq (the caller's): the buffer's first event (`RulePosition`). */
  bufferPosition(): { ts: number | null; id: string | null } {
    const e = this.buf.peek();
    return e === undefined ? { ts: null, id: null } : { ts: e.ts, id: e.id };
  }

  onTick(now: number): Alert[] {
    this.now = now;
    const out: Alert[] = (this.out = []);
    if (this.deferredAt !== null && now > this.deferredAt) this.fireDeferred();
    const before = this.wm.w;
    if (this.wm.tick(now)) this.release(before);
    if (this.positions !== null && this.seenAll) this.endCatchUp();
    return out;
  }

  private fireDeferred(): void {
    this.deferredAt = null;
    this.release(-Infinity);
  }

  private processOrdered(ev: OpEvent): void {
    const route = this.router.route(ev);
    const rules = route.ordered;
    const positions = this.positions;
    for (let i = 0; i < rules.length; i++) {
      if (positions !== null && this.hadIt(rules[i], ev, false)) continue;
      this.current = rules[i]; rules[i].onEvent(ev, this.ctx);
    }
    if (route.timers) {
      // a rule's earliest time point moves earlier (a new item) or later (its first item closed): keep a
      // lower bound from the rules that saw the event; the exact minimum is taken only when the bound is due
      const tr = route.timerRules;
      let t = this.nextT;
      for (let i = 0; i < tr.length; i++) { const x = tr[i].nextTimer(); if (x < t) t = x; }
      this.nextT = t;
      this.timersExact = false;
    }
  }

  /**
   * The earliest pending time point over all rules: `nextT` is exact (and `nextTRule` its rule) when
   * `timersExact`, else a lower bound; `timersDirty` means neither (after a rule fired or the catalog changed).
   */
  private nextT = Infinity;
  private nextTRule: Rule | undefined;
  private timersExact = false;
  private timersDirty = true;
  private refreshTimers(): void {
    let t = Infinity, rule: Rule | undefined;
    const timers = this.timerRules;
    for (let i = 0; i < timers.length; i++) {
      const x = timers[i].nextTimer();
      if (x < t) { t = x; rule = timers[i]; }
    }
    this.nextT = t; this.nextTRule = rule; this.timersDirty = false; this.timersExact = true;
  }

  /**
   * release buffered events and time points the watermark passed, in (ts, id) order, time points after
   * events of the same ts. `before` is W before this call: a pending time point below it was made by a
   * late event and waits for `fireDeferred` (holding back what comes after it, to keep the order).
   */
  private release(before: number): void {
    const w = this.wm.w;
    const buf = this.buf;
    for (;;) {
      if (this.timersDirty || (!this.timersExact && (this.nextT < w || this.nextT < before))) this.refreshTimers();
      const t = this.nextT;
      if (t < before) {
        if (this.deferredAt === null) this.deferredAt = this.now;
        break;
      }
      const e = buf.peek();
      if (e !== undefined && e.ts < w && e.ts <= t) {
        buf.pop();
        if (this.positions !== null && seqOf(e) <= this.catchUpSeq) this.catchUpBuffered--;
        this.processOrdered(e);
      } else if (t < w) {
        const rule = this.nextTRule!;
        this.current = rule;
        rule.fireTimer(this.ctx);
        this.timersDirty = true;
      } else break;
    }
    if (w - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = w;
      for (const r of this.rules) r.sweep(w);
    }
  }

  setCatalog(defs: IndicatorDef[]): void {
    const old = new Map(this.rules.map((r) => [r.def.id, r]));
    const rules: Rule[] = [];
    for (const def of defs) {
      if (!def.enabled) continue;
      const prev = old.get(def.id);
      rules.push(prev && sameDef(prev.def, def) ? prev : createRule(def));
    }
    this.rules = rules;
    this.timerRules = rules.filter((r) => r.def.kind === 'deadline' || r.def.kind === 'peerOutlier');
    this.router = new Router(rules, this.reference);
    this.timersDirty = true;
  }

  setReference(ref: ReferenceIndex): void {
    this.reference = ref;
    this.router = new Router(this.rules, ref);
  }

  snapshot(): EngineSnapshot {
    const { head, rules: parts } = this.snapshotParts();
    const rules: EngineSnapshot['rules'] = {};
    for (const r of parts) rules[r.id] = r.had.length ? { version: r.version, state: r.state(), pos: r.had } : { version: r.version, state: r.state() };
    return { ...head, rules };
  }

  /**
   * The snapshot in parts, for a capture that serializes it in slices (server/engine/checkpoint.ts):
   * the head now, each rule's state when asked (rule states share the rules' live state). Either the
   * caller keeps the engine unfed until it has serialized every part, or it records each rule's
   * `RulePosition` (seq, `bufferPosition()`) when it asks for that rule's state and keeps the engine
   * unfed only while that rule is serialized (server/engine/service.ts). `had`: positions a rule
   * still catching up after a restore keeps.
   */
  snapshotParts(): { head: Omit<EngineSnapshot, 'rules'>; rules: { id: string; version: number; state: () => unknown; had: RulePosition[] }[] } {
    const positions = this.positions;
    return {
      head: { v: 1, watermark: this.wm.toJSON(), buffer: this.buf.toArray(), deferredAt: this.deferredAt },
      // a rule still catching up keeps where it stood: the buffer may hold events it already had
      rules: this.rules.map((r) => ({ id: r.def.id, version: r.def.version, state: () => r.snapshot(), had: positions?.get(r) ?? [] })),
    };
  }

  /**
   * An engine from a snapshot (as JSON gives it back). A rule whose version changed starts empty.
   * A snapshot that does not fit throws (the caller replays instead).
   */
  static restore(snap: EngineSnapshot, catalog: IndicatorDef[], reference: ReferenceIndex, config: EngineConfig): IndicatorEngine {
    if (snap?.v !== 1 || !snap.watermark || !Array.isArray(snap.buffer) || typeof snap.rules !== 'object') throw new Error('checkpoint: not an engine snapshot of format 1');
    const e = new IndicatorEngine(catalog, reference, config);
    e.wm.load(snap.watermark);
    e.deferredAt = snap.deferredAt ?? null;
    for (const ev of snap.buffer) e.buf.push(ev);
    const positions = new Map<Rule, RulePosition[]>();
    for (const r of e.rules) {
      const s = snap.rules[r.def.id];
      if (s && s.version === r.def.version) {
        r.restore(s.state);
        if (Array.isArray(s.pos) && s.pos.length) positions.set(r, s.pos);
      }
    }
    if (positions.size) {
      e.positions = positions;
      for (const ps of positions.values()) for (const p of ps) e.catchUpSeq = Math.max(e.catchUpSeq, p.seq);
      for (const ev of snap.buffer) if (seqOf(ev) <= e.catchUpSeq) e.catchUpBuffered++;
    }
    e.timersDirty = true;
    return e;
  }

  /**
   * Forgets keyed state whose last event is before `before` (event time), in every rule: the state
   * budget's eviction (server/engine/state-budget.ts). Returns the keyed entries left.
   */
  shedState(before: number): number {
    let keyed = 0;
    for (const r of this.rules) { r.shed(before); keyed += r.size().keyed; }
    this.timersDirty = true;
    return keyed;
  }

  stats(): { bufferedEvents: number; keyedItems: number; pendingTimers: number } {
    let keyedItems = 0, pendingTimers = 0;
    for (const r of this.rules) { const s = r.size(); keyedItems += s.keyed; pendingTimers += s.timers; }
    return { bufferedEvents: this.buf.size, keyedItems, pendingTimers };
  }
}
