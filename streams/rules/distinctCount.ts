/**
 * Rule kind `distinctCount`: per key pair (e.g. officer+taxpayer), the n-th distinct value of a
 * field (e.g. item) within a sliding window (n-th ts − 1st ts ≤ windowMs), decided in ts order;
 * then quiet for that pair until alert ts + quietMs (inclusive). Only the first event of each
 * distinct value counts. INS-01 (an inspector accepting a 3rd distinct item of one taxpayer in
 * 90 days) is an instance. Evidence: the first event of each distinct value, in ts order.
 */
import type { OpEvent } from '../types.js';
import type { DistinctCountParams, IndicatorDef } from '../catalog/types.js';
import { compileConditions, keyOf, partOf, SYSTEM, TtlQueue, type Pred, type Rule, type RuleCtx } from './common.js';

interface PairState {
  /** [distinct value, ts, id] in ts order */
  e: [string, number, string][];
  q: number;
}

export class DistinctCountRule implements Rule {
  readonly ordered = true;
  private readonly p: DistinctCountParams;
  private readonly cond: Pred;
  private readonly actions: Set<string>;
  private keys = new Map<string, PairState>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as DistinctCountParams;
    this.cond = compileConditions(this.p.when);
    this.actions = new Set(def.actions);
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.officer === SYSTEM || !this.actions.has(ev.action)) return;
    const k = keyOf(ev, this.p.key);
    if (k === undefined) return;
    const v = partOf(ev, this.p.distinct);
    if (v === '') return;
    if (!this.cond(ev, ctx.ref)) return;
    let st = this.keys.get(k);
    if (st && ev.ts <= st.q) return; // quiet
    if (!st) {
      st = { e: [], q: -Infinity };
      this.keys.set(k, st);
      this.queue.push(k, ev.ts + this.p.windowMs + this.p.quietMs);
    }
    const e = st.e;
    const j = e.findIndex((x) => x[0] === v);
    if (j >= 0) {
      // already counted; a late earlier first event of the value replaces it
      if (ev.ts < e[j][1] || (ev.ts === e[j][1] && ev.id < e[j][2])) e.splice(j, 1);
      else return;
    }
    let i = e.length;
    while (i > 0 && (e[i - 1][1] > ev.ts || (e[i - 1][1] === ev.ts && e[i - 1][2] > ev.id))) i--;
    e.splice(i, 0, [v, ev.ts, ev.id]);
    const newest = e[e.length - 1][1];
    let drop = 0;
    while (drop < e.length && newest - e[drop][1] > this.p.windowMs) drop++;
    if (drop) e.splice(0, drop);
    const n = this.p.count;
    if (e.length >= n) {
      const hit = e.slice(e.length - n);
      st.e = [];
      st.q = this.p.quietMs > 0 ? newest + this.p.quietMs : -Infinity;
      ctx.emit({
        subject: ev.officer, ts: newest, evidence: hit.map((x) => x[2]), bureau: ev.bureau,
        item: this.p.key.includes('item') ? ev.item : null,
        taxpayer: this.p.key.includes('taxpayer') || this.p.distinct === 'taxpayer' ? ev.taxpayer ?? null : null,
        matter: ev.matter,
        detail: { zh: `${Math.round(this.p.windowMs / 86_400_000)} 天内 ${n} 个不同对象`, en: `${n} distinct within ${Math.round(this.p.windowMs / 86_400_000)} d` },
      });
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  private expOf(st: PairState): number {
    const last = st.e.length ? st.e[st.e.length - 1][1] : -Infinity;
    return Math.max(last + this.p.windowMs, st.q);
  }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.keys.get(k); return s && this.expOf(s); }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }

  snapshot(): unknown {
    return Array.from(this.keys.entries(), ([k, s]) => [k, s.e, s.q === -Infinity ? null : s.q]);
  }

  restore(state: unknown): void {
    this.keys.clear(); this.queue.clear();
    for (const [k, e, q] of state as [string, [string, number, string][], number | null][]) {
      const st: PairState = { e, q: q ?? -Infinity };
      this.keys.set(k, st);
      this.queue.push(k, this.expOf(st));
    }
  }
}
