import { describe, expect, it } from 'vitest';
import { CheckpointEncoder, decodeCheckpoint, isBinaryCheckpoint, type RuleEntry } from './checkpoint-codec.js';

async function roundTrip(rules: RuleEntry[], head: Record<string, unknown> = { v: 1 }): Promise<{ bytes: Buffer; back: ReturnType<typeof decodeCheckpoint> }> {
  const enc = new CheckpointEncoder();
  for (const r of rules) await enc.add(r);
  const bytes = Buffer.concat(await enc.finish(12, 34, head));
  return { bytes, back: decodeCheckpoint(bytes) };
}

/** what a JSON checkpoint of the same rules reads back as */
function viaJson(rules: RuleEntry[], head: Record<string, unknown> = { v: 1 }): unknown {
  return JSON.parse(JSON.stringify({ seq: 12, written_at: 34, snapshot: { ...head, rules: Object.fromEntries(rules.map((r) => [r.id, { version: r.version, state: r.state, pos: r.pos }])) } }));
}

/** JSON with object keys in sorted order: the codec keeps an object's keys, not their order */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k === '__proto__' ? '(proto)' : k, Object.getOwnPropertyDescriptor(x, k)!.value as unknown]))
    : x));
}

/** a deterministic generator of JSON-like values, with the shapes rule states have and the edge cases JSON maps */
function* values(seed: number): Generator<unknown> {
  let s = seed >>> 0;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  const scalars = [null, undefined, true, false, 0, -0, 1, -1, 1.5, 1796346595339, -Infinity, Infinity, NaN, '', 'a', '税务', '𝄞x', '\u0000', 'open-1', 'system', '"q"\\'];
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.45) return scalars[Math.floor(rnd() * scalars.length)];
    if (r < 0.8) return Array.from({ length: Math.floor(rnd() * (rnd() < 0.2 ? 40 : 6)) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (const k of ['a', 'b', 't', 'ids', '__proto__'].filter(() => rnd() < 0.5)) {
      if (k === '__proto__') Object.defineProperty(o, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      else o[k] = value(depth + 1);
    }
    return o;
  };
  for (;;) yield value(0);
}

describe('checkpoint codec', () => {
  it('what a state reads back as when its rows mix kinds, lengths and keys: what JSON gives for it', async () => {
    const rows: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      rows.push(i % 3 === 0
        ? [`open-${i}`, i * 1000 + 0.25]
        : [`open-${i}`, i % 7 === 0 ? null : i, `open-e${i}`, 'system', `B0${i % 4}`, i % 5 ? null : `T${i}`, 'M001', undefined, i % 2, -Infinity, i % 11 ? { o: 'O1', t: i, i: `e${i}` } : 5]);
    }
    const rules: RuleEntry[] = [
      { id: 'R-1', version: 3, state: rows },
      { id: 'R-2', version: 1, state: { d: null, p: [[1, 2, [['O1', [3, 0, Array.from({ length: 40 }, (_, k) => `e${k}`)]]]]], h: [] } },
      { id: 'R-3', version: 1, state: null, pos: [{ seq: 5, ts: 6, id: 'x' }] },
      { id: 'R-4', version: 2, state: [] },
      { id: 'R-5', version: 2, state: [[]] },
    ];
    const { back } = await roundTrip(rules, { v: 1, watermark: { wm: 3 }, buffer: [{ id: 'e', ts: 1, seq: 9 }] });
    expect(back).toEqual(viaJson(rules, { v: 1, watermark: { wm: 3 }, buffer: [{ id: 'e', ts: 1, seq: 9 }] }));
    // exact: -0, nulls for non-finite numbers, own __proto__ keys survive (toEqual alone could blur them)
    expect(canonical(back) === canonical(viaJson(rules, { v: 1, watermark: { wm: 3 }, buffer: [{ id: 'e', ts: 1, seq: 9 }] }))).toBe(true);
  });

  it('what 300 generated values read back as: each exactly what JSON gives for it', async () => {
    const gen = values(20261204);
    for (let n = 0; n < 300; n++) {
      const rules: RuleEntry[] = [{ id: 'G', version: 1, state: gen.next().value }, { id: 'H', version: 1, state: Array.from({ length: 30 }, () => gen.next().value) }];
      const { back } = await roundTrip(rules);
      const got = canonical(back), want = canonical(viaJson(rules));
      if (got !== want) {
        let at = 0;
        while (got[at] === want[at]) at++;
        expect.fail(`value ${n} differs at ${at}: …${got.slice(Math.max(0, at - 120), at + 80)} … instead of …${want.slice(Math.max(0, at - 120), at + 80)} …`);
      }
    }
  });

  it('what it keeps once per column when a column has few distinct strings: a dictionary, read back as one string per value', async () => {
    const few = Array.from({ length: 5000 }, (_, i) => [`item-${i}`, `B0${i % 3}`]);
    const many = Array.from({ length: 5000 }, (_, i) => [`item-${i}`, `bureau-${i}`]);
    const a = await roundTrip([{ id: 'F', version: 1, state: few }]);
    const b = await roundTrip([{ id: 'F', version: 1, state: many }]);
    expect(a.back.snapshot.rules.F!.state).toEqual(few);
    expect(b.back.snapshot.rules.F!.state).toEqual(many);
    // positive control beside the size: the same row count, only the second column's distinct values differ
    expect(a.bytes.byteLength).toBeLessThan(b.bytes.byteLength - 5000 * 4);
  });

  it('what it does with a damaged file: throws, naming what does not fit, instead of restoring part of a state', async () => {
    const { bytes } = await roundTrip([{ id: 'R', version: 1, state: Array.from({ length: 100 }, (_, i) => [`k${i}`, i]) }]);
    expect(isBinaryCheckpoint(bytes)).toBe(true);
    expect(() => decodeCheckpoint(bytes)).not.toThrow(); // positive control
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/bytes, the header says/);
    expect(() => decodeCheckpoint(Buffer.from('{"seq":1}'))).toThrow(/not a binary checkpoint/);
    const flipped = Buffer.from(bytes);
    flipped[16] = 0x5d; // the header's JSON opens with "]"
    expect(() => decodeCheckpoint(flipped)).toThrow();
  });
});
