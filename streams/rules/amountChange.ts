/**
 * Rule kind `amountChange`: an amount cut computed by the product. The latest `from` event with an
 * amount sets the baseline of its key (the item, or the taxpayer across items); a later `to` event
 * whose amount is below `below` × that baseline, within withinMs, raises — e.g. an assessed
 * adjustment cut after trial review, or enforcement collecting far less than was decided.
 * Decided in ts order, once per `to` event. Evidence: the baseline event, then the `to` event.
 */
import type { OpEvent } from '../types.js';
import type { AmountChangeParams, IndicatorDef } from '../catalog/types.js';
import { compileStep, DAY, TtlQueue, type Rule, type RuleCtx, type StepMatcher } from './common.js';

/** baseline: ts, amount, event id */
type Baseline = [number, number, string];

export class AmountChangeRule implements Rule {
  readonly ordered = true;
  private readonly p: AmountChangeParams;
  private readonly from: StepMatcher;
  private readonly to: StepMatcher;
  private readonly within: number;
  private keys = new Map<string, Baseline>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as AmountChangeParams;
    this.from = compileStep(this.p.from);
    this.to = compileStep(this.p.to);
    this.within = this.p.withinMs ?? 180 * DAY;
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.amount === undefined) return;
    const k = this.p.key === 'item' ? ev.item : ev.taxpayer;
    if (!k) return;
    const base = this.keys.get(k);
    if (base && this.to.test(ev, ctx.ref) && ev.ts > base[0] && ev.ts - base[0] <= this.within && ev.amount < this.p.below * base[1]) {
      const pct = base[1] > 0 ? Math.round((1 - ev.amount / base[1]) * 100) : 0;
      ctx.emit({
        subject: ev.officer, ts: ev.ts, evidence: [base[2], ev.id], bureau: ev.bureau,
        item: ev.item, taxpayer: ev.taxpayer ?? null, matter: ev.matter, amount: ev.amount,
        detail: { zh: `由 ${base[1]} 元降至 ${ev.amount} 元（−${pct}%）`, en: `cut from CNY ${base[1]} to ${ev.amount} (−${pct} %)` },
      });
      return;
    }
    if (this.from.test(ev, ctx.ref)) {
      if (!base) this.queue.push(k, ev.ts + this.within);
      if (!base || ev.ts >= base[0]) this.keys.set(k, [ev.ts, ev.amount, ev.id]);
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  shed(before: number): void { this.sweep(before + this.within); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const b = this.keys.get(k); return b && b[0] + this.within; }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }
  snapshot(): unknown { return Array.from(this.keys.entries()); }
  restore(state: unknown): void {
    this.keys = new Map(state as [string, Baseline][]);
    this.queue.clear();
    for (const [k, b] of this.keys) this.queue.push(k, b[0] + this.within);
  }
}
