import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('remembers at least the last half of its capacity and never more than its capacity', () => {
    const r = new RecentIds(1000);
    for (let i = 0; i < 10_000; i++) r.add(`id-${i}`);
    for (let i = 9_500; i < 10_000; i++) expect(r.has(`id-${i}`)).toBe(true);
    expect(r.has('id-0')).toBe(false);
    expect(r.size).toBeLessThanOrEqual(1000);
  });
});
