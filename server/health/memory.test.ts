import { describe, expect, it } from 'vitest';
import { HEAP_WARN_SHARE, heapReason, memoryFigures } from './memory.js';

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
  });
});
