/**
 * Rule kind `peerOutlier`: an officer's count (or rate numerator/denominator) of an action in
 * an event-time period (local day or ISO week, Asia/Shanghai) against the active officers of the
 * same bureau (the officer's bureau from the reference data, else the event's): an alert when
 * z = (x − mean) / population sd ≥ z-threshold, with at least minCount numerator events and
 * minPeers active officers. Decided at the period's last millisecond (a time point after every
 * event of the period). Evidence: up to the first 20 numerator events of the officer.
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, PeerOutlierParams } from '../catalog/types.js';
import { compileStep, DAY, localDayStart, localWeekStart, type Rule, type RuleCtx, type StepMatcher } from './common.js';

const MAX_EVIDENCE = 20;

/** per officer: [numerator, denominator, evidence ids, fallback bureau] */
type OfficerCount = [number, number, string[], string];

interface Period {
  start: number;
  end: number; // exclusive
  officers: Map<string, OfficerCount>;
}

export class PeerOutlierRule implements Rule {
  readonly ordered = true;
  private readonly p: PeerOutlierParams;
  private readonly num: StepMatcher;
  private readonly den: StepMatcher | null;
  /** open periods by start, at most a few (late events may touch a period still open) */
  private periods = new Map<number, Period>();
  /** the latest decided period end; events before it are ignored */
  private decidedUpTo = -Infinity;

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as PeerOutlierParams;
    this.num = compileStep(this.p.numerator);
    this.den = this.p.denominator ? compileStep(this.p.denominator) : null;
  }

  private periodOf(ts: number): [number, number] {
    if (this.p.period === 'day') { const s = localDayStart(ts); return [s, s + DAY]; }
    const s = localWeekStart(ts); return [s, s + 7 * DAY];
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const isNum = this.num.test(ev, ctx.ref);
    const isDen = this.den !== null && this.den.test(ev, ctx.ref);
    if (!isNum && !isDen) return;
    if (ev.ts < this.decidedUpTo) return; // that period was decided already
    const [s, e] = this.periodOf(ev.ts);
    let per = this.periods.get(s);
    if (!per) { per = { start: s, end: e, officers: new Map() }; this.periods.set(s, per); if (e - 1 < this.nextT) this.nextT = e - 1; }
    let c = per.officers.get(ev.officer);
    if (!c) { c = [0, 0, [], ev.bureau]; per.officers.set(ev.officer, c); }
    if (isNum) { c[0]++; if (c[2].length < MAX_EVIDENCE) c[2].push(ev.id); }
    if (isDen) c[1]++;
  }

  private nextT = Infinity;
  private refresh(): void {
    let t = Infinity;
    for (const per of this.periods.values()) if (per.end - 1 < t) t = per.end - 1;
    this.nextT = t;
  }

  nextTimer(): number { return this.nextT; }

  fireTimer(ctx: RuleCtx): void {
    let first: Period | undefined;
    for (const per of this.periods.values()) if (!first || per.end < first.end) first = per;
    if (!first) return;
    this.periods.delete(first.start);
    this.refresh();
    if (first.end > this.decidedUpTo) this.decidedUpTo = first.end;
    // group by bureau
    const byBureau = new Map<string, [string, number, OfficerCount][]>();
    for (const [o, c] of first.officers) {
      let x: number;
      if (this.den) { if (c[1] === 0) continue; x = c[0] / c[1]; } else x = c[0];
      const b = ctx.ref.bureauOf(o, c[3]);
      let arr = byBureau.get(b);
      if (!arr) { arr = []; byBureau.set(b, arr); }
      arr.push([o, x, c]);
    }
    for (const [, arr] of byBureau) {
      if (arr.length < this.p.minPeers) continue;
      let sum = 0; for (const a of arr) sum += a[1];
      const mean = sum / arr.length;
      let v = 0; for (const a of arr) v += (a[1] - mean) ** 2;
      const sd = Math.sqrt(v / arr.length);
      if (sd === 0) continue;
      for (const [o, x, c] of arr) {
        const z = (x - mean) / sd;
        if (z >= this.p.z && c[0] >= this.p.minCount) {
          ctx.emit({
            subject: o, ts: first.end - 1, evidence: c[2].slice(), bureau: c[3],
            detail: {
              zh: `本期 ${this.den ? x.toFixed(2) : x}，同局均值 ${mean.toFixed(2)}，z=${z.toFixed(2)}`,
              en: `${this.den ? x.toFixed(2) : x} this ${this.p.period}, bureau mean ${mean.toFixed(2)}, z=${z.toFixed(2)}`,
            },
          });
        }
      }
    }
  }

  sweep(): void {}

  size() {
    let keyed = 0;
    for (const per of this.periods.values()) keyed += per.officers.size;
    return { keyed, timers: this.periods.size };
  }

  snapshot(): unknown {
    return {
      d: this.decidedUpTo === -Infinity ? null : this.decidedUpTo,
      p: Array.from(this.periods.values(), (per) => [per.start, per.end, Array.from(per.officers.entries())]),
    };
  }

  restore(state: unknown): void {
    const s = state as { d: number | null; p: [number, number, [string, OfficerCount][]][] };
    this.decidedUpTo = s.d ?? -Infinity;
    this.periods = new Map(s.p.map(([start, end, o]) => [start, { start, end, officers: new Map(o) }]));
    this.refresh();
  }
}
