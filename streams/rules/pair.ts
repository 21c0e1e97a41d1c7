/**
 * Rule kind `pair`: two actions on one item, by the same, a different or any officer, decided in
 * ts order. PRC-01 (self-approval: accept/handle + approve by one officer, either order, once per
 * item) and PRC-04 (modify after the item's first complete, once per modify) are instances.
 *
 * Per item we keep, per officer, the earliest `first` and (eitherOrder) the earliest `second`
 * event as compact tuples. State is forgotten `stateTtlMs` of event time after the item was last
 * seen (default 180 d); an item that raised (once = 'item') keeps only its last ts as a marker.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, PairParams } from '../catalog/types.js';
import { compileStep, DAY, TtlQueue, type Rule, type RuleCtx, type StepMatcher } from './common.js';

/** [officer, ts, id] */
type Ev3 = [string, number, string];
/**
 * Compact per-item state: the (usually single) earliest first-step event inline, further
 * officers' first events in `more`, earliest second-step events per officer (eitherOrder) in `s`.
 */
interface ItemState {
  /** officer / ts / id of the first recorded first-step event ('' when none yet) */
  o: string;
  t: number;
  i: string;
  more?: Ev3[];
  s?: Ev3[];
  /** latest ts seen, for expiry */
  last: number;
}

const earlier = (ts: number, id: string, t2: number, id2: string) => ts < t2 || (ts === t2 && id < id2);

export class PairRule implements Rule {
  readonly ordered = true;
  private readonly p: PairParams;
  private readonly first: StepMatcher;
  private readonly second: StepMatcher;
  private readonly ttl: number;
  /** per item; once = 'item' and raised: just the last ts seen (a compact marker) */
  private items = new Map<string, ItemState | number>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as PairParams;
    this.first = compileStep(this.p.first);
    this.second = compileStep(this.p.second);
    this.ttl = this.p.stateTtlMs ?? 180 * DAY;
  }

  private officerOk(a: string, b: string): boolean {
    const rel = this.p.officer;
    return rel === 'any' || (rel === 'same' ? a === b : a !== b);
  }

  private timeOk(fTs: number, sTs: number): boolean {
    if (this.p.strictlyLater && !(sTs > fTs)) return false;
    if (this.p.withinMs !== undefined && sTs - fTs > this.p.withinMs) return false;
    return true;
  }

  /** the earliest recorded first-step event pairing with a second by `officer` at `ts` */
  private bestFirst(st: ItemState, officer: string, ts: number): Ev3 | undefined {
    let best: Ev3 | undefined;
    if (st.o !== '' && this.officerOk(st.o, officer) && this.timeOk(st.t, ts)) best = [st.o, st.t, st.i];
    if (st.more) for (const f of st.more) {
      if (this.officerOk(f[0], officer) && this.timeOk(f[1], ts) && (!best || earlier(f[1], f[2], best[1], best[2]))) best = f;
    }
    return best;
  }

  /** record a first-step event: the earliest per officer (firstOnly: the earliest of the item) */
  private addFirst(st: ItemState, ev: OpEvent): void {
    if (st.o === '') { st.o = ev.officer; st.t = ev.ts; st.i = ev.id; return; }
    if (this.p.firstOnly || st.o === ev.officer) {
      if (earlier(ev.ts, ev.id, st.t, st.i)) { st.o = ev.officer; st.t = ev.ts; st.i = ev.id; }
      return;
    }
    st.more ??= [];
    const i = st.more.findIndex((f) => f[0] === ev.officer);
    if (i < 0) st.more.push([ev.officer, ev.ts, ev.id]);
    else if (earlier(ev.ts, ev.id, st.more[i][1], st.more[i][2])) st.more[i] = [ev.officer, ev.ts, ev.id];
  }

  /** the officer's earliest recorded first-step event */
  private firstOf(st: ItemState, officer: string): Ev3 | undefined {
    if (st.o === officer) return [st.o, st.t, st.i];
    return st.more?.find((f) => f[0] === officer);
  }

  private finish(item: string, st: ItemState): void { this.items.set(item, st.last); }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const isFirst = this.first.test(ev, ctx.ref);
    const isSecond = this.second.test(ev, ctx.ref);
    if (!isFirst && !isSecond) return;
    const cur = this.items.get(ev.item);
    if (typeof cur === 'number') { if (ev.ts > cur) this.items.set(ev.item, ev.ts); return; }
    let st = cur;
    if (st && ev.ts > st.last) st.last = ev.ts;
    if (isSecond) {
      const best = st && this.bestFirst(st, ev.officer, ev.ts);
      if (st && best) {
        let second: Ev3 = [ev.officer, ev.ts, ev.id];
        if (this.p.eitherOrder && st.s) {
          // evidence is the officer's earliest second (it may have arrived first, late)
          for (const s of st.s) if (s[0] === ev.officer && earlier(s[1], s[2], second[1], second[2])) second = s;
        }
        this.raise(best, second, ev, ctx);
        if (this.p.once === 'item') this.finish(ev.item, st);
        return;
      }
      if (this.p.eitherOrder) {
        st ??= this.create(ev);
        st.s ??= [];
        const i = st.s.findIndex((s) => s[0] === ev.officer);
        if (i < 0) st.s.push([ev.officer, ev.ts, ev.id]);
        else if (earlier(ev.ts, ev.id, st.s[i][1], st.s[i][2])) st.s[i] = [ev.officer, ev.ts, ev.id];
      }
    }
    if (isFirst) {
      st ??= this.create(ev);
      this.addFirst(st, ev);
      // either order: a first may complete a pair with a recorded second
      if (this.p.eitherOrder && st.s) {
        let best: Ev3 | undefined;
        for (const s of st.s) {
          if (this.officerOk(ev.officer, s[0]) && (!best || earlier(s[1], s[2], best[1], best[2]))) best = s;
        }
        if (best) {
          this.raise(this.firstOf(st, ev.officer) ?? [ev.officer, ev.ts, ev.id], best, ev, ctx);
          this.finish(ev.item, st);
        }
      }
    }
  }

  private create(ev: OpEvent): ItemState {
    const st: ItemState = { o: '', t: 0, i: '', last: ev.ts };
    this.items.set(ev.item, st);
    this.queue.push(ev.item, ev.ts + this.ttl);
    return st;
  }

  private raise(f: Ev3, s: Ev3, ev: OpEvent, ctx: RuleCtx): void {
    const subject = this.p.subject === 'first' ? f[0] : s[0];
    ctx.emit({
      subject, ts: ev.ts, evidence: [f[2], s[2]], bureau: ev.bureau,
      item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, amount: ev.amount,
    });
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  shed(before: number): void { this.sweep(before + this.ttl); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.items.get(k); return s === undefined ? undefined : (typeof s === 'number' ? s : s.last) + this.ttl; }, (k) => this.items.delete(k));
  }

  size() { return { keyed: this.items.size, timers: 0 }; }

  snapshot(): unknown { return Array.from(this.items.entries()); }

  restore(state: unknown): void {
    this.items = new Map(state as [string, ItemState | number][]);
    this.queue.clear();
    for (const [k, s] of this.items) this.queue.push(k, (typeof s === 'number' ? s : s.last) + this.ttl);
  }
}
