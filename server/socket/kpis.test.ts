import { describe, expect, it } from 'vitest';
import { RecentSnapshots } from './kpis.js';
import type { KpiSnapshot } from './events.js';

const snap = (bureau: string | null, now: number, n: number) => ({ at: new Date(now).toISOString(), scope: { bureau }, events: n }) as unknown as KpiSnapshot;

describe('RecentSnapshots', () => {
  it('what it answers on demand: the scope\'s last snapshot while younger than the push interval, a new one after', async () => {
    let now = 1_000_000;
    let computed = 0;
    const s = new RecentSnapshots(async (b, t) => snap(b, t, ++computed), () => now, 5000);
    const first = await s.get(null);
    expect(computed).toBe(1);
    now += 4999;
    expect(await s.get(null)).toBe(first); // shared, not computed again
    expect(computed).toBe(1);
    // Positive control: another scope is its own snapshot, and at the interval the figure is new.
    expect((await s.get('B01')).scope.bureau).toBe('B01');
    expect(computed).toBe(2);
    now += 1;
    const later = await s.get(null);
    expect(later).not.toBe(first);
    expect(later.at).toBe(new Date(now).toISOString());
  });

  it('what it does when a push computes: the push is always new and becomes what is answered on demand; a failure is not kept', async () => {
    let now = 0;
    let fail = true;
    let computed = 0;
    const s = new RecentSnapshots(async (b, t) => { computed++; if (fail) throw new Error('store down'); return snap(b, t, computed); }, () => now, 5000);
    await expect(s.get(null)).rejects.toThrow('store down');
    fail = false;
    const pushed = await s.fresh(null); // not the failed one
    expect(computed).toBe(2);
    now += 10;
    expect(await s.get(null)).toBe(pushed);
    const again = await s.fresh(null);
    expect(again).not.toBe(pushed);
    expect(computed).toBe(3);
  });
});
