/**
 * Deterministic operation-event simulator (events.md wire fields, ts as epoch ms).
 *
 * One work item is planned at once, from its `issue` to its last event (which may lie days
 * ahead); the caller decides what to do with future events (history: keep those inside the
 * period; live: a time-ordered pending queue). Clean items follow
 * issue → assign → accept → handle ×1–3 → [approve] → complete → feedback → [rate], with
 * officer steps in working hours (Asia/Shanghai, Mon–Fri 08–18) and completion within the
 * matter's standard_hours. A small share of items carries one misconduct pattern, one per
 * core indicator of indicators.md (see `RATES`).
 */
import type { Action, AttrValue, Matter, Officer, OpEvent, Platform, ReferenceData } from '../types.js';
import { Rng } from './prng.js';
import { DAY, HOUR, MIN, WorkTime, localMidnight } from './worktime.js';
import { WorkingCalendar, toIsoShanghai } from '../time.js';
import type { IndicatorDef } from '../catalog/types.js';
import { defaultCatalog } from '../catalog/index.js';
import { ReferenceIndex } from '../reference/index.js';
import { assignTickets, plant, type PlantEnv } from './plant.js';

export const CORE_INDICATORS = [
  'SVC-01', 'PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'PRC-05', 'INS-01', 'INS-02', 'FIL-01', 'TSK-01', 'TSK-02',
] as const;
export type CoreIndicator = (typeof CORE_INDICATORS)[number];

/**
 * Per-item injection probabilities among eligible items (history and live alike), except
 * PRC-05 (bursts: per working day in history, per started item in live).
 */
export const RATES = {
  'SVC-01': 0.004, // power items: approve or complete moved to the evening / weekend
  'PRC-01': 0.003, // power items: the handler approves their own item
  'PRC-02': 0.01, // items of matters with limits: approver's limit exceeded
  'PRC-03': 0.003, // power items: completed with no approve
  'PRC-04': 0.003, // officer-handled items: a modify after completion
  'PRC-05': 0.4, // history: chance per working day of one officer's burst of 5–6 cancels in < 60 min
  'PRC-05-live': 1 / 2500, // live: chance per started item of such a burst
  'INS-01': 0.004, // inspection items: the inspector accepts 2 more items of the same taxpayer soon after
  'INS-02': 0.01, // inspection items: closed with zero adjustment in < 10 % of standard_hours
  'FIL-01': 0.006, // filing items: 3–4 modifies by one officer within hours
  'TSK-01': 0.012, // officer-handled items: abandoned, never completed nor cancelled
  'TSK-02': 0.005, // power items: manual assignment by a leader
} as const;

export type SimMode = 'history' | 'live';

export interface SimStats {
  items: number;
  events: number;
  /** Items (or bursts / pairings) carrying each injected misconduct pattern. */
  injected: Record<CoreIndicator, number>;
  /** Catalog patterns planted (scenarios per indicator id), history only. */
  planted: Record<string, number>;
  /** Indicators no checked scenario could be planted for in the period. */
  unplanted: string[];
}

const SYSTEM = 'system';
const CANCEL_REASONS = ['taxpayer withdrew', 'duplicate application', 'materials incomplete', 'entered in error'];
const REJECT_REASONS = ['materials incomplete', 'policy not applicable', 'amount not supported', 'signature missing'];
const PETITION_KINDS = ['complaint', 'report', 'appeal', 'suggestion'];
const MODIFY_FIELDS = ['amount', 'period', 'attachment', 'contact', 'bank_account', 'tax_basis'];

interface Model {
  bureaus: string[];
  bureauWeights: number[];
  tax: Map<string, Officer[]>;
  approvers: Map<string, Officer[]>;
  leaders: Map<string, Officer[]>;
  windows: Map<string, string[]>;
  matters: Matter[];
  matterWeights: number[];
  auto: Matter[];
  offHoursManual: Matter[];
  offHoursManualWeights: number[];
  nonPowerManual: Matter[];
  warmSafeManual: Matter[];
  nonAuto: Matter[];
  inspection: Matter[];
  power: Matter[];
  powerWeights: number[];
}

const DIFF_WEIGHT = [0, 8, 4, 2, 1.2, 0.6];

function buildModel(ref: ReferenceData): Model {
  const tax = new Map<string, Officer[]>();
  const leaders = new Map<string, Officer[]>();
  const approvers = new Map<string, Officer[]>();
  for (const o of ref.officers) {
    if (o.active === false) continue;
    const put = (m: Map<string, Officer[]>) => (m.get(o.bureau) ?? m.set(o.bureau, []).get(o.bureau)!).push(o);
    if (o.role === 'tax') put(tax);
    if (o.role === 'leader') put(leaders);
    if (o.role === 'tax' || o.role === 'leader') put(approvers);
  }
  const windows = new Map<string, string[]>();
  for (const w of ref.windows) (windows.get(w.bureau) ?? windows.set(w.bureau, []).get(w.bureau)!).push(w.code);
  // Item-handling bureaus: grassroots bureaus with at least 2 tax officers.
  const bureaus = ref.bureaus.map((b) => b.code).filter((c) => c !== 'HQ' && (tax.get(c)?.length ?? 0) >= 2);
  if (bureaus.length === 0) throw new Error('simulator: reference data needs a bureau with at least 2 active tax officers');
  const bureauWeights = bureaus.map((b) => tax.get(b)!.length + (windows.get(b)?.length ?? 0) / 4);
  const matters = ref.matters.slice();
  const weight = (m: Matter) => (DIFF_WEIGHT[m.difficulty] ?? 1) * (m.category === 'filing' || m.category === 'service' ? 1.5 : 1);
  // About 24 routine matters are handled by the system with no officer involved (domain.md).
  // The matter catalog marks them (`auto`); a reference set without the flag falls back to simple, non-power ones.
  const marked = matters.filter((m) => m.auto === true);
  const auto = marked.length > 0 ? marked : matters.filter((m) => !m.power && m.difficulty === 1 && (m.category === 'service' || m.category === 'filing')).slice(0, 24);
  const autoSet = new Set(auto);
  if (matters.length === 0) throw new Error('simulator: reference data has no matters');
  const or = (xs: Matter[], dflt: Matter[]) => (xs.length > 0 ? xs : dflt);
  const offHoursManual = or(matters.filter((m) => !autoSet.has(m) && m.standard_hours >= 72), matters);
  const nonAuto = or(matters.filter((m) => !autoSet.has(m)), matters);
  const power = or(matters.filter((m) => m.power), nonAuto);
  return {
    bureaus,
    bureauWeights,
    tax,
    approvers,
    leaders,
    windows,
    matters,
    // Routine system matters are frequent but each is a short item; keep them to about a third of the items.
    matterWeights: matters.map((m) => (autoSet.has(m) ? 3.2 : weight(m))),
    auto,
    offHoursManual,
    offHoursManualWeights: offHoursManual.map(weight),
    nonPowerManual: or(matters.filter((m) => !m.power && !autoSet.has(m)), nonAuto),
    // Warm-up: items whose first steps are never seen. Power matters would read as approvals skipped
    // (PRC-03), manual filings as completed without acceptance (FIL-08): neither is planned then.
    warmSafeManual: or(matters.filter((m) => !m.power && m.category !== 'filing' && !autoSet.has(m)), nonAuto),
    nonAuto,
    inspection: or(matters.filter((m) => m.category === 'inspection' && !autoSet.has(m)), nonAuto),
    power,
    powerWeights: power.map(weight),
  };
}

export interface ItemOptions {
  matter?: Matter;
  bureau?: string;
  handler?: Officer;
  taxpayer?: string;
  /** Force a misconduct pattern on this item (tests, scenarios). */
  force?: CoreIndicator | 'none';
}

/** Builds the events of one item with strictly increasing ts. */
class ItemBuilder {
  readonly events: OpEvent[] = [];
  private last = -Infinity;
  constructor(
    private sim: Simulator,
    readonly item: string,
    readonly matter: Matter,
    readonly bureau: string,
    readonly taxpayer: string | undefined,
    readonly window: string | undefined,
  ) {}
  get lastTs(): number {
    return this.last;
  }
  push(action: Action, officer: string, ts: number, extra?: { amount?: number; attrs?: Record<string, AttrValue> }): number {
    const t = Math.max(Math.round(ts), this.last + 1000);
    this.last = t;
    const e: OpEvent = {
      id: this.sim.nextEventId(),
      ts: t,
      platform: this.matter.platform as Platform,
      bureau: this.bureau,
      officer,
      matter: this.matter.code,
      item: this.item,
      action,
    };
    if (this.taxpayer !== undefined) e.taxpayer = this.taxpayer;
    if (this.window !== undefined) e.window = this.window;
    if (extra?.amount !== undefined) e.amount = extra.amount;
    if (extra?.attrs && Object.keys(extra.attrs).length > 0) e.attrs = extra.attrs;
    this.events.push(e);
    return t;
  }
}

/**
 * The planning core shared by history and live generation. Not a stream by itself:
 * `startItem` and friends hand every planned event to `sink`.
 */
export class Simulator {
  readonly rng: Rng;
  readonly model: Model;
  /** working days and hours of the reference data's calendar */
  readonly wt: WorkTime;
  readonly stats: SimStats;
  private eventCounter = 0;
  private itemCounter = 0;
  /** Live only: factor (≤ 1) on live item durations, set by LiveSimulator to bound its queue at high rates. */
  liveScale = 1;
  /** Live warm-up: plan only items whose later steps alone read as normal work (their early steps are never seen). */
  avoidPower = false;

  constructor(
    ref: ReferenceData,
    readonly seed: number,
    readonly mode: SimMode,
    private readonly idPrefix: string,
    private readonly itemPrefix: string,
    private readonly sink: (e: OpEvent) => void,
  ) {
    this.rng = new Rng(seed);
    this.model = buildModel(ref);
    this.wt = new WorkTime(ref.calendar ? new WorkingCalendar(ref.calendar) : WorkingCalendar.PLAIN);
    this.stats = { items: 0, events: 0, injected: Object.fromEntries(CORE_INDICATORS.map((k) => [k, 0])) as Record<CoreIndicator, number>, planted: {}, unplanted: [] };
  }

  nextEventId(): string {
    this.stats.events++;
    return `${this.idPrefix}-${(this.eventCounter++).toString(36)}`;
  }
  nextItemId(): string {
    this.stats.items++;
    return `${this.itemPrefix}-${(this.itemCounter++).toString(36)}`;
  }

  /** Taxpayer ids like T914403001A2B3C4D5 (18 chars): many small taxpayers, some large ones recur. */
  taxpayerId(): string {
    const r = this.rng;
    const n = r.chance(0.1) ? r.int(0, 4999) : r.int(5000, 2_999_999);
    const body = n.toString(36).toUpperCase().padStart(8, '0');
    const check = '0123456789ABCDEFGHJKLMNPQRTUWXY'[n % 31]!;
    return `T91440300${body}${check}`;
  }

  private pickBureau(): string {
    return this.model.bureaus[this.rng.weighted(this.model.bureauWeights)]!;
  }
  private pickMatter(): Matter {
    return this.model.matters[this.rng.weighted(this.model.matterWeights)]!;
  }
  private pickHandler(bureau: string, maxLevel: number): Officer {
    const all = this.model.tax.get(bureau)!;
    const fit = all.filter((o) => o.level <= maxLevel);
    return this.rng.pick(fit.length > 0 ? fit : all);
  }
  private leader(bureau: string): string {
    const l = this.model.leaders.get(bureau);
    return l && l.length > 0 ? this.rng.pick(l).id : this.rng.pick(this.model.approvers.get(bureau)!).id;
  }

  /** Working-time step for officer actions (history: always; live: only on power items). */
  private step(t: number, minutes: number, constrained: boolean): number {
    return constrained ? this.wt.addWorkMinutes(t, minutes) : t + minutes * MIN;
  }

  /** Chooses a misconduct pattern for a fresh item (at most one), by RATES. */
  private chooseInjection(m: Matter, t0: number): CoreIndicator | 'none' {
    const r = this.rng;
    const c: [CoreIndicator, number][] = [];
    if (m.power) c.push(['SVC-01', RATES['SVC-01']], ['PRC-01', RATES['PRC-01']], ['PRC-03', RATES['PRC-03']], ['TSK-02', RATES['TSK-02']]);
    if (m.power && m.limits) c.push(['PRC-02', RATES['PRC-02']]);
    c.push(['PRC-04', RATES['PRC-04']], ['TSK-01', RATES['TSK-01']]);
    if (m.category === 'filing') c.push(['FIL-01', RATES['FIL-01']]);
    if (m.category === 'inspection' && this.wt.isWorkingTime(t0)) c.push(['INS-02', RATES['INS-02']], ['INS-01', RATES['INS-01']]);
    let u = r.next();
    for (const [k, p] of c) {
      if (u < p) return k;
      u -= p;
    }
    return 'none';
  }

  /**
   * Starts a new item whose `issue` happens at t0. `offHours`: the item was started outside
   * working hours (routine system matters mostly).
   */
  startItem(t0: number, opts: ItemOptions = {}): void {
    const r = this.rng;
    const live = () => this.mode === 'live';
    let matter = opts.matter;
    if (!matter) {
      if (!this.wt.isWorkingTime(t0)) {
        const u = r.next();
        if (live()) {
          // Live demo keeps its rate around the clock: system routines, non-power overtime work,
          // a few power items whose officer steps wait for the morning.
          matter = u < 0.55 && this.model.auto.length > 0 ? r.pick(this.model.auto) : u < 1 - 0.05 * this.liveScale ? r.pick(this.model.nonPowerManual) : this.model.power[r.weighted(this.model.powerWeights)]!;
        } else {
          matter = u < 0.8 && this.model.auto.length > 0 ? r.pick(this.model.auto) : this.model.offHoursManual[r.weighted(this.model.offHoursManualWeights)]!;
        }
      } else matter = this.pickMatter();
      if (this.avoidPower && (matter.power || (matter.category === 'filing' && !this.model.auto.includes(matter)))) matter = r.pick(this.model.warmSafeManual);
    }
    const bureau = opts.bureau ?? opts.handler?.bureau ?? this.pickBureau();
    const taxpayer = opts.taxpayer ?? (matter.platform === 'internal' ? undefined : this.taxpayerId());
    const wins = this.model.windows.get(bureau);
    const window = matter.platform === 'service' && wins && wins.length > 0 ? r.pick(wins) : undefined;
    const b = new ItemBuilder(this, this.nextItemId(), matter, bureau, taxpayer, window);
    if (this.model.auto.includes(matter) && !opts.handler) {
      this.autoItem(b, t0);
    } else {
      const force = opts.force ?? this.chooseInjection(matter, t0);
      if (force !== 'none') this.stats.injected[force]++;
      const handler = this.manualItem(b, t0, force, opts.handler);
      for (const e of b.events) this.sink(e);
      if (force === 'INS-01' && taxpayer !== undefined) {
        // INS-01: the same inspector takes two more inspection items of this taxpayer soon after.
        let tt = t0;
        for (let i = 0; i < 2; i++) {
          tt = live() ? tt + r.range(10, 90) * this.liveScale * MIN : this.wt.nextWorkingTime(tt + r.range(1, 10) * DAY);
          this.startItem(tt, { matter: r.pick(this.model.inspection), handler, taxpayer, bureau, force: 'none' });
        }
      }
      return;
    }
    for (const e of b.events) this.sink(e);
  }

  /** Routine matter handled end to end by the system, any hour. */
  private autoItem(b: ItemBuilder, t0: number): void {
    const r = this.rng;
    const k = this.mode === 'live' ? this.liveScale : 1;
    b.push('issue', SYSTEM, t0);
    b.push('accept', SYSTEM, t0 + r.int(1, 30) * 1000);
    if (r.chance(0.01)) {
      b.push('cancel', SYSTEM, t0 + r.int(30, 600) * k * 1000, { attrs: { reason: r.pick(CANCEL_REASONS) } });
      return;
    }
    const tc = b.push('complete', SYSTEM, t0 + r.int(30, 1800) * k * 1000);
    b.push('feedback', SYSTEM, tc + r.int(1, 120) * k * 1000);
  }

  private manualItem(b: ItemBuilder, t0: number, inj: CoreIndicator | 'none', forcedHandler?: Officer): Officer {
    const r = this.rng;
    const m = b.matter;
    const live = this.mode === 'live';
    const k = this.liveScale;
    const constrained = !live || m.power;
    const deadline = t0 + m.standard_hours * HOUR;
    // The time plan, in (working) minutes from issue to complete.
    let plan: number;
    if (live) plan = Math.max(1, r.range(5, 180) * k);
    else {
      const budget = this.wt.workMinutesBetween(t0, deadline);
      plan = budget < 30 ? budget + r.range(60, 600) /* naturally late */ : budget * r.range(0.1, 0.75);
    }
    if (inj === 'INS-02') {
      // Close before 10 % of standard_hours elapsed, within today's working hours.
      const limit = Math.min(t0 + 0.08 * m.standard_hours * HOUR, localMidnight(t0) + 18 * HOUR - MIN) - t0;
      plan = Math.max(6, (limit / MIN) * r.range(0.4, 0.95));
      if (live) plan = Math.min(plan, Math.max(6, r.range(5, 180) * k));
    }
    const at = (frac: number, from: number) => Math.max(this.step(t0, plan * frac, constrained && inj !== 'INS-02'), from + 1000);

    // Amount on money matters.
    let amount: number | undefined;
    if (m.limits) amount = Math.round(r.logRange(m.limits[0]! * 0.05, m.limits[4]! * 0.9) * 100) / 100;
    const handler = forcedHandler ?? this.pickHandler(b.bureau, m.power ? 3 : 5);

    // issue (a case opened by a person records its basis: a report or referral number)
    const issuer = r.chance(0.75) || b.window === undefined ? SYSTEM : handler.id;
    const issueAttrs = m.category === 'inspection' ? { basis: `REF-${r.int(10000, 99999)}`, stage: 'selection' } : undefined;
    b.push('issue', issuer, t0, { amount, attrs: issueAttrs });
    // assign
    const assignAt = live ? t0 + r.range(1, 10) * k * MIN : this.step(t0, r.range(2, 30), constrained);
    if (inj === 'TSK-02') b.push('assign', this.leader(b.bureau), assignAt, { attrs: { mode: 'manual', assignee: handler.id } });
    else if (r.chance(0.88)) b.push('assign', SYSTEM, assignAt, { attrs: { mode: 'random', assignee: handler.id } });
    else {
      const manual = !m.power && r.chance(0.3);
      b.push('assign', this.leader(b.bureau), assignAt, { attrs: { mode: manual ? 'manual' : 'random', assignee: handler.id } });
    }
    // accept + handles
    let t = b.push('accept', handler.id, at(0.1, b.lastTs), { amount, attrs: this.inputs('accept', m, b, at(0.1, b.lastTs)) });
    const handles = r.int(1, 3);
    for (let i = 0; i < handles; i++) t = b.push('handle', handler.id, at(0.15 + (0.45 * (i + 1)) / handles, t));
    if (inj === 'TSK-01') return handler; // abandoned: never completed nor cancelled

    // ordinary cancellations
    if (inj === 'none' && r.chance(0.02)) {
      b.push('cancel', handler.id, at(0.7, t), { attrs: { reason: r.pick(CANCEL_REASONS) } });
      return handler;
    }
    // modifies before completion
    if (inj === 'FIL-01') {
      const k = r.int(3, 4);
      const span = Math.min(plan * 0.2, r.range(20, 600));
      for (let i = 0; i < k; i++) t = b.push('modify', handler.id, this.step(t, span / k, constrained), { attrs: { field: r.pick(MODIFY_FIELDS) } });
    } else if (r.chance(m.category === 'filing' ? 0.15 : 0.03)) {
      t = b.push('modify', handler.id, at(0.65, t), { attrs: { field: r.pick(MODIFY_FIELDS) } });
    }

    // approval on power matters
    let tApprove: number | undefined;
    if (m.power && inj !== 'PRC-03') {
      let approver: Officer;
      let approveAmount = amount;
      if (inj === 'PRC-01') approver = handler;
      else {
        const pool = this.model.approvers.get(b.bureau)!.filter((o) => o.id !== handler.id && o.level > handler.level);
        const cand = pool.length > 0 ? pool : this.model.approvers.get(b.bureau)!.filter((o) => o.id !== handler.id);
        if (m.limits && approveAmount !== undefined) {
          if (inj === 'PRC-02') {
            approver = r.pick(cand.filter((o) => o.level < 5).length > 0 ? cand.filter((o) => o.level < 5) : cand);
            approveAmount = Math.round(m.limits[approver.level - 1]! * r.range(1.05, 3) * 100) / 100;
            amount = approveAmount;
          } else {
            const ok = cand.filter((o) => m.limits![o.level - 1]! >= approveAmount!);
            if (ok.length === 0) {
              approver = cand.reduce((a, o) => (o.level > a.level ? o : a), cand[0]!);
              approveAmount = amount = Math.round(m.limits[approver.level - 1]! * r.range(0.3, 0.95) * 100) / 100;
            } else {
              const minLevel = Math.min(...ok.map((o) => o.level));
              const close = ok.filter((o) => o.level <= minLevel + 1);
              approver = r.pick(close);
            }
          }
        } else approver = r.pick(cand);
      }
      if (r.chance(0.05) && inj === 'none') {
        t = b.push('reject', approver.id, at(0.72, t), { attrs: { reason: r.pick(REJECT_REASONS) } });
        t = b.push('handle', handler.id, at(0.76, t));
      }
      let ta = at(0.8, t);
      if (inj === 'SVC-01' && r.chance(0.5)) ta = Math.max(this.wt.nextOffHours(ta, r.next()), t + MIN);
      tApprove = t = b.push('approve', approver.id, ta, { amount: approveAmount, attrs: this.inputs('approve', m, b, ta, approveAmount) });
    }
    // completion
    let tc = at(0.9, t);
    if (inj === 'SVC-01' && m.power && (tApprove === undefined || this.wt.isWorkingTime(tApprove))) tc = Math.max(this.wt.nextOffHours(tc, r.next()), t + MIN);
    else if (constrained && !this.wt.isWorkingTime(tc) && inj !== 'INS-02') tc = this.wt.nextWorkingTime(tc);
    let completeAmount = amount;
    if (m.category === 'inspection') {
      if (inj === 'INS-02') completeAmount = r.chance(0.5) ? 0 : undefined;
      else {
        const fast = Math.max(tc, t + 1000) - t0 < 0.1 * m.standard_hours * HOUR + 5 * MIN;
        // Clean inspections: zero adjustment only after a proper examination time.
        completeAmount = fast || r.chance(0.7) ? Math.round(r.logRange(2000, 5_000_000)) : 0;
        if (amount !== undefined && completeAmount > 0) completeAmount = amount;
      }
    }
    tc = b.push('complete', handler.id, tc, { amount: completeAmount, attrs: this.inputs('complete', m, b, tc, completeAmount) });
    // feedback, ratings, petitions (taxpayers act at any hour)
    const fb = b.push('feedback', r.chance(0.7) ? SYSTEM : handler.id, tc + (live ? r.range(1, 10) * k : r.range(1, 120)) * MIN);
    if (inj === 'PRC-04') {
      const who = r.chance(0.8) ? handler.id : this.rng.pick(this.model.tax.get(b.bureau)!).id;
      b.push('modify', who, this.step(fb, live ? r.range(5, 60) * k : r.range(30, 2400), constrained), { attrs: { field: r.pick(MODIFY_FIELDS) } });
    }
    if (b.taxpayer !== undefined && r.chance(m.platform === 'service' ? 0.45 : 0.2)) {
      const score = [5, 4, 3, 2, 1][r.weighted([62, 24, 8, 3.5, 2.5])]!;
      b.push('rate', handler.id, b.lastTs + (live ? r.range(1, 30) * k : r.range(5, 2880)) * MIN, { attrs: { score } });
    }
    if (r.chance(0.003)) {
      b.push('petition', handler.id, b.lastTs + (live ? r.range(5, 120) * k : r.range(60, 7 * 1440)) * MIN, { attrs: { kind: r.pick(PETITION_KINDS) } });
    }
    return handler;
  }

  /**
   * The optional attrs of the input contract (docs/indicators.md), with the ordinary values a
   * clean item carries, so that the indicators reading them are not blind: queue tickets at the
   * window (numbered later, in serving order: assignTickets), attachments as the matter
   * requires, the actual entry time of a filing, the taxpayer's credit grade, the previous invoice
   * quota, a penalty inside the discretion band, the selection estimate of an examination.
   */
  private inputs(action: 'accept' | 'approve' | 'complete', m: Matter, b: ItemBuilder, ts: number, amount?: number): Record<string, AttrValue> {
    const r = this.rng;
    const a: Record<string, AttrValue> = {};
    const tags = m.tags ?? [];
    if (action === 'accept' && b.window !== undefined) a.ticket = 0;
    if (m.required_docs !== undefined && (action === 'complete' || tags.includes('preferential'))) a.attachments = m.required_docs + r.int(0, 2);
    if (m.category === 'filing' && action !== 'approve') a.recorded_at = toIsoShanghai(ts + r.int(0, 30) * MIN);
    if (m.category === 'inspection') a.stage = action === 'complete' ? 'trial' : 'examination';
    if (action === 'approve' && b.taxpayer !== undefined && m.power) a.taxpayer_credit = r.pick(['A', 'A', 'B', 'B', 'B', 'M', 'C']);
    if (action === 'approve' && tags.includes('invoice_quota') && amount !== undefined) a.previous_quota = Math.round(amount / r.range(1, 1.8));
    if (m.penalty_band && (action === 'complete' || action === 'approve')) {
      const base = Math.round(r.logRange(5000, 2_000_000));
      a.tax_base = base;
      a.penalty = Math.round(base * r.range(m.penalty_band[0], m.penalty_band[1]) * 100) / 100;
    }
    if (action === 'complete' && tags.includes('case_examination') && amount !== undefined && amount > 0) a.estimated = Math.round(amount * r.range(0.8, 3));
    return a;
  }

  /** PRC-05: one officer cancels 5–6 freshly accepted items within one hour, starting at t. */
  startCancelBurst(t: number): void {
    const r = this.rng;
    const bureau = this.pickBureau();
    const officer = this.pickHandler(bureau, 5);
    const k = r.int(5, 6);
    const span = r.range(15, 55) * MIN;
    this.stats.injected['PRC-05']++;
    for (let i = 0; i < k; i++) {
      const m = this.pickMatterNotAuto();
      const taxpayer = m.platform === 'internal' ? undefined : this.taxpayerId();
      const wins = this.model.windows.get(bureau);
      const window = m.platform === 'service' && wins ? r.pick(wins) : undefined;
      const b = new ItemBuilder(this, this.nextItemId(), m, bureau, taxpayer, window);
      const ti = t + i * r.range(1, 3) * MIN;
      b.push('issue', SYSTEM, ti);
      b.push('accept', officer.id, ti + r.range(1, 4) * MIN);
      b.push('cancel', officer.id, t + 10 * MIN + (span * i) / (k - 1), { attrs: { reason: r.pick(CANCEL_REASONS) } });
      for (const e of b.events) this.sink(e);
    }
  }

  private pickMatterNotAuto(): Matter {
    for (let i = 0; i < 50; i++) {
      const m = this.pickMatter();
      if (!this.model.auto.includes(m)) return m;
    }
    return this.rng.pick(this.model.nonAuto);
  }

}

/** Sort by (ts, id): the order of indicators.md. */
export function compareEvents(a: OpEvent, b: OpEvent): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface HistoryOptions {
  reference: ReferenceData;
  /** Start, epoch ms. */
  from: number;
  days: number;
  /** Average items per calendar day (working days get more, rest days few). Default 820. */
  itemsPerDay?: number;
  seed?: number;
  /** The catalog whose patterns are planted (default: the built-in catalog). */
  catalog?: IndicatorDef[];
  /** Checked scenarios planted per indicator per 30 days (default 2; 0: none). */
  plantsPer30Days?: number;
}

export interface HistoryResult {
  /** Events with from ≤ ts < from + days, sorted by (ts, id). */
  events: OpEvent[];
  /** Planned events at or after the end of the period, sorted: in-flight items' future steps. */
  pending: OpEvent[];
  stats: SimStats;
}

/** Intra-day start time (local minutes since midnight) on a workday, peaking mid-morning and mid-afternoon. */
function workdayStartMinute(r: Rng): number {
  const u = r.next();
  if (u < 0.93) {
    const seg = r.weighted([1, 3, 3, 2, 1, 0.6, 2, 3, 2.5, 1.5]); // 08..18 hourly
    return 480 + seg * 60 + r.next() * 60;
  }
  return r.chance(0.5) ? r.range(18 * 60, 24 * 60) : r.range(0, 8 * 60);
}

export const DEFAULT_ITEMS_PER_DAY = 820;

/** History with the in-flight tail and injection counts. */
export function generateHistoryDetailed(opts: HistoryOptions): HistoryResult {
  const seed = opts.seed ?? 1;
  const perDay = opts.itemsPerDay ?? DEFAULT_ITEMS_PER_DAY;
  const end = opts.from + opts.days * DAY;
  const all: OpEvent[] = [];
  const sim = new Simulator(opts.reference, seed, 'history', `sim-${seed}`, `I${seed}`, (e) => all.push(e));
  const r = sim.rng;
  for (let day = localMidnight(opts.from); day < end; day += DAY) {
    const workday = sim.wt.isWorkingDay(day + 12 * HOUR); // the calendar's working day: holidays quiet, 调休 Saturdays busy
    const mean = perDay * (workday ? 1.3 : 0.25);
    const n = Math.max(0, Math.round(mean + r.range(-1, 1) * Math.sqrt(mean)));
    const starts: number[] = [];
    for (let i = 0; i < n; i++) starts.push(day + (workday ? workdayStartMinute(r) : r.range(0, 1440)) * MIN);
    starts.sort((a, b) => a - b);
    for (const t of starts) {
      if (t < opts.from || t >= end) continue;
      sim.startItem(t);
    }
    if (workday && r.chance(RATES['PRC-05'])) {
      const t = day + r.range(8.5 * 60, 16.5 * 60) * MIN;
      if (t >= opts.from && t < end) sim.startCancelBurst(t);
    }
  }
  plantCatalog(sim, opts, all, end);
  all.sort(compareEvents);
  assignTickets(all);
  const events: OpEvent[] = [];
  const pending: OpEvent[] = [];
  for (const e of all) {
    if (e.ts < opts.from) continue;
    (e.ts < end ? events : pending).push(e);
  }
  events.sort(compareEvents);
  pending.sort(compareEvents);
  return { events, pending, stats: sim.stats };
}

export const DEFAULT_PLANTS_PER_30_DAYS = 2;

/**
 * Plants every indicator's pattern (plant.ts) at a low rate: `plantsPer30Days` checked scenarios
 * per indicator, on days spread over the period (deterministic: its own PRNG stream, so the
 * background traffic does not change with the catalog).
 */
function plantCatalog(sim: Simulator, opts: HistoryOptions, sink: OpEvent[], end: number): void {
  const per = opts.plantsPer30Days ?? DEFAULT_PLANTS_PER_30_DAYS;
  if (per <= 0) return;
  const catalog = [...(opts.catalog ?? defaultCatalog)].filter((d) => d.enabled).sort((a, b) => (a.id < b.id ? -1 : 1));
  const ref = new ReferenceIndex(opts.reference);
  const rng = new Rng((opts.seed ?? 1) * 7919 + 17);
  const env: PlantEnv = { ref, rng, eventId: () => sim.nextEventId(), itemId: () => sim.nextItemId(), taxpayerId: () => sim.taxpayerId() };
  const n = Math.max(1, Math.round((per * opts.days) / 30));
  const usable = Math.max(1, Math.floor(opts.days) - 1);
  catalog.forEach((def, i) => {
    let planted = 0;
    for (let j = 0; j < n; j++) {
      const day = (i * 7 + j * Math.max(1, Math.floor(usable / n)) + rng.int(0, 2)) % usable;
      // a long pattern (a 20-day gap, a 10-day deadline) that does not fit later is tried from the start
      const evs = plant(def, env, opts.from + day * DAY, end) ?? plant(def, env, opts.from, end);
      if (!evs) continue;
      planted++;
      for (const e of evs) sink.push(e);
    }
    if (planted > 0) sim.stats.planted[def.id] = planted;
    else sim.stats.unplanted.push(def.id);
  });
}

/** Events of `days` days from `from`, sorted by (ts, id); events after the period are cut. */
export function generateHistory(opts: HistoryOptions): OpEvent[] {
  return generateHistoryDetailed(opts).events;
}
