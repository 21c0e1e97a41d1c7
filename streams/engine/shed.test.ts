import { describe, expect, it } from 'vitest';
import type { Alert } from '../types.js';
import { IndicatorEngine } from './engine.js';
import { defaultCatalog } from '../catalog/index.js';
import { T0, ev, ids, smallReference } from './testing/fixtures.js';

const CFG = { latenessMs: 0, idleMs: 2000 };
const H = 3600_000;

/** Accepts of `items` by one officer at `ts` (each an item PRC-01 waits on for its approve). */
function accepts(eng: IndicatorEngine, prefix: string, items: number, ts: number): void {
  for (let i = 0; i < items; i++) eng.onEvent(ev({ action: 'accept', item: `${prefix}${i}`, id: `${prefix}-acc-${i}` }, ts + i), ts + i);
}

function approve(eng: IndicatorEngine, item: string, ts: number): Alert[] {
  return [...eng.onEvent(ev({ action: 'approve', item, id: `${item}-apr` }, ts), ts), ...eng.onTick(ts + 10_000)];
}

describe('IndicatorEngine.shedState', () => {
  it('what it forgets when shed at a cutoff: keyed state last touched before it, in every rule; what came after stays and still raises', () => {
    const eng = new IndicatorEngine(defaultCatalog, smallReference(), CFG);
    accepts(eng, 'old', 50, T0);
    accepts(eng, 'new', 50, T0 + 10 * H);
    eng.onTick(T0 + 10 * H + 1000);
    const full = eng.stats().keyedItems;
    const left = eng.shedState(T0 + 5 * H);
    expect(left).toBe(eng.stats().keyedItems);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(full * 0.6);
    // a self-approval of a recent item is still found
    expect(ids(approve(eng, 'new3', T0 + 11 * H), 'PRC-01')).toEqual([['new-acc-3', 'new3-apr']]);
    // one whose accept was forgotten is missed: the documented price of shedding
    expect(ids(approve(eng, 'old3', T0 + 11 * H + 60_000), 'PRC-01')).toEqual([]);
  });

  it('what the same events raise without shedding: the old item\'s self-approval too (the control of the miss above)', () => {
    const eng = new IndicatorEngine(defaultCatalog, smallReference(), CFG);
    accepts(eng, 'old', 50, T0);
    accepts(eng, 'new', 50, T0 + 10 * H);
    eng.onTick(T0 + 10 * H + 1000);
    expect(ids(approve(eng, 'old3', T0 + 11 * H + 60_000), 'PRC-01')).toEqual([['old-acc-3', 'old3-apr']]);
  });
});
