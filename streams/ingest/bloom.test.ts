import { describe, expect, it } from 'vitest';
import { BloomFilter } from './bloom.js';

describe('BloomFilter', () => {
  it('never answers "not seen" for an id it was given', () => {
    const b = new BloomFilter(16);
    const ids = Array.from({ length: 3000 }, (_, i) => `ev-${i}-${(i * 7919).toString(36)}`);
    for (const id of ids) b.add(id);
    expect(ids.every((id) => b.mightContain(id))).toBe(true);
  });

  it('keeps false positives near the design rate when filled to ~1 % load', () => {
    const b = new BloomFilter(20); // 1 Mi bits
    for (let i = 0; i < 100_000; i++) b.add(`a-${i}`);
    let fp = 0;
    for (let i = 0; i < 100_000; i++) if (b.mightContain(`b-${i}`)) fp++;
    expect(fp / 100_000).toBeLessThan(0.02);
  });

  it('what add answers: false for an id surely new, true once it was added (as mightContain before the add)', () => {
    const b = new BloomFilter(20);
    for (let i = 0; i < 10_000; i++) {
      const id = `c-${i}`;
      const before = b.mightContain(id);
      expect(b.add(id)).toBe(before);
      expect(b.add(id)).toBe(true);
    }
  });

  it('round-trips through its bytes', () => {
    const b = new BloomFilter(12);
    b.add('x');
    const c = new BloomFilter(12, 7, Uint8Array.from(b.bits));
    expect(c.mightContain('x')).toBe(true);
    expect(() => new BloomFilter(12, 7, new Uint8Array(3))).toThrow(/bits/);
  });
});
