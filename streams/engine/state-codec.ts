/**
 * The compact encoding of the engine's keyed state (checkpoint format v2). A rule with large state
 * writes it as a flat stream of numbers and strings (no per-item arrays or objects on either side);
 * numbers go into one Float64 column, strings into one table of distinct strings shared by every
 * rule (an item id open in sixteen rules is stored, and restored, once) referenced from a Uint32
 * column. The three columns travel as base64 inside an ordinary JSON document, so the checkpoint
 * stays one JSON text that JSON.parse reads in a few native scans instead of millions of values.
 * Pure: no I/O.
 */
import type { StateReader, StateWriter } from '../rules/common.js';

const NULL_REF = 0xffffffff;

export interface EncodedColumns {
  /** distinct strings, in first-use order */
  strings: string[];
  /** base64 of a little-endian Float64Array */
  nums: string;
  /** base64 of a little-endian Uint32Array of string-table references (NULL_REF = null) */
  refs: string;
}

class GrowF64 {
  a = new Float64Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = x;
  }
}
class GrowU32 {
  a = new Uint32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) { const b = new Uint32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = x;
  }
}

const toB64 = (v: Float64Array | Uint32Array, n: number) => Buffer.from(v.buffer, v.byteOffset, n * v.BYTES_PER_ELEMENT).toString('base64');

export class ColumnWriter implements StateWriter {
  private readonly index = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly nums = new GrowF64();
  private readonly refs = new GrowU32();

  num(x: number): void { this.nums.push(x); }

  /** where the next value goes: [number index, string-reference index] */
  get position(): [number, number] { return [this.nums.n, this.refs.n]; }

  str(s: string | null): void {
    if (s === null) { this.refs.push(NULL_REF); return; }
    let i = this.index.get(s);
    if (i === undefined) { i = this.strings.length; this.strings.push(s); this.index.set(s, i); }
    this.refs.push(i);
  }

  finish(): EncodedColumns {
    return { strings: this.strings, nums: toB64(this.nums.a, this.nums.n), refs: toB64(this.refs.a, this.refs.n) };
  }
}

export class ColumnReader implements StateReader {
  private readonly nums: Float64Array;
  private readonly refs: Uint32Array;
  private readonly strings: string[];
  private ni = 0;
  private ri = 0;

  constructor(c: EncodedColumns) {
    this.strings = c.strings;
    this.nums = decode(c.nums, Float64Array);
    this.refs = decode(c.refs, Uint32Array);
  }

  /** read from these positions on (a rule's own range of the columns) */
  seek(ni: number, ri: number): void { this.ni = ni; this.ri = ri; }
  get position(): [number, number] { return [this.ni, this.ri]; }

  num(): number {
    if (this.ni >= this.nums.length) throw new Error('checkpoint state: number column exhausted');
    return this.nums[this.ni++];
  }

  str(): string {
    const s = this.strN();
    if (s === null) throw new Error('checkpoint state: null where a string was written');
    return s;
  }

  strN(): string | null {
    if (this.ri >= this.refs.length) throw new Error('checkpoint state: string column exhausted');
    const i = this.refs[this.ri++];
    if (i === NULL_REF) return null;
    const s = this.strings[i];
    if (s === undefined) throw new Error('checkpoint state: string reference out of range');
    return s;
  }
}

function decode<T extends Float64Array | Uint32Array>(b64: string, Kind: { new (n: number): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length % Kind.BYTES_PER_ELEMENT !== 0) throw new Error('checkpoint state: column length');
  const out = new Kind(bytes.length / Kind.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes); // aligned copy (a pooled Buffer may start at any offset)
  return out;
}
