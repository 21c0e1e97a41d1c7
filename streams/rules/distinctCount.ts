/**
 * Rule kind `distinctCount`: per key pair (e.g. officer+taxpayer), the n-th distinct value of a
 * field (e.g. item) within a sliding window (n-th ts − 1st ts ≤ windowMs), decided in ts order;
 * then quiet for that pair until alert ts + quietMs (inclusive). Only the first event of each
 * distinct value counts. INS-01 (an inspector accepting a 3rd distinct item of one taxpayer in
 * 90 days) is an instance. Evidence: the first event of each distinct value, in ts order.
 */
import type { OpEvent } from '../types.js';
import type { DistinctCountParams, IndicatorDef } from '../catalog/types.js';
import { compileConditions, fmtDuration, keyOf, partOf, SYSTEM, TtlQueue, type Pred, type Rule, type RuleCtx } from './common.js';

const DISTINCT_ZH: Record<string, string> = { item: '工作项', taxpayer: '纳税人', matter: '事项', window: '窗口', bureau: '局', officer: '人员' };
const earlier = (ts: number, id: string, t2: number, id2: string) => ts < t2 || (ts === t2 && id < id2);

/**
 * Compact per-key state, one flat array: [quietUntil, v0, ts0, id0, v1, ts1, id1, …], entries in
 * ts order; quietUntil is -Infinity (null in snapshots) when not quiet.
 */
type PairState = (string | number)[];

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
    if (st && ev.ts <= (st[0] as number)) return; // quiet
    if (!st) {
      st = [-Infinity];
      this.keys.set(k, st);
      this.queue.push(k, ev.ts + this.p.windowMs + this.p.quietMs);
    }
    for (let j = 1; j < st.length; j += 3) {
      if (st[j] !== v) continue;
      // already counted; a late earlier first event of the value replaces it
      if (earlier(ev.ts, ev.id, st[j + 1] as number, st[j + 2] as string)) { st.splice(j, 3); break; }
      return;
    }
    let i = st.length;
    while (i > 1 && earlier(ev.ts, ev.id, st[i - 2] as number, st[i - 1] as string)) i -= 3;
    st.splice(i, 0, v, ev.ts, ev.id);
    const newest = st[st.length - 2] as number;
    let drop = 0;
    while (1 + drop < st.length && newest - (st[2 + drop] as number) > this.p.windowMs) drop += 3;
    if (drop) st.splice(1, drop);
    const n = this.p.count;
    if ((st.length - 1) / 3 >= n) {
      const evidence: string[] = [];
      for (let j = st.length - 3 * n; j < st.length; j += 3) evidence.push(st[j + 2] as string);
      st.length = 1;
      st[0] = this.p.quietMs > 0 ? newest + this.p.quietMs : -Infinity;
      ctx.emit({
        subject: ev.officer, ts: newest, evidence, bureau: ev.bureau,
        item: this.p.key.includes('item') ? ev.item : null,
        taxpayer: this.p.key.includes('taxpayer') || this.p.distinct === 'taxpayer' ? ev.taxpayer ?? null : null,
        matter: ev.matter,
        detail: { zh: `${fmtDuration(this.p.windowMs)[0]}内 ${n} 个不同${DISTINCT_ZH[this.p.distinct]}`, en: `${n} distinct ${this.p.distinct}s within ${fmtDuration(this.p.windowMs)[1]}` },
      });
    }
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  private expOf(st: PairState): number {
    const last = st.length > 1 ? (st[st.length - 2] as number) : -Infinity;
    return Math.max(last + this.p.windowMs, st[0] as number);
  }

  shed(before: number): void { this.sweep(before + this.p.windowMs); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.keys.get(k); return s && this.expOf(s); }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }

  snapshot(): unknown {
    return Array.from(this.keys.entries(), ([k, s]) => [k, s[0] === -Infinity ? [null, ...s.slice(1)] : s]);
  }

  restore(state: unknown): void {
    this.keys.clear(); this.queue.clear();
    for (const [k, s] of state as [string, (string | number | null)[]][]) {
      const st = s.slice() as PairState;
      if (st[0] === null) st[0] = -Infinity;
      this.keys.set(k, st);
      this.queue.push(k, this.expOf(st));
    }
  }
}
