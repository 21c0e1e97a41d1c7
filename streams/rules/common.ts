/**
 * Shared pieces of the rule kinds: the rule interface the engine drives, condition compilation,
 * and a TTL queue for keyed state. Local time and the working calendar come from streams/time.ts.
 * Everything here is pure and synchronous.
 */
import type { Message, OpEvent } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import type { Condition, IndicatorDef, KeyPart, MatterFilter, Step } from '../catalog/types.js';
import { DAY, HOUR, isNight, isWeekend } from '../time.js';

export const SYSTEM = 'system';
export { DAY, HOUR } from '../time.js';

/** A hit found by a rule; the engine turns it into an Alert (id, bureau, message, version). */
export interface Hit {
  /** the officer whose conduct the alert is about */
  subject: string;
  /** event time of the hit: trigger event ts, or the time point */
  ts: number;
  evidence: string[];
  /** fallback bureau (trigger event's) when the subject is not in the reference data */
  bureau: string;
  item?: string | null;
  taxpayer?: string | null;
  matter?: string | null;
  amount?: number;
  /** extra human-readable detail, appended to the message */
  detail?: Message;
}

export interface RuleCtx {
  ref: ReferenceIndex;
  emit(hit: Hit): void;
}

/** One compiled indicator. The engine routes events to it by action and matter filter. */
export interface Rule {
  readonly def: IndicatorDef;
  /** true: decides in ts order as W passes events; false: decides on arrival */
  readonly ordered: boolean;
  /** optional narrower routing than the definition's matter filter (e.g. a sequence: the union of its steps' matters) */
  wantsMatter?(code: string, ref: ReferenceIndex): boolean;
  onEvent(ev: OpEvent, ctx: RuleCtx): void;
  /** earliest pending time point, Infinity when none */
  nextTimer(): number;
  /** fire the earliest pending time point */
  fireTimer(ctx: RuleCtx): void;
  /** forget state that can no longer matter given watermark w */
  sweep(w: number): void;
  /**
   * The state budget's eviction (server/engine/state-budget.ts): forget keyed state whose last event
   * is before `before` (event time), ahead of its horizon. Hits that would have needed it are missed;
   * state with pending time points (open deadlines) and quiet periods after an alert stay.
   */
  shed(before: number): void;
  size(): { keyed: number; timers: number };
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Rules without any state (per-event predicates) get these defaults. */
export abstract class StatelessRule implements Rule {
  abstract readonly def: IndicatorDef;
  abstract readonly ordered: boolean;
  abstract onEvent(ev: OpEvent, ctx: RuleCtx): void;
  nextTimer(): number { return Infinity; }
  fireTimer(): void {}
  sweep(): void {}
  shed(): void {}
  size() { return { keyed: 0, timers: 0 }; }
  snapshot(): unknown { return null; }
  restore(): void {}
}

// ---------- time ----------
// All local-time and calendar arithmetic lives in streams/time.ts; re-exported for the rule kinds.
export { isNight, isWeekend, localDate, localDayStart, localWeekStart } from '../time.js';

/** a window length in words: [zh, en] */
export function fmtDuration(ms: number): [string, string] {
  if (ms % DAY === 0 && ms >= 2 * DAY) return [`${ms / DAY} 天`, `${ms / DAY} d`];
  if (ms % HOUR === 0 && ms >= HOUR) return [`${ms / HOUR} 小时`, `${ms / HOUR} h`];
  return [`${Math.round(ms / 60_000)} 分钟`, `${Math.round(ms / 60_000)} min`];
}

// ---------- conditions ----------

export type Pred = (ev: OpEvent, ref: ReferenceIndex) => boolean;

function cmp(a: unknown, op: string, b: unknown): boolean {
  if (op === 'exists') return a !== undefined && a !== null && a !== '';
  if (op === 'absent') return a === undefined || a === null || a === '';
  if (a === undefined || a === null) return false;
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
  }
  return false;
}

function limitOf(ev: OpEvent, ref: ReferenceIndex): number | undefined {
  const limits = ref.matters.get(ev.matter)?.limits;
  if (!limits || limits.length === 0) return undefined;
  const lvl = ref.levelOf(ev.officer);
  return limits[Math.min(Math.max(lvl, 1), limits.length) - 1];
}

/** Does the matter (as the reference data has it now) pass the filter? Unknown matters pass only an empty filter (or codes). */
export function matterMatches(f: MatterFilter, code: string, ref: ReferenceIndex): boolean {
  if (f.codes && !f.codes.includes(code)) return false;
  if (f.categories === undefined && f.power === undefined && f.platforms === undefined && f.auto === undefined && f.tags === undefined) return true;
  const m = ref.matters.get(code);
  if (!m) return false;
  if (f.categories && !f.categories.includes(m.category)) return false;
  if (f.power !== undefined && m.power !== f.power) return false;
  if (f.platforms && !f.platforms.includes(m.platform)) return false;
  if (f.auto !== undefined && (m.auto === true) !== f.auto) return false;
  if (f.tags && !(m.tags && m.tags.some((t) => f.tags!.includes(t)))) return false;
  return true;
}

const numAttr = (ev: OpEvent, a: string): number | undefined => {
  const v = ev.attrs?.[a];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export function compileCondition(c: Condition): Pred {
  if ('any' in c) {
    const ps = c.any.map(compileCondition);
    return (ev, ref) => ps.some((p) => p(ev, ref));
  }
  if ('field' in c) {
    const f = c.field, op = c.op, v = c.value;
    return (ev) => cmp((ev as unknown as Record<string, unknown>)[f], op, v);
  }
  if ('attr' in c) {
    const a = c.attr;
    if (c.eq !== undefined) { const v = c.eq; return (ev) => ev.attrs?.[a] === v; }
    if (c.ne !== undefined) { const v = c.ne; return (ev) => ev.attrs?.[a] !== v; }
    const op = c.op ?? 'exists', v = c.value;
    return (ev) => cmp(ev.attrs?.[a], op, v);
  }
  // the working calendar is read as it stands when the rule decides (ref is the current version)
  if ('offHours' in c) { const want = c.offHours; return (ev, ref) => !ref.calendar.isWorkingTime(ev.ts) === want; }
  if ('restDay' in c) { const want = c.restDay; return (ev, ref) => !ref.calendar.isWorkingDay(ev.ts) === want; }
  if ('weekend' in c) { const want = c.weekend; return (ev) => isWeekend(ev.ts) === want; }
  if ('night' in c) { const want = c.night; return (ev) => isNight(ev.ts) === want; }
  if ('amountAboveLimit' in c) {
    const want = c.amountAboveLimit;
    return (ev, ref) => {
      if (ev.amount === undefined) return false;
      const lim = limitOf(ev, ref);
      if (lim === undefined) return false;
      return (ev.amount > lim) === want;
    };
  }
  if ('amountNearLimit' in c) {
    const f = c.amountNearLimit;
    return (ev, ref) => {
      if (ev.amount === undefined) return false;
      const lim = limitOf(ev, ref);
      return lim !== undefined && ev.amount >= f * lim && ev.amount <= lim;
    };
  }
  if ('amountOfTopLimit' in c) {
    const f = c.amountOfTopLimit;
    return (ev, ref) => {
      const limits = ref.matters.get(ev.matter)?.limits;
      return ev.amount !== undefined && !!limits && limits.length > 0 && ev.amount >= f * limits[limits.length - 1];
    };
  }
  if ('crossBureau' in c) {
    const want = c.crossBureau;
    return (ev, ref) => {
      const o = ref.officers.get(ev.officer);
      return o !== undefined && (o.bureau !== ev.bureau) === want;
    };
  }
  if ('windowOtherBureau' in c) {
    const want = c.windowOtherBureau;
    return (ev, ref) => {
      if (!ev.window) return false;
      const w = ref.windows.get(ev.window);
      return w !== undefined && (w.bureau !== ev.bureau) === want;
    };
  }
  if ('unknownOfficer' in c) { const want = c.unknownOfficer; return (ev, ref) => !ref.officers.has(ev.officer) === want; }
  if ('officerRole' in c) { const roles = c.officerRole; return (ev, ref) => { const o = ref.officers.get(ev.officer); return !!o && roles.includes(o.role); }; }
  if ('officerLevelAtMost' in c) { const n = c.officerLevelAtMost; return (ev, ref) => ref.levelOf(ev.officer) <= n; }
  if ('officerLevelAtLeast' in c) { const n = c.officerLevelAtLeast; return (ev, ref) => ref.levelOf(ev.officer) >= n; }
  if ('attrIsOfficer' in c) { const a = c.attrIsOfficer; return (ev) => ev.attrs?.[a] === ev.officer; }
  if ('amountMultipleOf' in c) { const n = c.amountMultipleOf; return (ev) => ev.amount !== undefined && ev.amount > 0 && ev.amount % n === 0; }
  if ('matter' in c) { const f = c.matter; return (ev, ref) => matterMatches(f, ev.matter, ref); }
  if ('officerInactive' in c) {
    const want = c.officerInactive;
    return (ev, ref) => { const o = ref.officers.get(ev.officer); return o !== undefined && (o.active === false) === want; };
  }
  if ('penaltyOutsideBand' in c) {
    const below = c.penaltyOutsideBand === 'below';
    return (ev, ref) => {
      const band = ref.matters.get(ev.matter)?.penalty_band;
      const penalty = numAttr(ev, 'penalty'), base = numAttr(ev, 'tax_base');
      if (!band || penalty === undefined || base === undefined || base <= 0) return false;
      return below ? penalty < band[0] * base : penalty > band[1] * base;
    };
  }
  if ('amountVsAttr' in c) {
    const { attr, op, factor } = c.amountVsAttr;
    return (ev) => {
      const v = numAttr(ev, attr);
      if (ev.amount === undefined || v === undefined || v <= 0) return false;
      return op === '>' ? ev.amount > factor * v : ev.amount < factor * v;
    };
  }
  if ('attachmentsBelowRequired' in c) {
    const want = c.attachmentsBelowRequired;
    return (ev, ref) => {
      const req = ref.matters.get(ev.matter)?.required_docs;
      const n = numAttr(ev, 'attachments');
      if (req === undefined || n === undefined) return false;
      return (n < req) === want;
    };
  }
  if ('recordedLaterThan' in c) {
    const lag = c.recordedLaterThan;
    return (ev) => {
      const r = ev.attrs?.recorded_at;
      if (typeof r !== 'string') return false;
      const t = Date.parse(r);
      return Number.isFinite(t) && t - ev.ts > lag;
    };
  }
  throw new Error(`unknown condition ${JSON.stringify(c)}`);
}

/** AND of conditions; an empty list is always true. */
export function compileConditions(cs: Condition[] | undefined): Pred {
  if (!cs || cs.length === 0) return () => true;
  const ps = cs.map(compileCondition);
  if (ps.length === 1) return ps[0];
  return (ev, ref) => { for (const p of ps) if (!p(ev, ref)) return false; return true; };
}

/** A compiled step: does this event make the step? */
export interface StepMatcher { actions: Set<string>; test: (ev: OpEvent, ref: ReferenceIndex) => boolean }
export function compileStep(s: Step): StepMatcher {
  const actions = new Set<string>(s.actions);
  const cond = compileConditions(s.when);
  const sys = s.includeSystem === true;
  return {
    actions,
    test: (ev, ref) => actions.has(ev.action) && (sys || ev.officer !== SYSTEM) && cond(ev, ref),
  };
}

/** The value of a key part on an event ('' when absent). */
export function partOf(ev: OpEvent, p: KeyPart): string {
  switch (p) {
    case 'officer': return ev.officer;
    case 'item': return ev.item;
    case 'taxpayer': return ev.taxpayer ?? '';
    case 'matter': return ev.matter;
    case 'window': return ev.window ?? '';
    case 'bureau': return ev.bureau;
  }
}

/** The composite key of an event, undefined when a part is missing (the event does not count). */
export function keyOf(ev: OpEvent, parts: KeyPart[]): string | undefined {
  if (parts.length === 1) { const v = partOf(ev, parts[0]); return v === '' ? undefined : v; }
  let k = '';
  for (let i = 0; i < parts.length; i++) {
    const v = partOf(ev, parts[i]);
    if (v === '') return undefined;
    k = i === 0 ? v : k + '\u0001' + v;
  }
  return k;
}

// ---------- TTL queue ----------

/**
 * Approximate FIFO of (expiry, key) pairs for keyed state. sweep(w) pops entries whose expiry has
 * passed, asks the owner for the key's current expiry, and either drops the key or queues it again.
 * Never expires early; may expire a little late when expiries are not pushed in order.
 */
export class TtlQueue {
  private keys: string[] = [];
  private exps: number[] = [];
  private head = 0;

  push(key: string, exp: number): void { this.keys.push(key); this.exps.push(exp); }

  sweep(w: number, expOf: (key: string) => number | undefined, drop: (key: string) => void): void {
    const keys = this.keys, exps = this.exps;
    let guard = keys.length - this.head; // each entry looked at once per sweep
    while (this.head < keys.length && guard-- > 0 && exps[this.head] < w) {
      const k = keys[this.head];
      this.head++;
      const e = expOf(k);
      if (e === undefined) continue;
      if (e < w) drop(k);
      else this.push(k, e);
    }
    if (this.head > 4096 && this.head * 2 > keys.length) {
      this.keys = keys.slice(this.head);
      this.exps = exps.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void { this.keys = []; this.exps = []; this.head = 0; }
  get length(): number { return this.keys.length - this.head; }
}

/** Map → array of entries, for JSON snapshots. */
export function mapToArr<V>(m: Map<string, V>): [string, V][] { return Array.from(m.entries()); }
