import { describe, expect, it } from 'vitest';
import { SHED_AGES_MS, StateBudget, defaultStateBudget, type SheddableEngine } from './state-budget.js';

const DAY = 86_400_000;

/** An engine whose entries are spread evenly over the last `spanMs` of event time, one per ms-bucket of `perMs`. */
function spreadEngine(entries: number, spanMs: number, w = 1_000 * DAY): SheddableEngine & { cutoffs: number[] } {
  let keyed = entries;
  const cutoffs: number[] = [];
  return {
    watermark: w, cutoffs,
    stats: () => ({ keyedItems: keyed }),
    shedState(before) {
      cutoffs.push(before);
      const keepShare = Math.min(1, Math.max(0, (w - before) / spanMs));
      keyed = Math.min(keyed, Math.round(entries * keepShare));
      return keyed;
    },
  };
}

describe('StateBudget', () => {
  it('what it does under its budget: nothing; over it: moves the cutoff closer step by step until 70 % of the budget or less is left', () => {
    let now = 0;
    const budget = new StateBudget(1000, () => now);
    expect(budget.enforce(spreadEngine(1000, 30 * 60_000))).toBeNull(); // at the budget: nothing
    expect(budget.reason()).toBeNull();
    // 3,000 entries spread over the last 30 minutes: ages of days keep all, 15 min keeps half (1,500), 5 min keeps 500
    const eng = spreadEngine(3000, 30 * 60_000);
    const shed = budget.enforce(eng)!;
    expect(eng.cutoffs.map((c) => eng.watermark - c)).toEqual([...SHED_AGES_MS]);
    expect(shed).toMatchObject({ entries_before: 3000, entries_after: 500, before: eng.watermark - 300_000 });
    expect(budget.sheds).toBe(1);
    expect(budget.reason()).toMatch(/^engine state: over its budget of 1000 keyed entries \(3000\) at .*: state last touched before .* was forgotten \(500 left\)/);
    now += 600_001;
    expect(budget.reason()).toBeNull(); // reported for ten minutes
    // state over a year: the first step (90 days) is enough
    const year = spreadEngine(3000, 365 * DAY);
    budget.enforce(year);
    expect(year.cutoffs.length).toBe(2); // 90 d keeps 740 > 700, 30 d keeps 247
  });

  it('what the default budget is: one keyed entry per KB of the heap limit; a budget of 0 sheds nothing', () => {
    expect(defaultStateBudget(4144 * 2 ** 20)).toBe(4_345_298);
    expect(new StateBudget(0, () => 0).enforce(spreadEngine(10 ** 9, DAY))).toBeNull();
  });
});
