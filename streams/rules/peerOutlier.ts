/**
 * Rule kind `peerOutlier`: an officer's count (or rate numerator/denominator) of an action in an
 * event-time period (local day or ISO week, Asia/Shanghai) against their peers, or against their
 * own previous periods. Decided at the period's last millisecond (a time point after every event
 * of the period). Evidence: up to the first 20 numerator events of the officer.
 *
 * Why not a z-score over the whole bureau: with the subject inside the mean and the standard
 * deviation, the highest reachable z among n officers is √(n−1), so z ≥ 3 needs ten peers and
 * one officer rejecting 200 items against peers' 1–3 raises nothing in a bureau of eight. Here
 * the centre and spread come from the peers without the subject (leave-one-out), by default
 * robustly (median and 1.4826 × MAD, which one other wild peer does not drag along), with a
 * floor on the spread (counts: at least 1 and √centre, the Poisson noise of a count; rates:
 * 0.05) so that peers who all did exactly the same do not make any difference infinite.
 *
 * Peers: the officers active in the period (a numerator, denominator or `activity` event) in the
 * subject's group — by default the same bureau and role from the reference data; with 'mix', also
 * the same main matter (the matter they handled most in the period). A group with fewer than
 * `minPeers` other officers falls back to the group without its last part; the bureau alone is the
 * widest. The subject needs `minCount` numerator events (and, for rates, `minDenominator` events).
 */
import type { OpEvent } from '../types.js';
import type { IndicatorDef, PeerGroupPart, PeerOutlierParams } from '../catalog/types.js';
import type { ReferenceIndex } from '../reference/index.js';
import { compileStep, DAY, localDayStart, localWeekStart, type Rule, type RuleCtx, type StepMatcher } from './common.js';

const MAX_EVIDENCE = 20;
const MAD_TO_SD = 1.4826;

/** per officer and period: [numerator, denominator, evidence ids, fallback bureau, events per matter (for 'mix')] */
type OfficerCount = [number, number, string[], string, Record<string, number>];

interface Period {
  start: number;
  end: number; // exclusive
  officers: Map<string, OfficerCount>;
}

/** centre and spread of values (the subject is not among them) */
export function centreAndSpread(values: number[], statistic: 'robust' | 'leaveOneOut'): [number, number] {
  const n = values.length;
  if (n === 0) return [0, 0];
  if (statistic === 'leaveOneOut') {
    let sum = 0; for (const v of values) sum += v;
    const mean = sum / n;
    let ss = 0; for (const v of values) ss += (v - mean) ** 2;
    return [mean, Math.sqrt(ss / n)];
  }
  const med = median(values);
  return [med, MAD_TO_SD * median(values.map((v) => Math.abs(v - med)))];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Member { officer: string; x: number; c: OfficerCount }

export class PeerOutlierRule implements Rule {
  readonly ordered = true;
  private readonly p: PeerOutlierParams;
  private readonly num: StepMatcher;
  private readonly den: StepMatcher | null;
  private readonly act: StepMatcher | null;
  private readonly groupBy: PeerGroupPart[];
  private readonly usesMix: boolean;
  private readonly compare: 'peers' | 'history' | 'both';
  /** open periods by start, at most a few (late events may touch a period still open) */
  private periods = new Map<number, Period>();
  /** the latest decided period end; events before it are ignored */
  private decidedUpTo = -Infinity;
  /** per officer, their values in their last active periods (oldest first), when history is compared */
  private history = new Map<string, number[]>();

  constructor(readonly def: IndicatorDef) {
    this.p = def.params as PeerOutlierParams;
    this.num = compileStep(this.p.numerator);
    this.den = this.p.denominator ? compileStep(this.p.denominator) : null;
    this.act = this.p.activity ? compileStep(this.p.activity) : null;
    this.groupBy = this.p.groupBy ?? ['bureau', 'role'];
    this.usesMix = this.groupBy.includes('mix');
    this.compare = this.p.compare ?? 'peers';
  }

  private periodOf(ts: number): [number, number] {
    if (this.p.period === 'day') { const s = localDayStart(ts); return [s, s + DAY]; }
    const s = localWeekStart(ts); return [s, s + 7 * DAY];
  }

  onEvent(ev: OpEvent, ctx: RuleCtx): void {
    const isNum = this.num.test(ev, ctx.ref);
    const isDen = this.den !== null && this.den.test(ev, ctx.ref);
    if (!isNum && !isDen && !(this.act !== null && this.act.test(ev, ctx.ref))) return;
    if (ev.ts < this.decidedUpTo) return; // that period was decided already
    const [s, e] = this.periodOf(ev.ts);
    let per = this.periods.get(s);
    if (!per) { per = { start: s, end: e, officers: new Map() }; this.periods.set(s, per); if (e - 1 < this.nextT) this.nextT = e - 1; }
    let c = per.officers.get(ev.officer);
    if (!c) { c = [0, 0, [], ev.bureau, {}]; per.officers.set(ev.officer, c); }
    if (isNum) { c[0]++; if (c[2].length < MAX_EVIDENCE) c[2].push(ev.id); }
    if (isDen) c[1]++;
    if (this.usesMix) c[4][ev.matter] = (c[4][ev.matter] ?? 0) + 1;
  }

  private nextT = Infinity;
  private refresh(): void {
    let t = Infinity;
    for (const per of this.periods.values()) if (per.end - 1 < t) t = per.end - 1;
    this.nextT = t;
  }

  nextTimer(): number { return this.nextT; }

  /** the group key of an officer for the first `depth` parts of groupBy */
  private groupKey(m: Member, depth: number, ref: ReferenceIndex): string {
    let k = '';
    for (let i = 0; i < depth; i++) {
      const part = this.groupBy[i];
      const v = part === 'bureau' ? ref.bureauOf(m.officer, m.c[3])
        : part === 'role' ? (ref.officers.get(m.officer)?.role ?? '')
        : mainMatter(m.c[4]);
      k += (i ? '\u0001' : '') + v;
    }
    return k;
  }

  private floor(centre: number): number {
    if (this.den) return this.p.minSpread ?? 0.05;
    return Math.max(this.p.minSpread ?? 1, Math.sqrt(Math.max(centre, 0)));
  }

  fireTimer(ctx: RuleCtx): void {
    let first: Period | undefined;
    for (const per of this.periods.values()) if (!first || per.end < first.end) first = per;
    if (!first) return;
    this.periods.delete(first.start);
    this.refresh();
    if (first.end > this.decidedUpTo) this.decidedUpTo = first.end;
    const ref = ctx.ref;
    const statistic = this.p.statistic ?? 'robust';

    const members: Member[] = [];
    for (const [officer, c] of first.officers) {
      if (this.den && c[1] === 0) continue; // no rate without a denominator
      members.push({ officer, x: this.den ? c[0] / c[1] : c[0], c });
    }
    // groups at every depth, widest (bureau alone) to most specific
    const groups: Map<string, Member[]>[] = [];
    for (let depth = 1; depth <= this.groupBy.length; depth++) {
      const g = new Map<string, Member[]>();
      for (const m of members) {
        const k = this.groupKey(m, depth, ref);
        let arr = g.get(k);
        if (!arr) { arr = []; g.set(k, arr); }
        arr.push(m);
      }
      groups.push(g);
    }

    const usePeers = this.compare !== 'history', useHistory = this.compare !== 'peers';
    for (const m of members) {
      if (m.c[0] < this.p.minCount || (this.den && m.c[1] < (this.p.minDenominator ?? 1))) continue;
      let peerScore: { z: number; centre: number; n: number; depth: number } | null = null;
      if (usePeers) {
        for (let depth = this.groupBy.length; depth >= 1; depth--) {
          const group = groups[depth - 1].get(this.groupKey(m, depth, ref))!;
          if (group.length - 1 < this.p.minPeers) continue;
          const peers: number[] = [];
          for (const o of group) if (o !== m) peers.push(o.x);
          const [centre, spread] = centreAndSpread(peers, statistic);
          peerScore = { z: (m.x - centre) / Math.max(spread, this.floor(centre)), centre, n: peers.length, depth };
          break;
        }
        if (!peerScore || peerScore.z < this.p.z) continue;
      }
      let histScore: { z: number; centre: number; n: number } | null = null;
      if (useHistory) {
        const h = this.history.get(m.officer);
        if (!h || h.length < this.p.history!.minPeriods) continue;
        const [centre, spread] = centreAndSpread(h, statistic);
        histScore = { z: (m.x - centre) / Math.max(spread, this.floor(centre)), centre, n: h.length };
        if (histScore.z < this.p.z) continue;
      }
      const x = this.den ? m.x.toFixed(2) : String(m.x);
      const zh: string[] = [`本期 ${x}`], en: string[] = [`${x} this ${this.p.period}`];
      if (peerScore) {
        const who = this.groupBy.slice(0, peerScore.depth).map((g) => ({ bureau: ['同局', 'bureau'], role: ['同岗', 'role'], mix: ['同类事项', 'matter mix'] })[g]);
        zh.push(`${who.map((w) => w[0]).join('')}${peerScore.n} 人中心值 ${peerScore.centre.toFixed(2)}，z=${peerScore.z.toFixed(2)}`);
        en.push(`${peerScore.n} peers (${who.map((w) => w[1]).join(', ')}) centre ${peerScore.centre.toFixed(2)}, z=${peerScore.z.toFixed(2)}`);
      }
      if (histScore) {
        zh.push(`本人前 ${histScore.n} 期中心值 ${histScore.centre.toFixed(2)}，z=${histScore.z.toFixed(2)}`);
        en.push(`own last ${histScore.n} periods centre ${histScore.centre.toFixed(2)}, z=${histScore.z.toFixed(2)}`);
      }
      ctx.emit({ subject: m.officer, ts: first.end - 1, evidence: m.c[2].slice(), bureau: m.c[3], detail: { zh: zh.join('；'), en: en.join('; ') } });
    }

    if (useHistory) {
      const keep = this.p.history!.periods;
      for (const m of members) {
        let h = this.history.get(m.officer);
        if (!h) { h = []; this.history.set(m.officer, h); }
        h.push(m.x);
        if (h.length > keep) h.splice(0, h.length - keep);
      }
    }
  }

  sweep(): void {}
  /** bounded by the open periods (a day or a week of officers): nothing to shed */
  shed(): void {}

  size() {
    let keyed = this.history.size;
    for (const per of this.periods.values()) keyed += per.officers.size;
    return { keyed, timers: this.periods.size };
  }

  snapshot(): unknown {
    return {
      d: this.decidedUpTo === -Infinity ? null : this.decidedUpTo,
      p: Array.from(this.periods.values(), (per) => [per.start, per.end, Array.from(per.officers.entries())]),
      h: Array.from(this.history.entries()),
    };
  }

  restore(state: unknown): void {
    const s = state as { d: number | null; p: [number, number, [string, OfficerCount][]][]; h?: [string, number[]][] };
    this.decidedUpTo = s.d ?? -Infinity;
    this.periods = new Map(s.p.map(([start, end, o]) => [start, { start, end, officers: new Map(o.map(([k, c]) => [k, [c[0], c[1], c[2], c[3], c[4] ?? {}]])) }]));
    this.history = new Map(s.h ?? []);
    this.refresh();
  }
}

/** the matter with the most events, ties by code */
function mainMatter(counts: Record<string, number>): string {
  let best = '', n = -1;
  for (const k in counts) if (counts[k] > n || (counts[k] === n && k < best)) { best = k; n = counts[k]; }
  return best;
}
