/**
 * Rule kind `slidingCount`: an officer's n-th counted event within a sliding window
 * (n-th ts − 1st ts ≤ windowMs), decided in ts order; then quiet until alert ts + quietMs
 * (inclusive): events inside the quiet period neither raise nor count. The n events are used
 * up. PRC-05 (5 cancels / 60 min, key officer) and FIL-01 (3 modifies of one filing item /
 * 24 h, key officer+item) are instances. Evidence: the n ids in ts order.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, SlidingCountParams } from '../catalog/types.js';
import { compileConditions, fmtDuration, keyOf, SYSTEM, TtlQueue, type Pred, type Rule, type RuleCtx } from './common.js';

interface KeyState {
  /** counted events in the window: ts and ids, in ts order */
  ts: number[];
  ids: string[];
  /** quiet until (inclusive); -Infinity when none (stored as null in snapshots) */
  q: number;
}

export class SlidingCountRule implements Rule {
  readonly ordered = true;
  private readonly p: SlidingCountParams;
  private readonly cond: Pred;
  private readonly actions: Set<string>;
  private keys = new Map<string, KeyState>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as SlidingCountParams;
    this.cond = compileConditions(this.p.when);
    this.actions = new Set(def.actions);
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.officer === SYSTEM || !this.actions.has(ev.action)) return;
    if (!this.cond(ev, ctx.ref)) return;
    const k = keyOf(ev, this.p.key);
    if (k === undefined) return;
    let st = this.keys.get(k);
    if (st && ev.ts <= st.q) return; // quiet: ignored
    if (!st) {
      st = { ts: [], ids: [], q: -Infinity };
      this.keys.set(k, st);
      this.queue.push(k, ev.ts + this.p.windowMs + this.p.quietMs);
    }
    // insert in ts order (a late event may land before the newest)
    let i = st.ts.length;
    while (i > 0 && (st.ts[i - 1] > ev.ts || (st.ts[i - 1] === ev.ts && st.ids[i - 1] > ev.id))) i--;
    st.ts.splice(i, 0, ev.ts);
    st.ids.splice(i, 0, ev.id);
    // drop counted events that fell out of the window ending at the newest
    const newest = st.ts[st.ts.length - 1];
    let drop = 0;
    while (drop < st.ts.length && newest - st.ts[drop] > this.p.windowMs) drop++;
    if (drop) { st.ts.splice(0, drop); st.ids.splice(0, drop); }
    const n = this.p.count;
    if (st.ts.length >= n) {
      const ids = st.ids.slice(st.ids.length - n);
      const t = st.ts[st.ts.length - 1];
      st.ts = []; st.ids = [];
      st.q = this.p.quietMs > 0 ? t + this.p.quietMs : -Infinity;
      ctx.emit({
        subject: ev.officer, ts: t, evidence: ids, bureau: ev.bureau,
        item: this.p.key.includes('item') ? ev.item : null,
        taxpayer: this.p.key.includes('taxpayer') ? ev.taxpayer ?? null : null,
        matter: this.p.key.includes('item') || this.p.key.includes('matter') ? ev.matter : null,
        detail: { zh: `${fmtDuration(this.p.windowMs)[0]}内 ${n} 次`, en: `${n} times within ${fmtDuration(this.p.windowMs)[1]}` },
      });
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  private expOf(st: KeyState): number {
    const last = st.ts.length ? st.ts[st.ts.length - 1] : -Infinity;
    return Math.max(last + this.p.windowMs, st.q);
  }

  shed(before: number): void { this.sweep(before + this.p.windowMs); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.keys.get(k); return s && this.expOf(s); }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }

  snapshot(): unknown {
    return Array.from(this.keys.entries(), ([k, s]) => [k, s.ts, s.ids, s.q === -Infinity ? null : s.q]);
  }

  restore(state: unknown): void {
    this.keys.clear(); this.queue.clear();
    for (const [k, ts, ids, q] of state as [string, number[], string[], number | null][]) {
      const st: KeyState = { ts, ids, q: q ?? -Infinity };
      this.keys.set(k, st);
      this.queue.push(k, this.expOf(st));
    }
  }
}
