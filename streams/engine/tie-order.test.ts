import { describe, expect, it } from 'vitest';
import { TieOrder, compareUtf8 } from './tie-order.js';
import type { OpEvent } from '../types.js';

const ev = (id: string, ts: number) => ({ id, ts }) as OpEvent;

describe('TieOrder', () => {
  it('what it does with events in ts order: each ts group sorted by id, held until a later ts or the end', () => {
    const t = new TieOrder();
    const out: OpEvent[] = [];
    t.push([ev('b', 1), ev('a', 1), ev('c', 2), ev('z', 3)], out);
    expect(out.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    t.push([ev('y', 3), ev('x', 3)], out);
    expect(out.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    t.flush(out);
    expect(out.map((e) => e.id)).toEqual(['a', 'b', 'c', 'x', 'y', 'z']);
  });

  it('what it does with a ts going back: throws (the caller checks the order first)', () => {
    const t = new TieOrder();
    expect(() => t.push([ev('a', 2), ev('b', 1)], [])).toThrow(/out of ts order at b/);
  });

  it('what order ids take: UTF-8 bytes, as ClickHouse sorts (not UTF-16 code units)', () => {
    const ids = ['a', '\u{1F600}', '\uFF01', 'é', 'ab', ''];
    const bytes = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...ids].sort(compareUtf8)).toEqual(bytes);
    expect(compareUtf8('\u{1F600}', '\uFF01')).toBeGreaterThan(0);
    expect(compareUtf8('x', 'x')).toBe(0);
  });
});
