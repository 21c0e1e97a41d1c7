/**
 * Rule kind `sequence`: an ordered chain of steps on one key — typically one taxpayer followed
 * across platforms (a bank-account change, then a refund approval, then an inspection case
 * cancelled) — decided in ts order at the event that completes the chain, when the last step is
 * within windowMs of the first. Each step names its own matters (a `matter` condition), so one
 * indicator spans several matter groups.
 *
 * Per key we keep, for each prefix length, the chain with the latest first step (the one most
 * likely to still fit the window). A `reset` event clears the key's chains (e.g. the arrears were
 * settled). After an alert the key is quiet for quietMs; its chains are used up.
 * Evidence: the chain's event ids in step order.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, MatterFilter, SequenceParams } from '../catalog/types.js';
import type { ReferenceIndex } from '../reference/index.js';
import { compileStep, fmtDuration, keyOf, matterMatches, TtlQueue, type Rule, type RuleCtx, type StepMatcher } from './common.js';

/** a partial chain: ts of its first step, ts of its last, ids, officers */
interface Chain { t0: number; t1: number; ids: string[]; officers: string[] }
interface KeyState { chains: (Chain | null)[]; q: number; last: number }

export class SequenceRule implements Rule {
  readonly ordered = true;
  private readonly p: SequenceParams;
  private readonly steps: StepMatcher[];
  private readonly reset: StepMatcher | null;
  private keys = new Map<string, KeyState>();
  private queue = new TtlQueue();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as SequenceParams;
    this.steps = this.p.steps.map(compileStep);
    this.reset = this.p.reset ? compileStep(this.p.reset) : null;
  }

  /** routed only events on a matter some step (or the reset) can match, when every one names its matters */
  wantsMatter(code: string, ref: ReferenceIndex): boolean {
    const all = [...this.p.steps, ...(this.p.reset ? [this.p.reset] : [])];
    const filters: MatterFilter[] = [];
    for (const s of all) {
      const m = s.when?.find((c): c is { matter: MatterFilter } => 'matter' in c);
      if (!m) return true;
      filters.push(m.matter);
    }
    return filters.some((f) => matterMatches(f, code, ref));
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const ref = ctx.ref;
    const isReset = this.reset !== null && this.reset.test(ev, ref);
    const n = this.steps.length;
    // which steps the event makes, before any key is built or looked up: most routed events make none
    let made = 0;
    if (!isReset) for (let j = 0; j < n; j++) if (this.steps[j].test(ev, ref)) made |= 1 << j;
    if (!isReset && made === 0) return;
    const k = keyOf(ev, this.p.key);
    if (k === undefined) return;
    let st = this.keys.get(k);
    if (isReset) {
      if (st) st.chains.fill(null);
      return;
    }
    // from the last step down, so one event never serves as two consecutive steps
    for (let j = n - 1; j >= 0; j--) {
      if ((made & (1 << j)) === 0) continue;
      if (st && ev.ts <= st.q) return; // quiet
      if (j === 0) {
        st ??= this.create(k, ev.ts);
        st.chains[0] = { t0: ev.ts, t1: ev.ts, ids: [ev.id], officers: [ev.officer] };
        st.last = Math.max(st.last, ev.ts);
        continue;
      }
      const prev = st?.chains[j - 1];
      if (!st || !prev || ev.ts - prev.t0 > this.p.windowMs || ev.ts < prev.t1) continue;
      const chain: Chain = { t0: prev.t0, t1: ev.ts, ids: [...prev.ids, ev.id], officers: [...prev.officers, ev.officer] };
      st.last = Math.max(st.last, ev.ts);
      if (j === n - 1) {
        st.chains.fill(null);
        st.q = this.p.quietMs > 0 ? ev.ts + this.p.quietMs : -Infinity;
        ctx.emit({
          subject: chain.officers[this.p.subject], ts: ev.ts, evidence: chain.ids, bureau: ev.bureau,
          item: ev.item, taxpayer: this.p.key.includes('taxpayer') ? ev.taxpayer ?? null : null, matter: ev.matter, amount: ev.amount,
          detail: { zh: `${fmtDuration(ev.ts - chain.t0)[0]}内依次发生`, en: `in sequence within ${fmtDuration(ev.ts - chain.t0)[1]}` },
        });
        return;
      }
      const cur = st.chains[j];
      if (!cur || cur.t0 <= chain.t0) st.chains[j] = chain;
    }
  }

  private create(k: string, ts: number): KeyState {
    const st: KeyState = { chains: new Array(this.steps.length - 1).fill(null), q: -Infinity, last: ts };
    this.keys.set(k, st);
    this.queue.push(k, ts + this.p.windowMs);
    return st;
  }

  nextTimer(): number { return Infinity; }
  fireTimer(): void {}

  private expOf(st: KeyState): number { return Math.max(st.last + this.p.windowMs, st.q); }

  shed(before: number): void { this.sweep(before + this.p.windowMs); }

  sweep(w: number): void {
    this.queue.sweep(w, (k) => { const s = this.keys.get(k); return s && this.expOf(s); }, (k) => this.keys.delete(k));
  }

  size() { return { keyed: this.keys.size, timers: 0 }; }

  snapshot(): unknown {
    return Array.from(this.keys.entries(), ([k, s]) => [k, s.chains, s.q === -Infinity ? null : s.q, s.last]);
  }

  restore(state: unknown): void {
    this.keys.clear(); this.queue.clear();
    for (const [k, chains, q, last] of state as [string, (Chain | null)[], number | null, number][]) {
      const st: KeyState = { chains, q: q ?? -Infinity, last };
      this.keys.set(k, st);
      this.queue.push(k, this.expOf(st));
    }
  }
}
