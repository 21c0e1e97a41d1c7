/**
 * The draw PRNG: xoshiro128** seeded from a 128-bit hex seed through splitmix32. Pure and
 * deterministic: the same seed gives the same sequence on every machine (32-bit integer ops only).
 */
export const PRNG_ALGORITHM = 'xoshiro128ss-splitmix32-v1';

/** Splits a hex seed (any length ≥ 1) into four 32-bit words via splitmix32 over its 32-bit chunks. */
function seedWords(seedHex: string): [number, number, number, number] {
  if (!/^[0-9a-f]+$/i.test(seedHex)) throw new Error('seed: must be hex');
  let acc = 0x9e3779b9;
  for (let i = 0; i < seedHex.length; i += 8) acc = (Math.imul(acc ^ parseInt(seedHex.slice(i, i + 8), 16), 0x85ebca6b) + i) >>> 0;
  let s = acc;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const words = [next(), next(), next(), next()] as [number, number, number, number];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return words;
}

export class DrawRng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = seedWords(seed);
  }
  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d >>> 0, 11);
    this.a >>>= 0; this.b >>>= 0;
    return result;
  }
  /** Uniform in [0, 1) with 53 bits. */
  next(): number {
    const hi = this.nextU32() >>> 5, lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Derives a sub-seed (e.g. per bureau or per review) from a seed and a label, deterministically. */
export function deriveSeed(seed: string, label: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (const ch of `${seed}|${label}`) {
    const c = ch.codePointAt(0)!;
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  const r = new DrawRng(seed + h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0'));
  return [r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()].map((x) => x.toString(16).padStart(8, '0')).join('');
}
