/**
 * A fixed-size Bloom filter over event ids: "definitely never seen" answers without asking the
 * store. Memory is fixed; as it fills, more ids fall through to the store's id index (still exact).
 */
export class BloomFilter {
  readonly bits: Uint8Array;
  private readonly mask: number;

  /** `log2Bits` from 10 to 32; `hashes` probes per id. */
  constructor(readonly log2Bits: number, readonly hashes = 7, bits?: Uint8Array) {
    if (log2Bits < 10 || log2Bits > 32) throw new Error('log2Bits: must be 10–32');
    const bytes = 2 ** log2Bits / 8;
    this.bits = bits ?? new Uint8Array(bytes);
    if (this.bits.length !== bytes) throw new Error('bits: wrong size');
    this.mask = 2 ** log2Bits - 1;
  }

  // Two FNV-1a variants; probes are h1 + i·h2 (double hashing).
  private hash(id: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  /** Adds the id; true when every one of its bits was already set (it may have been added before), false when it was surely new. */
  add(id: string): boolean {
    const [h1, h2] = this.hash(id);
    let held = true;
    for (let i = 0; i < this.hashes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) & this.mask;
      const m = 1 << (bit & 7);
      const byte = this.bits[bit >>> 3]!;
      if ((byte & m) === 0) { held = false; this.bits[bit >>> 3] = byte | m; }
    }
    return held;
  }

  mightContain(id: string): boolean {
    const [h1, h2] = this.hash(id);
    for (let i = 0; i < this.hashes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) & this.mask;
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}
