/**
 * Rule kind `pair`: two actions on one item, by the same, a different or any officer, decided in
 * ts order. PRC-01 (self-approval: accept/handle + approve by one officer, either order, once per
 * item) and PRC-04 (modify after the item's first complete, once per modify) are instances.
 *
 * Per item we keep, per officer, the earliest `first` and (eitherOrder) the earliest `second`
 * event as compact tuples. State is forgotten `stateTtlMs` of event time after the item was last
 * seen (default 90 d).
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, PairParams } from '../catalog/types.js';
import { compileStep, DAY, TtlQueue, type Rule, type RuleCtx, type StepMatcher } from './common.js';

/** [officer, ts, id] */
type Ev3 = [string, number, string];
interface ItemState {
  /** earliest first-step event per officer (firstOnly: just the item's first) */
  f: Ev3[];
  /** earliest second-step event per officer (eitherOrder only) */
  s?: Ev3[];
  /** once = 'item' and already raised */
  done?: 1;
  /** latest ts seen, for expiry */
  last: number;
  /** bureau / taxpayer of the first event, for the alert */
  b: string;
}

const earlier = (ts: number, id: string, e: Ev3) => ts < e[1] || (ts === e[1] && id < e[2]);

export class PairRule implements Rule {
  readonly ordered = true;
  private readonly p: PairParams;
  private readonly first: StepMatcher;
  private readonly second: StepMatcher;
  private readonly ttl: number;
  private items = new Map<string, ItemState>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as PairParams;
    this.first = compileStep(this.p.first);
    this.second = compileStep(this.p.second);
    this.ttl = this.p.stateTtlMs ?? 90 * DAY;
  }

  private officerOk(a: string, b: string): boolean {
    const rel = this.p.officer;
    return rel === 'any' || (rel === 'same' ? a === b : a !== b);
  }

  private timeOk(f: Ev3, sTs: number): boolean {
    if (this.p.strictlyLater && !(sTs > f[1])) return false;
    if (this.p.withinMs !== undefined && sTs - f[1] > this.p.withinMs) return false;
    return true;
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const isFirst = this.first.test(ev, ctx.ref);
    const isSecond = this.second.test(ev, ctx.ref);
    if (!isFirst && !isSecond) return;
    let st = this.items.get(ev.item);
    if (st?.done) { if (ev.ts > st.last) st.last = ev.ts; return; }
    if (isSecond) {
      // a second step completes a pair with a recorded first
      if (st) {
        let best: Ev3 | undefined;
        for (const f of st.f) {
          if (this.officerOk(f[0], ev.officer) && this.timeOk(f, ev.ts) && (!best || earlier(f[1], f[2], best))) best = f;
        }
        if (best) {
          let second: Ev3 = [ev.officer, ev.ts, ev.id];
          if (this.p.eitherOrder && st.s) {
            // evidence is the officer's earliest second (it may have arrived first, late)
            for (const s of st.s) if (s[0] === ev.officer && earlier(s[1], s[2], second)) second = s;
          }
          this.raise(best, second, ev, st, ctx);
          if (this.p.once === 'item') { st.done = 1; st.f = []; st.s = undefined; }
          if (ev.ts > st.last) st.last = ev.ts;
          return;
        }
      }
      if (this.p.eitherOrder) {
        st ??= this.create(ev);
        st.s ??= [];
        const i = st.s.findIndex((s) => s[0] === ev.officer);
        if (i < 0) st.s.push([ev.officer, ev.ts, ev.id]);
        else if (earlier(ev.ts, ev.id, st.s[i])) st.s[i] = [ev.officer, ev.ts, ev.id];
      }
    }
    if (isFirst) {
      st ??= this.create(ev);
      if (ev.ts > st.last) st.last = ev.ts;
      if (this.p.firstOnly) {
        if (st.f.length === 0) st.f.push([ev.officer, ev.ts, ev.id]);
        else if (earlier(ev.ts, ev.id, st.f[0])) st.f[0] = [ev.officer, ev.ts, ev.id];
      } else {
        const i = st.f.findIndex((f) => f[0] === ev.officer);
        if (i < 0) st.f.push([ev.officer, ev.ts, ev.id]);
        else if (earlier(ev.ts, ev.id, st.f[i])) st.f[i] = [ev.officer, ev.ts, ev.id];
      }
      // either order: a first may complete a pair with a recorded second
      if (this.p.eitherOrder && st.s) {
        let best: Ev3 | undefined;
        for (const s of st.s) {
          if (this.officerOk(ev.officer, s[0]) && (!best || earlier(s[1], s[2], best))) best = s;
        }
        if (best) {
          let f: Ev3 = [ev.officer, ev.ts, ev.id];
          for (const x of st.f) if (x[0] === ev.officer && earlier(x[1], x[2], f)) f = x;
          this.raise(f, best, ev, st, ctx);
          st.done = 1; st.f = []; st.s = undefined;
        }
      }
    } else if (st && ev.ts > st.last) st.last = ev.ts;
  }

  private create(ev: OpEvent): ItemState {
    const st: ItemState = { f: [], last: ev.ts, b: ev.bureau };
    this.items.set(ev.item, st);
    this.queue.push(ev.item, ev.ts + this.ttl);
    return st;
  }

  private raise(f: Ev3, s: Ev3, ev: OpEvent, st: ItemState, ctx: RuleCtx): void {
    const subject = this.p.subject === 'first' ? f[0] : s[0];
    ctx.emit({
      subject, ts: ev.ts, evidence: [f[2], s[2]], bureau: ev.bureau ?? st.b,
      item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, amount: ev.amount,
    });
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.items.get(k); return s && s.last + this.ttl; }, (k) => this.items.delete(k));
  }

  size() { return { keyed: this.items.size, timers: 0 }; }

  snapshot(): unknown { return Array.from(this.items.entries()); }

  restore(state: unknown): void {
    this.items = new Map(state as [string, ItemState][]);
    this.queue.clear();
    for (const [k, s] of this.items) this.queue.push(k, s.last + this.ttl);
  }
}
