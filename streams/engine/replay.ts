/**
 * The isolated replay (issue 14): one engine instance of its own over events given in (ts, id)
 * order, on its own event time (the arrival clock is the event's ts, lateness 0: the order is
 * given, nothing is late), with the reference data as it stood at each event's time. Used by an
 * import (alerts of history) and by the backtest (hits of one definition): one way to replay.
 * Pure and synchronous; the live engine is never touched. Runs in a worker (server/replay).
 */
import type { Alert, OpEvent, ReferenceData } from '../types.js';
import type { IndicatorDef } from '../catalog/types.js';
import { ReferenceIndex } from '../reference/index.js';
import { localDate } from '../rules/common.js';
import { IndicatorEngine } from './engine.js';

/** A reference version and the time from which it describes the world. */
export interface DatedReference { validFrom: number; version: number; data: ReferenceData }

export class Replay {
  private readonly engine: IndicatorEngine;
  private readonly refs: { validFrom: number; index: ReferenceIndex }[];
  /** The reference version in use; -1 until the first event picks the one valid at its time. */
  private at = -1;
  private lastTs = -Infinity;
  events = 0;

  /** `refs` in any order; before the earliest validity start the earliest version applies. */
  constructor(catalog: readonly IndicatorDef[], refs: readonly DatedReference[]) {
    if (refs.length === 0) throw new Error('replay: at least one reference version is needed');
    this.refs = [...refs].sort((a, b) => a.validFrom - b.validFrom || a.version - b.version)
      .map((r) => ({ validFrom: r.validFrom, index: new ReferenceIndex(r.data, r.version) }));
    this.engine = new IndicatorEngine([...catalog], this.refs[0]!.index, { latenessMs: 0, idleMs: 0 });
  }

  /** Reference version number in use (the replay test checks a mid-history change is picked up). */
  get referenceVersion(): number { return this.refs[Math.max(0, this.at)]!.index.version; }

  /**
   * Events in (ts, id) order; alerts raised are appended to `out`. Before an event past the next
   * version's validity start, everything before that start is decided under the old version.
   */
  push(events: readonly OpEvent[], out: Alert[]): void {
    const engine = this.engine;
    const refs = this.refs;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      if (ev.ts < this.lastTs) throw new Error(`replay: events out of ts order at ${ev.id}`);
      this.lastTs = ev.ts;
      if (this.at < 0) {
        this.at = 0;
        while (this.at + 1 < refs.length && refs[this.at + 1]!.validFrom <= ev.ts) this.at++;
        if (this.at > 0) engine.setReference(refs[this.at]!.index);
      }
      while (this.at + 1 < refs.length && refs[this.at + 1]!.validFrom <= ev.ts) {
        const next = refs[++this.at]!;
        const a = engine.onTick(next.validFrom);
        for (let k = 0; k < a.length; k++) out.push(a[k]!);
        engine.setReference(next.index);
      }
      const a = engine.onEvent(ev, ev.ts);
      for (let k = 0; k < a.length; k++) out.push(a[k]!);
      this.events++;
    }
  }

  /** Moves event time to `end`: what is due before it (deadlines, ordered events) is decided; nothing later. */
  finish(end: number, out: Alert[]): void {
    const a = this.engine.onTick(end);
    for (let k = 0; k < a.length; k++) out.push(a[k]!);
  }
}

/** What a backtest answers: hits per local day (Asia/Shanghai), the total and the first 50 alerts. */
/** A task of the indicator resolved with a result: what a backtest is scored against (the closed loop). */
export interface ResolvedFinding { task: string; confirmed: boolean; evidence: readonly string[] }

/**
 * How a definition fares against the closed loop: of the resolved tasks whose alerts fell in the
 * range, the confirmed ones it would have raised an alert on (an alert of its own sharing an
 * evidence event with the task) and those it would have missed, and the dismissed ones it would
 * still raise; `unmatched` counts its alerts that touch no resolved task (new, or never investigated).
 */
export interface ClosedLoopScore {
  confirmed: { total: number; caught: number; missed: string[] };
  dismissed: { total: number; raised: number };
  unmatched: number;
}

export interface BacktestResult { days: { day: string; hits: number }[]; total: number; sample: Alert[]; closed_loop: ClosedLoopScore }

/** Folds a backtest's alerts (only those with ts in [from, to) count). */
export class BacktestTally {
  private readonly days = new Map<string, number>();
  readonly sample: Alert[] = [];
  total = 0;
  private unmatched = 0;
  /** evidence event id → indexes of the findings it belongs to */
  private readonly byEvidence = new Map<string, number[]>();
  private readonly touched: boolean[];
  constructor(private readonly range: { from: number; to: number }, private readonly findings: readonly ResolvedFinding[] = []) {
    this.touched = findings.map(() => false);
    findings.forEach((f, i) => {
      for (const e of f.evidence) {
        const l = this.byEvidence.get(e);
        if (l) l.push(i); else this.byEvidence.set(e, [i]);
      }
    });
  }

  add(alerts: readonly Alert[]): void {
    for (const a of alerts) {
      if (a.ts < this.range.from || a.ts >= this.range.to) continue;
      this.total++;
      const d = localDate(a.ts);
      this.days.set(d, (this.days.get(d) ?? 0) + 1);
      if (this.sample.length < 50) this.sample.push(a);
      let matched = false;
      for (const e of a.evidence) {
        const hit = this.byEvidence.get(e);
        if (!hit) continue;
        matched = true;
        for (const i of hit) this.touched[i] = true;
      }
      if (!matched) this.unmatched++;
    }
  }

  result(): BacktestResult {
    const score: ClosedLoopScore = { confirmed: { total: 0, caught: 0, missed: [] }, dismissed: { total: 0, raised: 0 }, unmatched: this.unmatched };
    this.findings.forEach((f, i) => {
      if (f.confirmed) {
        score.confirmed.total++;
        if (this.touched[i]) score.confirmed.caught++; else score.confirmed.missed.push(f.task);
      } else {
        score.dismissed.total++;
        if (this.touched[i]) score.dismissed.raised++;
      }
    });
    score.confirmed.missed.sort();
    return { days: Array.from(this.days, ([day, hits]) => ({ day, hits })).sort((a, b) => a.day.localeCompare(b.day)), total: this.total, sample: this.sample, closed_loop: score };
  }
}
