/**
 * Planting indicator patterns into simulated traffic, read from the catalog itself: for each
 * definition, a small scenario of events built from its rule kind and parameters (the steps,
 * the conditions, the key, the window, the threshold), placed at a time of day the conditions
 * ask for. Each scenario is checked before it is used: the real engine runs the definition over
 * it alone, and a scenario that does not raise the indicator is drawn again (other matter,
 * officer, alternative of an `any`), so a change of the catalog changes the patterns with it.
 *
 * A scenario is a handful of events on fresh items; its officers are real officers of the
 * reference data (a departed or unknown one where the conditions ask for it).
 */
import type { Action, AttrValue, Matter, Officer, OpEvent, OfficerRole, Platform } from '../types.js';
import type { Condition, IndicatorDef, KeyPart, MatterFilter, Step } from '../catalog/types.js';
import type { ReferenceIndex } from '../reference/index.js';
import { IndicatorEngine } from '../engine/engine.js';
import { compileStep } from '../rules/common.js';
import { DAY, HOUR, MIN, isWeekend, localDayStart, localWeekStart, toIsoShanghai } from '../time.js';
import type { Rng } from './prng.js';

const SYSTEM = 'system';
const FAR = Date.parse('2100-01-01T00:00:00Z');

export interface PlantEnv {
  ref: ReferenceIndex;
  rng: Rng;
  eventId(): string;
  itemId(): string;
  taxpayerId(): string;
}

/** Loose view of a condition: the planter reads every kind of condition by its key. */
type C = Record<string, unknown>;

/** Time class a scenario asks for: on working time, or off-hours at night on a rest day. */
type TimeClass = 'work' | 'off';

function flatten(cs: Condition[] | undefined, rng: Rng): C[] {
  const out: C[] = [];
  for (const c of (cs ?? []) as C[]) {
    if ('any' in c) out.push(...flatten([rng.pick(c.any as Condition[])], rng));
    else out.push(c);
  }
  return out;
}

function timeClassOf(conds: C[]): TimeClass | undefined {
  for (const c of conds) {
    if (c.offHours === true || c.night === true || c.weekend === true || c.restDay === true) return 'off';
  }
  for (const c of conds) if (c.offHours === false || c.restDay === false || c.weekend === false || c.night === false) return 'work';
  return undefined;
}

function matterMatches(f: MatterFilter | undefined, m: Matter): boolean {
  if (!f) return true;
  const x = f as MatterFilter & { auto?: boolean; tags?: string[] };
  const mm = m as Matter & { auto?: boolean; tags?: string[] };
  if (x.codes && !x.codes.includes(m.code)) return false;
  if (x.categories && !x.categories.includes(m.category)) return false;
  if (x.power !== undefined && m.power !== x.power) return false;
  if (x.platforms && !x.platforms.includes(m.platform)) return false;
  if (x.auto !== undefined && (mm.auto === true) !== x.auto) return false;
  if (x.tags && !(mm.tags && mm.tags.some((t) => x.tags!.includes(t)))) return false;
  return true;
}

/** what the conditions need of the matter */
function matterNeeds(conds: C[]): (m: Matter) => boolean {
  const needs: ((m: Matter) => boolean)[] = [];
  for (const c of conds) {
    if ('matter' in c) needs.push((m) => matterMatches(c.matter as MatterFilter, m));
    if ('amountAboveLimit' in c || 'amountNearLimit' in c || 'amountOfTopLimit' in c) needs.push((m) => !!m.limits && m.limits.length > 0);
    if ('penaltyOutsideBand' in c) needs.push((m) => !!(m as Matter & { penalty_band?: number[] }).penalty_band);
    if ('attachmentsBelowRequired' in c) needs.push((m) => ((m as Matter & { required_docs?: number }).required_docs ?? 0) >= (c.attachmentsBelowRequired ? 1 : 0));
    if ('windowOtherBureau' in c || (c.field === 'window' && c.op === 'exists')) needs.push((m) => m.platform === 'service');
  }
  return (m) => needs.every((n) => n(m));
}

const limitOf = (m: Matter, level: number): number | undefined => (m.limits && m.limits.length ? m.limits[Math.min(Math.max(level, 1), m.limits.length) - 1] : undefined);

/** A builder of one scenario's events. */
class Scenario {
  readonly events: OpEvent[] = [];
  readonly tc: TimeClass;
  bureau: string;
  readonly officersByBureau = new Map<string, Officer[]>();

  constructor(readonly env: PlantEnv, readonly def: IndicatorDef, conds: C[], readonly t0: number) {
    this.tc = timeClassOf(conds) ?? 'work';
    for (const o of env.ref.data.officers) {
      if (o.active === false) continue;
      const arr = this.officersByBureau.get(o.bureau) ?? this.officersByBureau.set(o.bureau, []).get(o.bureau)!;
      arr.push(o);
    }
    const bureaus = [...this.officersByBureau.entries()].filter(([b, os]) => b !== 'HQ' && os.filter((o) => o.role === 'tax').length >= 6).map(([b]) => b);
    this.bureau = env.rng.pick(bureaus.length ? bureaus : [...this.officersByBureau.keys()]);
  }

  /** the scenario's start: a working morning, or 22:30 on a rest day that is a weekend */
  start(): number {
    const cal = this.env.ref.calendar;
    let day = localDayStart(this.t0);
    if (this.tc === 'work') {
      for (let i = 0; i < 30 && !cal.isWorkingDay(day + 12 * HOUR); i++) day += DAY;
      return day + 9 * HOUR + this.env.rng.int(0, 60) * MIN;
    }
    for (let i = 0; i < 30 && (cal.isWorkingDay(day + 12 * HOUR) || !isWeekend(day + 12 * HOUR)); i++) day += DAY;
    return day + 22 * HOUR + 30 * MIN + this.env.rng.int(0, 30) * MIN;
  }

  peers(role: OfficerRole = 'tax', bureau = this.bureau): Officer[] {
    return (this.officersByBureau.get(bureau) ?? []).filter((o) => o.role === role);
  }

  pickMatter(extra: C[] = [], filter: MatterFilter = this.def.matters): Matter | undefined {
    const need = matterNeeds(extra);
    const ms = this.env.ref.data.matters.filter((m) => matterMatches(filter, m) && need(m));
    // a routine system matter only where the indicator is about one (a person acting on it is a pattern of its own)
    const manual = ms.filter((m) => !(m as Matter & { auto?: boolean }).auto);
    const pool = manual.length && (filter as { auto?: boolean }).auto !== true && !extra.some((c) => (c.matter as { auto?: boolean } | undefined)?.auto === true) ? manual : ms;
    return pool.length ? this.env.rng.pick(pool) : undefined;
  }

  /** an officer meeting the officer conditions (undefined: a fitting one does not exist) */
  pickOfficer(conds: C[], bureau = this.bureau): string | undefined {
    const r = this.env.rng;
    for (const c of conds) {
      if (c.unknownOfficer === true) return `OX${r.int(100000, 999999)}`;
      if (c.officerInactive === true) {
        const gone = this.env.ref.data.officers.filter((o) => o.active === false);
        return gone.length ? r.pick(gone).id : undefined;
      }
    }
    let pool = (this.officersByBureau.get(bureau) ?? []).slice();
    let roleSet = false;
    for (const c of conds) {
      if ('officerRole' in c) { const roles = c.officerRole as OfficerRole[]; pool = pool.filter((o) => roles.includes(o.role)); roleSet = true; }
      if ('officerLevelAtMost' in c) pool = pool.filter((o) => o.level <= (c.officerLevelAtMost as number));
      if ('officerLevelAtLeast' in c) pool = pool.filter((o) => o.level >= (c.officerLevelAtLeast as number));
    }
    if (!roleSet) pool = pool.filter((o) => o.role === 'tax');
    return pool.length ? r.pick(pool).id : undefined;
  }

  /** one event of `action`, the conditions made true on it (as far as it can: the engine check decides) */
  make(action: Action, officer: string, matter: Matter, item: string, ts: number, conds: C[], extra: { taxpayer?: string; window?: string; amount?: number; attrs?: Record<string, AttrValue>; bureau?: string } = {}): OpEvent {
    const r = this.env.rng;
    const ref = this.env.ref;
    const o = ref.officers.get(officer);
    const e: OpEvent = {
      id: this.env.eventId(), ts: Math.round(ts), platform: matter.platform as Platform, bureau: extra.bureau ?? o?.bureau ?? this.bureau, officer, matter: matter.code, item, action,
    };
    if (matter.platform !== 'internal' || extra.taxpayer) e.taxpayer = extra.taxpayer ?? this.env.taxpayerId();
    const wins = ref.data.windows.filter((w) => w.bureau === e.bureau);
    if (extra.window) e.window = extra.window;
    else if (matter.platform === 'service' && wins.length) e.window = r.pick(wins).code;
    if (extra.amount !== undefined) e.amount = extra.amount;
    const attrs: Record<string, AttrValue> = { ...wellKnown(action, r), ...(extra.attrs ?? {}) };
    const level = ref.levelOf(officer);
    for (const c of conds) {
      if ('field' in c) {
        const f = c.field as string, op = c.op as string, v = c.value;
        if (f === 'amount') {
          const n = typeof v === 'number' ? v : 0;
          if (op === 'absent') delete e.amount;
          else if (op === 'exists') e.amount ??= Math.round(r.range(1000, 90000));
          else if (op === '>' ) e.amount = Math.max(n * 1.5, n + 1000);
          else if (op === '>=') e.amount = Math.max(n * 1.2, n);
          else if (op === '<') e.amount = Math.max(0, n * 0.5);
          else if (op === '<=') e.amount = Math.max(0, n * 0.5);
          else if (op === '==') e.amount = n;
          else if (op === '!=') e.amount = n + 1000;
        } else if (f === 'taxpayer' || f === 'window') {
          if (op === 'absent') delete (e as unknown as Record<string, unknown>)[f];
          else if (op === 'exists' && f === 'window' && !e.window && wins.length) e.window = r.pick(wins).code;
          else if (op === 'exists' && f === 'taxpayer' && !e.taxpayer) e.taxpayer = this.env.taxpayerId();
          else if (op === '==' && typeof v === 'string') (e as unknown as Record<string, unknown>)[f] = v;
        } else if (op === '==' && typeof v === 'string') (e as unknown as Record<string, unknown>)[f] = v;
      } else if ('attr' in c) {
        const a = c.attr as string;
        if (c.eq !== undefined) attrs[a] = c.eq as AttrValue;
        else if (c.ne !== undefined) attrs[a] = typeof c.ne === 'number' ? (c.ne as number) + 1 : typeof c.ne === 'boolean' ? !c.ne : `${String(c.ne)}-other`;
        else {
          const op = (c.op as string | undefined) ?? 'exists', v = c.value;
          if (op === 'absent') delete attrs[a];
          else if (op === 'exists') attrs[a] ??= defaultAttr(a, e, r);
          else if (typeof v === 'number') attrs[a] = op === '>' ? v + 1 : op === '>=' ? v : op === '<' ? v - 1 : op === '<=' ? v : op === '==' ? v : v + 1;
          else if (op === '==' && v !== undefined) attrs[a] = v as AttrValue;
          else if (op === '!=' && v !== undefined) attrs[a] = typeof v === 'boolean' ? !v : `${String(v)}-other`;
        }
      } else if ('amountAboveLimit' in c) {
        const lim = limitOf(matter, level);
        if (lim !== undefined) e.amount = c.amountAboveLimit ? Math.round(lim * r.range(1.1, 2)) : Math.round(lim * r.range(0.2, 0.8));
      } else if ('amountNearLimit' in c) {
        const lim = limitOf(matter, level), f = c.amountNearLimit as number;
        if (lim !== undefined) e.amount = Math.floor(lim * (f + (1 - f) * r.range(0.3, 0.9)));
      } else if ('amountOfTopLimit' in c) {
        const top = matter.limits?.[matter.limits.length - 1];
        if (top !== undefined) e.amount = Math.round(top * (c.amountOfTopLimit as number) * r.range(1.05, 1.3));
      } else if ('amountMultipleOf' in c) {
        const n = c.amountMultipleOf as number;
        e.amount = n * r.int(2, 30);
      } else if ('crossBureau' in c) {
        if (c.crossBureau && o) { const others = ref.data.bureaus.filter((b) => b.code !== o.bureau && b.code !== 'HQ'); if (others.length) e.bureau = r.pick(others).code; }
        if (!c.crossBureau && o) e.bureau = o.bureau;
      } else if ('windowOtherBureau' in c) {
        const other = ref.data.windows.filter((w) => (w.bureau !== e.bureau) === c.windowOtherBureau);
        if (other.length) e.window = r.pick(other).code;
      } else if ('attrIsOfficer' in c) attrs[c.attrIsOfficer as string] = officer;
      else if ('penaltyOutsideBand' in c) {
        const band = (matter as Matter & { penalty_band?: [number, number] }).penalty_band;
        const base = Math.round(r.range(20000, 500000));
        attrs.tax_base = base;
        if (band) attrs.penalty = Math.round(c.penaltyOutsideBand === 'below' ? band[0] * base * r.range(0.1, 0.8) : band[1] * base * r.range(1.1, 1.5));
      } else if ('amountVsAttr' in c) {
        const x = c.amountVsAttr as { attr: string; op: '>' | '<'; factor: number };
        const base = Math.round(r.range(10, 500)) * 100;
        attrs[x.attr] = base;
        e.amount = Math.round(x.op === '>' ? x.factor * base * r.range(1.2, 2) : x.factor * base * r.range(0.2, 0.8));
      } else if ('attachmentsBelowRequired' in c) {
        const req = (matter as Matter & { required_docs?: number }).required_docs ?? 0;
        attrs.attachments = c.attachmentsBelowRequired ? Math.max(0, req - r.int(1, Math.max(1, req))) : req;
      } else if ('recordedLaterThan' in c) {
        attrs.recorded_at = toIsoShanghai(e.ts + (c.recordedLaterThan as number) + r.int(1, 72) * HOUR);
      }
    }
    if (Object.keys(attrs).length) e.attrs = attrs;
    this.events.push(e);
    return e;
  }
}

/** the attrs every event of an action carries in the wire format (events.md "Well-known attrs") */
function wellKnown(action: Action, r: Rng): Record<string, AttrValue> {
  switch (action) {
    case 'assign': return { mode: 'random' };
    case 'rate': return { score: 5 };
    case 'petition': return { kind: 'complaint' };
    case 'reject': return { reason: r.pick(['materials incomplete', 'policy not applicable']) };
    case 'cancel': return { reason: r.pick(['taxpayer withdrew', 'duplicate application']) };
    default: return {};
  }
}

function defaultAttr(a: string, e: OpEvent, r: Rng): AttrValue {
  switch (a) {
    case 'recorded_at': return toIsoShanghai(e.ts);
    case 'attachments': return r.int(1, 5);
    case 'score': return r.int(1, 5);
    case 'ticket': return r.int(1, 200);
    case 'assignee': return e.officer;
    default: return 'x';
  }
}

const stepConds = (s: Step | undefined, rng: Rng): C[] => flatten(s?.when, rng);
const pickAction = (s: Step, rng: Rng): Action => rng.pick(s.actions);

/** draws one scenario for the definition starting around t0 (before `horizon`); undefined when the kind gives none */
function draw(def: IndicatorDef, env: PlantEnv, t0: number, horizon: number, companions: boolean): OpEvent[] | undefined {
  const r = env.rng;
  const p = def.params as unknown as Record<string, unknown>;
  const all: C[] = [];
  const collect = (s: unknown) => { if (s && typeof s === 'object' && 'actions' in (s as object)) all.push(...flatten((s as Step).when, r)); };
  for (const k of ['first', 'second', 'start', 'handler', 'from', 'to', 'numerator', 'denominator']) collect(p[k]);
  if (Array.isArray(p.steps)) (p.steps as Step[]).forEach(collect);
  all.push(...flatten(p.when as Condition[] | undefined, r), ...flatten(p.toWhen as Condition[] | undefined, r));
  const sc = new Scenario(env, def, all, t0);
  let t = sc.start();
  const item = () => env.itemId();

  switch (def.kind) {
    case 'predicate': {
      const conds = flatten(p.when as Condition[], r);
      const m = sc.pickMatter(conds); if (!m) return undefined;
      const o = sc.pickOfficer(conds); if (!o) return undefined;
      sc.make(r.pick(def.actions), o, m, item(), t, conds);
      break;
    }
    case 'pair': {
      const first = p.first as Step, second = p.second as Step;
      const c1 = stepConds(first, r), c2 = stepConds(second, r);
      const m = sc.pickMatter([...c1, ...c2]); if (!m) return undefined;
      const o1 = sc.pickOfficer(c1); if (!o1) return undefined;
      let o2 = o1;
      if (p.officer === 'different') { const others = sc.peers().filter((x) => x.id !== o1); if (!others.length) return undefined; o2 = r.pick(others).id; }
      const it = item();
      const gap = Math.max(1000, Math.min(((p.withinMs as number | undefined) ?? 10 * MIN) / 3, 20 * MIN));
      const e1 = sc.make(pickAction(first, r), o1, m, it, t, c1);
      sc.make(pickAction(second, r), o2, m, it, t + gap, c2, { taxpayer: e1.taxpayer, window: e1.window, amount: e1.amount });
      break;
    }
    case 'deadline': {
      const start = p.start as Step;
      const c = stepConds(start, r);
      const fixed = p.fixedMs as number | undefined, factor = (p.standardHoursFactor as number | undefined) ?? 1;
      const span = (m: Matter) => (fixed !== undefined ? fixed : factor * m.standard_hours * HOUR);
      const fits = (m: Matter) => (p.workingTime ? env.ref.calendar.addWorkingMs(t, span(m)) : t + span(m)) < horizon - DAY;
      const need = matterNeeds(c);
      const ms = env.ref.data.matters.filter((m) => matterMatches(def.matters, m) && need(m) && fits(m));
      if (!ms.length) return undefined;
      const m = r.pick(ms);
      const sys = start.includeSystem === true && r.chance(0.5);
      const o = sys ? SYSTEM : sc.pickOfficer(c); if (!o) return undefined;
      sc.make(pickAction(start, r), o, m, item(), t, c);
      break;
    }
    case 'slidingCount':
    case 'distinctCount': {
      const key = p.key as KeyPart[];
      const conds = flatten(p.when as Condition[] | undefined, r);
      const n = (p.count as number) + (def.kind === 'distinctCount' ? 0 : 0);
      const window = p.windowMs as number;
      const gap = window === 0 ? 0 : Math.max(1000, Math.min(Math.floor(window / (n + 1)), sc.tc === 'off' ? 20 * MIN : 5 * MIN));
      const distinct = def.kind === 'distinctCount' ? (p.distinct as KeyPart) : undefined;
      let m = sc.pickMatter(conds); if (!m) return undefined;
      const o = sc.pickOfficer(conds); if (!o) return undefined;
      const sameItem = key.includes('item') && distinct !== 'item' ? item() : undefined;
      const tp = env.taxpayerId();
      const ob = env.ref.officers.get(o)?.bureau ?? sc.bureau;
      const wins = env.ref.data.windows.filter((w) => w.bureau === ob);
      const win = wins.length ? r.pick(wins).code : undefined;
      const ms = distinct === 'matter' ? env.ref.data.matters.filter((x) => matterMatches(def.matters, x) && matterNeeds(conds)(x)) : [];
      const bureaus = env.ref.data.bureaus.filter((b) => b.code !== 'HQ').map((b) => b.code);
      for (let i = 0; i < n; i++) {
        if (distinct === 'matter') { if (ms.length < n) return undefined; m = ms[i]; }
        const ex: Parameters<Scenario['make']>[6] = {};
        if (key.includes('taxpayer') && distinct !== 'taxpayer') ex.taxpayer = tp;
        if (key.includes('window') && win) ex.window = win;
        if (distinct === 'window') { if (wins.length < n) return undefined; ex.window = wins[i].code; }
        if (distinct === 'bureau') ex.bureau = bureaus[i % bureaus.length];
        sc.make(r.pick(def.actions), o, m, sameItem ?? item(), t + i * gap, conds, ex);
      }
      break;
    }
    case 'elapsed': {
      const from = p.from as Step, to = p.to as Step;
      const cf = stepConds(from, r), ct = [...stepConds(to, r), ...flatten(p.toWhen as Condition[] | undefined, r)];
      const cal = env.ref.calendar;
      const thr = (m: Matter) => (p.thresholdMs as number | undefined) ?? ((p.standardHoursFraction as number) * m.standard_hours * HOUR);
      const later = (m: Matter) => {
        const span = p.op === 'lt' ? Math.max(1000, thr(m) * r.range(0.1, 0.5)) : thr(m) * r.range(1.02, 1.3) + MIN;
        let t2 = p.workingTime ? cal.addWorkingMs(t, span) : t + span;
        if (p.op === 'gt' && sc.tc === 'work') t2 = cal.nextWorkingTime(t2);
        return t2;
      };
      const need = matterNeeds([...cf, ...ct]);
      const ms = env.ref.data.matters.filter((m) => matterMatches(def.matters, m) && need(m) && later(m) < horizon - HOUR);
      if (!ms.length) return undefined;
      const m = r.pick(ms);
      const o = sc.pickOfficer([...cf, ...ct]); if (!o) return undefined;
      const it = item();
      const e1 = sc.make(pickAction(from, r), from.includeSystem && r.chance(0.5) ? SYSTEM : o, m, it, t, cf);
      sc.make(pickAction(to, r), o, m, it, later(m), ct, { taxpayer: e1.taxpayer, window: e1.window, amount: e1.amount });
      break;
    }
    case 'peerOutlier': {
      const num = p.numerator as Step, den = p.denominator as Step | undefined;
      const cn = stepConds(num, r), cd = stepConds(den, r);
      const m = sc.pickMatter([...cn, ...cd]); if (!m) return undefined;
      const minPeers = p.minPeers as number;
      const big = [...sc.officersByBureau.keys()].filter((b) => b !== 'HQ' && sc.peers('tax', b).length >= minPeers + 1);
      if (!big.length) return undefined;
      sc.bureau = r.pick(big);
      const peers = sc.peers();
      const numTest = compileStep(num);
      /** a denominator event that is not also a numerator event (a close with an adjustment, a good rating) */
      const plainDen = (off: string, ts: number) => {
        const e = sc.make(pickAction(den!, r), off, m, item(), ts, cd);
        if (!numTest.test(e, env.ref)) return;
        e.amount = Math.round(r.range(5000, 90000));
        if (!numTest.test(e, env.ref)) return;
        for (const c of cn) if ('attr' in c && e.attrs) { const a = c.attr as string; const v = e.attrs[a]; e.attrs[a] = typeof v === 'number' ? (a === 'score' ? 5 : v + 1000) : typeof v === 'boolean' ? !v : 'other'; }
      };
      const subject = r.pick(peers);
      const group = [subject, ...peers.filter((x) => x !== subject).slice(0, Math.max(minPeers + 2, 6))];
      const n = Math.max(3 * (p.minCount as number), 10);
      const compare = (p.compare as string | undefined) ?? 'peers';
      const hist = p.history as { periods: number; minPeriods: number } | undefined;
      const periodMs = p.period === 'day' ? DAY : 7 * DAY;
      const first = compare === 'peers' ? 0 : (hist?.minPeriods ?? 0);
      const base = p.period === 'day' ? localDayStart(t) : localWeekStart(t) + (t - localDayStart(t));
      const cal = env.ref.calendar;
      for (let k = first; k >= 0; k--) {
        // a working day of each period: history periods before, the spike in the last
        let day = base + (first - k) * periodMs;
        if (p.period === 'day') for (let i = 0; i < 10 && !cal.isWorkingDay(day + 12 * HOUR); i++) day += DAY;
        let ts = localDayStart(day) + 8 * HOUR + 5 * MIN;
        if (ts + 9 * HOUR > horizon) return undefined;
        for (const off of group) {
          const spike = off === subject && k === 0;
          const nn = spike ? n : 1 + (group.indexOf(off) % 2);
          const nd = den ? (spike ? Math.ceil(n / 3) : 10) : 0;
          for (let i = 0; i < nn; i++) { sc.make(pickAction(num, r), off.id, m, item(), ts, cn); ts += Math.floor((9 * HOUR) / (n * group.length + 50)); }
          for (let i = 0; i < nd; i++) { plainDen(off.id, ts); ts += Math.floor((9 * HOUR) / (n * group.length + 50)); }
        }
      }
      break;
    }
    case 'sequence' as IndicatorDef['kind']: {
      const steps = p.steps as Step[];
      const key = p.key as KeyPart[];
      const window = p.windowMs as number;
      const gap = Math.max(MIN, Math.min(Math.floor(window / (steps.length + 1)), 2 * DAY));
      const tp = env.taxpayerId();
      const subjectIdx = p.subject as number;
      const conds = steps.map((s) => stepConds(s, r));
      const o = sc.pickOfficer(conds[subjectIdx] ?? []); if (!o) return undefined;
      const shared = key.includes('matter') ? sc.pickMatter(conds.flat()) : undefined;
      if (key.includes('matter') && !shared) return undefined;
      for (let i = 0; i < steps.length; i++) {
        const m = shared ?? sc.pickMatter(conds[i]); if (!m) return undefined;
        const ti = t + i * gap;
        const at = sc.tc === 'work' ? env.ref.calendar.nextWorkingTime(ti) : ti;
        if (at >= horizon) return undefined;
        const who = i === subjectIdx || key.includes('officer') ? o : (steps[i].includeSystem ? SYSTEM : sc.pickOfficer(conds[i]) ?? o);
        sc.make(pickAction(steps[i], r), who, m, item(), at, conds[i], { taxpayer: tp });
      }
      break;
    }
    case 'amountChange' as IndicatorDef['kind']: {
      const from = p.from as Step, to = p.to as Step;
      const cf = stepConds(from, r), ct = stepConds(to, r);
      const sameItem = p.key === 'item';
      const m1 = sc.pickMatter(sameItem ? [...cf, ...ct] : cf); if (!m1) return undefined;
      const m2 = sameItem ? m1 : sc.pickMatter(ct); if (!m2) return undefined;
      const o = sc.pickOfficer([...cf, ...ct]); if (!o) return undefined;
      const a = Math.round(r.range(20000, 900000));
      const it = item();
      const e1 = sc.make(pickAction(from, r), from.includeSystem && r.chance(0.5) ? SYSTEM : o, m1, it, t, cf, { amount: a });
      sc.make(pickAction(to, r), o, m2, sameItem ? it : item(), t + Math.min(HOUR, ((p.withinMs as number | undefined) ?? DAY) / 2), ct,
        { taxpayer: e1.taxpayer, amount: Math.floor(a * (p.below as number) * r.range(0.2, 0.8)) });
      break;
    }
    case 'assignmentBias' as IndicatorDef['kind']: {
      const roles = p.poolRoles as OfficerRole[];
      const pool = env.ref.data.officers.filter((o) => o.bureau === sc.bureau && o.active !== false && roles.includes(o.role));
      if (pool.length < 2) return undefined;
      const target = r.pick(pool);
      const prob = 1 / pool.length;
      const k = Math.max(p.minCount as number, Math.ceil(Math.log(p.alpha as number) / Math.log(prob)) + 1);
      const window = p.windowMs as number;
      const gap = Math.max(MIN, Math.min(Math.floor(window / (k + 1)), DAY));
      const tp = env.taxpayerId();
      const m = sc.pickMatter([]); if (!m) return undefined;
      for (let i = 0; i < k; i++) {
        const at = env.ref.calendar.nextWorkingTime(t + i * gap);
        if (at >= horizon) return undefined;
        sc.make('assign', SYSTEM, m, item(), at, [], { taxpayer: tp, bureau: sc.bureau, attrs: { mode: 'random', assignee: target.id } });
      }
      break;
    }
    case 'queueJump' as IndicatorDef['kind']: {
      const wins = env.ref.data.windows.filter((w) => w.bureau === sc.bureau);
      const m = sc.pickMatter([{ field: 'window', op: 'exists' }]); if (!m || !wins.length) return undefined;
      const a = r.pick(sc.peers()), b = r.pick(sc.peers());
      // ticket -1 marks the one taken ahead of the queue: numbered when the day's tickets are (assignTickets)
      sc.make('accept', a.id, m, item(), t, [], { window: r.pick(wins).code, attrs: { ticket: -((p.gap as number) + r.int(3, 20)) } });
      sc.make('accept', b.id, m, item(), t + r.int(1, 5) * MIN, [], { window: r.pick(wins).code, attrs: { ticket: 0 } });
      break;
    }
    default:
      return undefined;
  }
  if (companions) addCompanions(sc, def);
  return sc.events;
}

/**
 * The rest of each planted item's ordinary life, so that a pattern raises its own indicator and
 * not a trail of others: an approval before a power matter's completion, a completion after an
 * approval or an issue, a feedback after a completion, each by someone else a minute or more
 * apart. Not added for an action the indicator itself listens to.
 */
function addCompanions(sc: Scenario, def: IndicatorDef): void {
  const env = sc.env;
  const listens = new Set<Action>(def.actions);
  const planted = [...sc.events];
  const items = new Map<string, OpEvent[]>();
  for (const e of planted) (items.get(e.item) ?? items.set(e.item, []).get(e.item)!).push(e);
  for (const [it, evs] of items) {
    const m = env.ref.matters.get(evs[0].matter);
    if (!m) continue;
    const has = (a: Action) => evs.some((e) => e.action === a);
    const last = evs.reduce((x, e) => (e.ts > x.ts ? e : x), evs[0]);
    const other = () => {
      const peers = sc.peers('tax', last.bureau).filter((o) => o.id !== last.officer);
      return peers.length ? env.rng.pick(peers).id : last.officer;
    };
    const extra = { taxpayer: last.taxpayer, window: last.window, bureau: last.bureau };
    const complete = evs.find((e) => e.action === 'complete');
    if (complete && m.power && !has('approve') && !listens.has('approve')) sc.make('approve', other(), m, it, complete.ts - MIN, [], extra);
    let done = complete;
    if (!done && (has('approve') || has('issue')) && !has('cancel') && !listens.has('complete')) {
      done = sc.make('complete', last.officer === SYSTEM ? other() : last.officer, m, it, last.ts + 30 * MIN, [], extra);
    }
    if (done && !has('feedback') && !listens.has('feedback')) sc.make('feedback', SYSTEM, m, it, done.ts + 5 * MIN, [], extra);
  }
}

/**
 * Queue tickets, as a service hall issues them: per bureau and local day, in the order the
 * window acceptances happen. An acceptance with `ticket: 0` gets the next number; a negative
 * ticket −g marks a holder taken ahead of the queue: they get the next number + g (someone who
 * came later) and the counter stays. Events must be in ts order.
 */
export function assignTickets(events: OpEvent[]): void {
  const counters = new Map<string, number>();
  for (const e of events) {
    const t = e.attrs?.ticket;
    if (e.action !== 'accept' || typeof t !== 'number' || t > 0) continue;
    const k = `${e.bureau}\u0001${localDayStart(e.ts)}`;
    const next = (counters.get(k) ?? 0) + 1;
    if (t < 0) e.attrs!.ticket = next - 1 - t;
    else { e.attrs!.ticket = next; counters.set(k, next); }
  }
}

/** does the definition, run alone over the events, raise at least one alert? */
export function raises(def: IndicatorDef, events: OpEvent[], ref: ReferenceIndex): boolean {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  assignTickets(sorted);
  const eng = new IndicatorEngine([{ ...def, enabled: true }], ref, { latenessMs: 5000, idleMs: 2000 });
  for (const e of sorted) if (eng.onEvent(e, e.ts).length) return true;
  return eng.onTick(FAR).length > 0;
}

/** A scenario that raises the definition (checked), or undefined after `tries` draws. */
export function plant(def: IndicatorDef, env: PlantEnv, t0: number, horizon: number, tries = 12): OpEvent[] | undefined {
  for (let i = 0; i < tries; i++) {
    const evs = draw(def, env, t0, horizon, i < tries - 3);
    if (evs && evs.length && raises(def, evs.map((e) => ({ ...e, attrs: e.attrs ? { ...e.attrs } : undefined })), env.ref)) return evs;
  }
  return undefined;
}
