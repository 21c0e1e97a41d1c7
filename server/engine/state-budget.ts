/**
 * The engine's state budget: the keyed state lives in the JS heap and grows with the work items
 * inside the rules' retention horizons (≈ 1.4 KB an item, docs/reliability.md), so a sustained high
 * ingest rate would otherwise fill the heap and end the process, and a restart from the checkpoint
 * would fill it again. Above `maxEntries` keyed entries the engine forgets its oldest state: the
 * state last touched before a cutoff, the cutoff moved closer to the watermark step by step (90 d,
 * 30 d, 7 d, 1 d, 6 h, 1 h, 15 min, 5 min) until the entries are at most `targetShare` of the
 * budget. Memory stays bounded; the price, said in GET /api/health (degraded for `reportMs` after a
 * shed), is that a pattern whose earlier events were forgotten is missed.
 */
const DAY = 86_400_000;
export const SHED_AGES_MS = [90 * DAY, 30 * DAY, 7 * DAY, DAY, 6 * 3600_000, 3600_000, 900_000, 300_000] as const;

export interface ShedRecord { at: number; before: number; entries_before: number; entries_after: number }

export interface SheddableEngine { watermark: number; stats(): { keyedItems: number }; shedState(before: number): number }

export class StateBudget {
  last: ShedRecord | null = null;
  sheds = 0;

  constructor(readonly maxEntries: number, private readonly clock: () => number, private readonly targetShare = 0.7, private readonly reportMs = 600_000) {}

  /** Sheds if the engine is over budget; the record of what it did, or null. */
  enforce(engine: SheddableEngine): ShedRecord | null {
    const before = engine.stats().keyedItems;
    if (this.maxEntries <= 0 || before <= this.maxEntries || !Number.isFinite(engine.watermark)) return null;
    let left = before, cutoff = -Infinity;
    for (const age of SHED_AGES_MS) {
      cutoff = engine.watermark - age;
      left = engine.shedState(cutoff);
      if (left <= this.targetShare * this.maxEntries) break;
    }
    this.sheds++;
    this.last = { at: this.clock(), before: cutoff, entries_before: before, entries_after: left };
    return this.last;
  }

  /** The degraded reason while a shed is recent, or null. */
  reason(): string | null {
    const l = this.last;
    if (!l || this.clock() - l.at > this.reportMs) return null;
    return `engine state: over its budget of ${this.maxEntries} keyed entries (${l.entries_before}) at ${new Date(l.at).toISOString()}: `
      + `state last touched before ${new Date(l.before).toISOString()} was forgotten (${l.entries_after} left); patterns that needed it can be missed`;
  }
}

/** The default budget: about one keyed entry per KB of the heap limit (a quarter of the heap at ~250 bytes an entry). */
export const defaultStateBudget = (heapLimitBytes: number): number => Math.floor(heapLimitBytes / 1000);
