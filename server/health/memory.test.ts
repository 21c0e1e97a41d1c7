import { describe, expect, it } from 'vitest';
import { HEAP_WARN_SHARE, heapReason, memoryFigures, StoreMemorySampler } from './memory.js';

describe('heapReason', () => {
  it('what health says as the heap fills: nothing below 85 % of the limit, a degraded reason naming the figures above it', () => {
    expect(HEAP_WARN_SHARE).toBe(0.85);
    expect(heapReason({ heap_used_mib: 3000, heap_limit_mib: 4144 }, 5_000_000)).toBeNull();
    const r = heapReason({ heap_used_mib: 3600, heap_limit_mib: 4144 }, 5_776_389);
    expect(r).toMatch(/^memory: the JS heap holds 3600 of its 4144 MiB \(87 %\), the engine 5776389 keyed entries/);
    expect(heapReason({ heap_used_mib: 10, heap_limit_mib: 0 }, 0)).toBeNull();
  });

  it('what this process reports: a heap in use below its limit and a resident size above it', () => {
    const m = memoryFigures();
    expect(m.heap_used_mib).toBeGreaterThan(0);
    expect(m.heap_limit_mib).toBeGreaterThan(m.heap_used_mib);
    expect(m.rss_mib).toBeGreaterThanOrEqual(m.heap_used_mib);
    expect(m.heap_total_mib).toBeGreaterThanOrEqual(m.heap_used_mib); // committed ≥ used
  });
});

describe('StoreMemorySampler', () => {
  it('what health gets from it: the last sample at once, a new read only once the sample is older than its interval, one at a time', async () => {
    let t = 0, reads = 0;
    const pending: ((b: number) => void)[] = [];
    const s = new StoreMemorySampler(() => { reads++; return new Promise<number>((ok) => pending.push(ok)); }, () => t, 5000);
    expect(s.mib()).toBeNull(); // nothing sampled yet; the first read starts
    expect(s.mib()).toBeNull();
    expect(reads).toBe(1); // one in flight at a time
    pending.shift()!(512 * 2 ** 20);
    await new Promise((r) => setImmediate(r));
    expect(s.mib()).toBe(512);
    expect(reads).toBe(1); // fresh: no new read
    t += 5000;
    expect(s.mib()).toBe(512);
    expect(reads).toBe(2); // stale: the next read starts, the last sample still answers
  });
});
