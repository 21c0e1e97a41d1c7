/**
 * Rule kind `elapsed`: the time between an item's first `from` event and its first `to` event
 * (by an officer), decided in ts order at the `to` event: too fast (op 'lt') or too slow ('gt')
 * against a fixed threshold or a fraction of the matter's standard_hours. INS-02 (inspection
 * closed with no adjustment in < 10 % of standard hours after issue) is an instance.
 * No earlier `from`: not evaluated. Once per item. Evidence: from id, then to id. With
 * `workingTime`, only working hours of the working calendar count toward the elapsed time.
 */
import type { OpEvent } from '../types.js';
import type { ElapsedParams, IndicatorDef } from '../catalog/types.js';
import { compileConditions, compileStep, DAY, HOUR, TtlQueue, type Pred, type Rule, type RuleCtx, type StepMatcher } from './common.js';

/** from ts and id (`i` is '' once decided); a small object keeps the double unboxed */
interface ItemState { t: number; i: string }

export class ElapsedRule implements Rule {
  readonly ordered = true;
  private readonly p: ElapsedParams;
  private readonly from: StepMatcher;
  private readonly to: StepMatcher;
  private readonly toWhen: Pred;
  private readonly ttl = 180 * DAY;
  private items = new Map<string, ItemState>();
  /** latest ts seen per decided/started item is not kept: expiry runs from the from-ts */
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as ElapsedParams;
    this.from = compileStep(this.p.from);
    this.to = compileStep(this.p.to);
    this.toWhen = compileConditions(this.p.toWhen);
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const st = this.items.get(ev.item);
    if (st !== undefined && st.i === '') return; // decided
    if (this.to.test(ev, ctx.ref)) {
      if (st === undefined) {
        // no earlier `from`: this first `to` is not evaluated, and no later one is the first
        this.items.set(ev.item, { t: ev.ts, i: '' });
        this.queue.push(ev.item, ev.ts + this.ttl);
        return;
      }
      const fromId = st.i;
      st.i = ''; // decided
      if (!this.toWhen(ev, ctx.ref)) return;
      let threshold: number;
      if (this.p.thresholdMs !== undefined) threshold = this.p.thresholdMs;
      else {
        const m = ctx.ref.matters.get(ev.matter);
        if (!m) return;
        threshold = (this.p.standardHoursFraction ?? 1) * m.standard_hours * HOUR;
      }
      const elapsed = this.p.workingTime ? ctx.ref.calendar.workingMsBetween(st.t, ev.ts) : ev.ts - st.t;
      if (this.p.op === 'lt' ? elapsed < threshold : elapsed > threshold) {
        ctx.emit({
          subject: ev.officer, ts: ev.ts, evidence: [fromId, ev.id], bureau: ev.bureau,
          item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, amount: ev.amount,
          detail: { zh: `间隔 ${(elapsed / HOUR).toFixed(1)} 小时`, en: `after ${(elapsed / HOUR).toFixed(1)} h` },
        });
      }
      return;
    }
    if (st === undefined && this.from.test(ev, ctx.ref)) {
      this.items.set(ev.item, { t: ev.ts, i: ev.id });
      this.queue.push(ev.item, ev.ts + this.ttl);
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  shed(before: number): void { this.sweep(before + this.ttl); }

  sweep(w: number): void {
    // a started or decided item is forgotten ttl after it was queued
    this.queue.sweep(w, (k) => (this.items.has(k) ? -Infinity : undefined), (k) => this.items.delete(k));
  }

  size() { return { keyed: this.items.size, timers: 0 }; }
  snapshot(): unknown { return Array.from(this.items.entries(), ([k, s]) => [k, s.t, s.i]); }
  restore(state: unknown): void {
    this.items = new Map((state as [string, number, string][]).map(([k, t, i]) => [k, { t, i }]));
    this.queue.clear();
    for (const [k, s] of this.items) this.queue.push(k, s.t + this.ttl);
  }
}
