/**
 * Rule kind `assignmentBias`: a statistical test of the business's own "random" assignment.
 * Every `assign` that says `attrs.mode = "random"` (by `system` or a person) and names
 * `attrs.assignee` and a `taxpayer` counts. Per taxpayer, over the last windowMs: n random draws,
 * k of them to one officer. If the draw were fair, k would follow Binomial(n, 1/pool), pool being
 * the bureau's active officers with one of `poolRoles` in the reference data. An alert when
 * P(X ≥ k) < alpha and k ≥ minCount: the pairing is far above chance although each event says
 * random. Decided in ts order; then quiet for that officer × taxpayer pair for quietMs.
 * The subject is the assignee. Evidence: that pair's draws in the window (at most 20), ts order.
 */
import type { OpEvent } from '../types.js';
import type { AssignmentBiasParams, IndicatorDef } from '../catalog/types.js';
import type { ReferenceIndex } from '../reference/index.js';
import { fmtDuration, TtlQueue, type Rule, type RuleCtx } from './common.js';

const MAX_EVIDENCE = 20;
/** draws kept per taxpayer; older ones beyond it are dropped first */
const MAX_DRAWS = 1000;

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (n is at most MAX_DRAWS). */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p), lq = Math.log1p(-p);
  // log C(n, k) by summation
  let lc = 0;
  for (let i = 1; i <= k; i++) lc += Math.log(n - k + i) - Math.log(i);
  let term = lc + k * lp + (n - k) * lq;
  let sum = Math.exp(term);
  for (let i = k; i < n; i++) {
    term += Math.log(n - i) - Math.log(i + 1) + lp - lq;
    const t = Math.exp(term);
    sum += t;
    if (t < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

interface TaxpayerState {
  /** draws in ts order: ts, assignee, id */
  ts: number[];
  who: string[];
  ids: string[];
  /** officer → quiet until (inclusive); null until the taxpayer's first alert (most never have one) */
  quiet: Map<string, number> | null;
}

export class AssignmentBiasRule implements Rule {
  readonly ordered = true;
  private readonly p: AssignmentBiasParams;
  private keys = new Map<string, TaxpayerState>();
  private queue = new TtlQueue();
  private poolRef: ReferenceIndex | null = null;
  private pools = new Map<string, number>();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as AssignmentBiasParams;
  }

  /** active officers of the bureau with a pool role, recomputed when the reference data changes */
  private poolOf(bureau: string, ref: ReferenceIndex): number {
    if (this.poolRef !== ref) {
      this.poolRef = ref;
      this.pools.clear();
      for (const o of ref.officers.values()) {
        if (o.active === false || !this.p.poolRoles.includes(o.role)) continue;
        this.pools.set(o.bureau, (this.pools.get(o.bureau) ?? 0) + 1);
      }
    }
    return this.pools.get(bureau) ?? 0;
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    if (ev.action !== 'assign' || ev.attrs?.mode !== 'random') return;
    const who = ev.attrs.assignee;
    const tp = ev.taxpayer;
    if (typeof who !== 'string' || who === '' || !tp) return;
    let st = this.keys.get(tp);
    if (!st) {
      st = { ts: [ev.ts], who: [who], ids: [ev.id], quiet: null };
      this.keys.set(tp, st);
      this.queue.push(tp, ev.ts + this.p.windowMs);
    } else {
      st.ts.push(ev.ts); st.who.push(who); st.ids.push(ev.id);
      let drop = 0;
      while (drop < st.ts.length && (ev.ts - st.ts[drop] > this.p.windowMs || st.ts.length - drop > MAX_DRAWS)) drop++;
      if (drop) { st.ts.splice(0, drop); st.who.splice(0, drop); st.ids.splice(0, drop); }
    }
    const q = st.quiet?.get(who);
    if (q !== undefined && ev.ts <= q) return;
    const n = st.ts.length;
    // count first, collect the evidence only for an alert (the per-event path allocates nothing)
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (st.who[i] !== who) continue;
      if (q !== undefined && st.ts[i] <= q) continue; // draws inside the quiet period were used up
      k++;
    }
    if (k < this.p.minCount) return;
    const pool = this.poolOf(ev.bureau, ctx.ref);
    if (pool < 2) return;
    const pValue = binomialTail(n, k, 1 / pool);
    if (pValue >= this.p.alpha) return;
    (st.quiet ??= new Map()).set(who, ev.ts + this.p.quietMs);
    const mine: number[] = [];
    for (let i = 0; i < n; i++) if (st.who[i] === who && (q === undefined || st.ts[i] > q)) mine.push(i);
    const ev20 = mine.slice(-MAX_EVIDENCE).map((i) => st!.ids[i]);
    ctx.emit({
      subject: who, ts: ev.ts, evidence: ev20, bureau: ev.bureau, item: ev.item, taxpayer: tp, matter: ev.matter,
      detail: {
        zh: `${fmtDuration(this.p.windowMs)[0]}内随机分配 ${n} 次中 ${k} 次分给同一人（候选 ${pool} 人，偶然概率 ${pValue.toExponential(1)}）`,
        en: `drawn ${k} of ${n} random assignments within ${fmtDuration(this.p.windowMs)[1]} (pool ${pool}, chance ${pValue.toExponential(1)})`,
      },
    });
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  private expOf(st: TaxpayerState): number {
    let e = st.ts.length ? st.ts[st.ts.length - 1] + this.p.windowMs : -Infinity;
    if (st.quiet) for (const q of st.quiet.values()) if (q > e) e = q;
    return e;
  }

  shed(before: number): void { this.sweep(before + this.p.windowMs); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.keys.get(k); return s && this.expOf(s); }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }

  snapshot(): unknown {
    return Array.from(this.keys.entries(), ([k, s]) => [k, s.ts, s.who, s.ids, s.quiet ? Array.from(s.quiet.entries()) : []]);
  }

  restore(state: unknown): void {
    this.keys.clear(); this.queue.clear();
    for (const [k, ts, who, ids, quiet] of state as [string, number[], string[], string[], [string, number][]][]) {
      const st: TaxpayerState = { ts, who, ids, quiet: quiet.length ? new Map(quiet) : null };
      this.keys.set(k, st);
      this.queue.push(k, this.expOf(st));
    }
  }
}
