/**
 * Rule kind `deadline`: absence of a closing action by a deadline, decided at a time point that
 * comes after every event with the same ts. TSK-01 (overdue: issue + standard_hours, closed by
 * complete/cancel, subject = latest accept/handle officer else the issuer) and PRC-03 (completed
 * without approval: time point at the first officer complete, closed by any approve with
 * ts ≤ it) are instances. Once per item: only the item's first start counts.
 *
 * Open items sit in an indexed min-heap by deadline; closing an item removes it in O(log n).
 * A decided item keeps a tiny marker (so a second start does not count again) for stateTtlMs.
 */
import type { OpEvent } from '../types.js';
import type { DeadlineParams, IndicatorDef } from '../catalog/types.js';
import { compileStep, DAY, HOUR, matterMatches, TtlQueue, type Rule, type RuleCtx, type StepMatcher } from './common.js';

interface ItemState {
  item: string;
  /** deadline, -1 when not started (only a prior close seen) */
  d: number;
  /** start ts (a working-time deadline is computed again from it when it comes due) */
  t0: number;
  /** start event id / officer / bureau / taxpayer / matter */
  sid: string;
  so: string;
  b: string;
  tp: string | null;
  m: string;
  /** latest handler officer */
  h: string | null;
  /** 1 = closed before any start */
  c: 0 | 1;
  /** heap position, -1 when not queued */
  hp: number;
  /** latest ts seen, for expiry */
  last: number;
}

export class DeadlineRule implements Rule {
  readonly ordered = true;
  private readonly p: DeadlineParams;
  private readonly start: StepMatcher;
  private readonly close: StepMatcher;
  private readonly handler: StepMatcher | null;
  private readonly ttl: number;
  /** open or undecided items; a decided item is just its last ts (a compact once-per-item marker) */
  private items = new Map<string, ItemState | number>();
  private heap: ItemState[] = [];
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as DeadlineParams;
    this.start = compileStep(this.p.start);
    this.close = compileStep(this.p.close);
    this.handler = this.p.handler ? compileStep(this.p.handler) : null;
    this.ttl = this.p.stateTtlMs ?? 180 * DAY;
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const ref = ctx.ref;
    const cur = this.items.get(ev.item);
    if (typeof cur === 'number') return; // decided
    let st = cur;
    if (st && ev.ts > st.last) st.last = ev.ts;
    if (this.close.test(ev, ref)) {
      if (st) {
        if (st.d >= 0) { this.remove(st); this.decide(st); }
        else st.c = 1;
      } else if (this.p.priorCloseCounts) {
        st = this.create(ev);
        st.c = 1;
      }
      return;
    }
    if (this.handler && this.handler.test(ev, ref)) {
      // the latest accept/handle (in ts order) becomes the subject; one before the start counts too
      st ??= this.create(ev);
      st.h = ev.officer;
      return;
    }
    if (this.start.test(ev, ref)) {
      if (st && st.d >= 0) return; // only the first start counts
      const deadline = this.deadlineOf(ev.ts, ev.matter, ctx);
      if (deadline === undefined) return; // unknown matter: no deadline
      if (st && st.c === 1) { this.items.set(st.item, st.last); return; } // closed before it started: decided, nothing to raise
      st ??= this.create(ev, false); // an open item expires through its deadline, queued when decided
      st.d = deadline; st.t0 = ev.ts; st.sid = ev.id; st.so = ev.officer; st.b = ev.bureau; st.tp = ev.taxpayer ?? null; st.m = ev.matter;
      this.push(st);
    }
  }

  /** start + the span: elapsed time, or working time of the calendar as it stands now */
  private deadlineOf(t0: number, matter: string, ctx: RuleCtx): number | undefined {
    let span: number;
    if (this.p.fixedMs !== undefined) span = this.p.fixedMs;
    else {
      const m = ctx.ref.matters.get(matter);
      if (!m) return undefined;
      span = (this.p.standardHoursFactor ?? 1) * m.standard_hours * HOUR;
    }
    return this.p.workingTime ? ctx.ref.calendar.addWorkingMs(t0, span) : t0 + span;
  }

  /** the item is decided: keep only its last ts as a marker, expiring ttl later */
  private decide(st: ItemState): void {
    this.items.set(st.item, st.last);
    this.queue.push(st.item, st.last + this.ttl);
  }

  private create(ev: OpEvent, queue = true): ItemState {
    const st: ItemState = { item: ev.item, d: -1, t0: ev.ts, sid: '', so: '', b: ev.bureau, tp: null, m: ev.matter, h: null, c: 0, hp: -1, last: ev.ts };
    this.items.set(ev.item, st);
    if (queue) this.queue.push(ev.item, ev.ts + this.ttl);
    return st;
  }

  nextTimer(): number { return this.heap.length ? this.heap[0].d : Infinity; }

  fireTimer(ctx: RuleCtx): void {
    const st = this.heap[0];
    if (!st) return;
    this.remove(st);
    if (this.p.workingTime) {
      // the calendar may have changed since the start (a holiday declared): a later deadline waits for it
      const d = this.deadlineOf(st.t0, st.m, ctx);
      if (d !== undefined && d > st.d) { st.d = d; this.push(st); return; }
    }
    if (st.last < st.d) st.last = st.d;
    this.decide(st);
    // the matter filter is read as it stands now (e.g. PRC-03's power flag)
    if (!matterMatches(this.def.matters, st.m, ctx.ref)) return;
    ctx.emit({
      subject: st.h ?? st.so, ts: st.d, evidence: [st.sid], bureau: st.b,
      item: st.item, taxpayer: st.tp, matter: st.m,
      detail: this.p.fixedMs === undefined
        ? { zh: `截止时间 ${new Date(st.d).toISOString()} 前未办结`, en: `not closed by the deadline ${new Date(st.d).toISOString()}` }
        : undefined,
    });
  }

  // ---- indexed heap by (d, item) ----
  private less(a: ItemState, b: ItemState): boolean { return a.d < b.d || (a.d === b.d && a.item < b.item); }
  private push(st: ItemState): void { st.hp = this.heap.length; this.heap.push(st); this.up(st.hp); }
  private remove(st: ItemState): void {
    const i = st.hp;
    if (i < 0) return;
    const h = this.heap;
    const last = h.pop()!;
    st.hp = -1;
    if (i < h.length) { h[i] = last; last.hp = i; this.down(i); this.up(last.hp); }
  }
  private up(i: number): void {
    const h = this.heap; const x = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, h[p])) break;
      h[i] = h[p]; h[i].hp = i; i = p;
    }
    h[i] = x; x.hp = i;
  }
  private down(i: number): void {
    const h = this.heap; const n = h.length; const x = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], x)) break;
      h[i] = h[c]; h[i].hp = i; i = c;
    }
    h[i] = x; x.hp = i;
  }

  shed(before: number): void { this.sweep(before + this.ttl); }

  sweep(w: number): void {
    this.queue.sweep(
      w,
      (k) => {
        const s = this.items.get(k);
        if (s === undefined) return undefined;
        if (typeof s === 'number') return s + this.ttl;
        return s.hp >= 0 ? Math.max(s.d, s.last) + this.ttl : s.last + this.ttl;
      },
      (k) => this.items.delete(k),
    );
  }

  size() { return { keyed: this.items.size, timers: this.heap.length }; }

  snapshot(): unknown {
    return Array.from(this.items.entries(), ([k, s]) => (typeof s === 'number' ? [k, s] : [s.item, s.d, s.sid, s.so, s.b, s.tp, s.m, s.h, s.c, s.last, s.t0]));
  }

  restore(state: unknown): void {
    this.items.clear(); this.heap = []; this.queue.clear();
    for (const x of state as unknown[][]) {
      if (x.length === 2) { this.items.set(x[0] as string, x[1] as number); this.queue.push(x[0] as string, (x[1] as number) + this.ttl); continue; }
      const a = x as [string, number, string, string, string, string | null, string, string | null, 0 | 1, number, number?];
      const st: ItemState = { item: a[0], d: a[1], t0: a[10] ?? a[9], sid: a[2], so: a[3], b: a[4], tp: a[5], m: a[6], h: a[7], c: a[8], hp: -1, last: a[9] };
      this.items.set(st.item, st);
      if (st.d >= 0 && st.c === 0) { st.hp = this.heap.length; this.heap.push(st); }
      else this.queue.push(st.item, st.last + this.ttl);
    }
    // Floyd's heapify: O(n) for a million open items instead of a sift-up each
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
}
