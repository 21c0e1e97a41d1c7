/**
 * The binary format of the engine checkpoint's compact copy (checkpoint-compact.ts makes it from the
 * JSON checkpoint in a worker thread). Restarting with a million open work items from the JSON
 * spends most of its time in `JSON.parse` of ~360 MiB (every item id and event id written again in
 * each rule that keeps it) and in the garbage it leaves (issue 14 point 4). Here the rules' states,
 * as they are (`Rule.snapshot()`), are stored column by column:
 *
 * - numbers as Float64 arrays: read back without parsing;
 * - strings as Int32 indexes: into the column's own dictionary when it has few distinct values
 *   (officers, bureaus, matters), else into one table of strings shared by the whole checkpoint (an
 *   item id kept by twelve rules is stored once, and read back as one string: a smaller restored
 *   heap, less for the GC to copy); a table is one UTF-8 text and the strings' lengths, read back as
 *   slices of one string (no escapes to parse);
 * - an array of arrays as a table: short arrays (tuples) column by column (`[item, ts, id]` rows give
 *   a string, a number and a string column), long ones (lists) as one column of all their elements;
 *   objects as one column per key.
 *
 * The decoded value is what `JSON.parse(JSON.stringify(value))` gives (the states are JSON-shaped;
 * -Infinity and NaN read back as null, `undefined` as null in arrays and as a missing key in
 * objects, -0 as 0), so the rules' `restore` is unchanged. A header (JSON) holds the checkpoint's
 * seq, the engine head (watermark, buffer) and, per rule, its version, position and the layout of its
 * columns in the data section.
 *
 * File: `IRMCKPT2` (8 bytes), the header's byte length (u32 LE), 4 bytes reserved, the header, then
 * the data section at the next multiple of 8; every array in it starts at a multiple of 8.
 */

const MAGIC = Buffer.from('IRMCKPT2', 'latin1');
/** arrays no longer than this are tuples (one column per position); longer ones are lists */
const TUPLE_MAX = 16;
/** strings per piece of a string block's text */
const BLOCK_PIECE = 16_384;
/** cells encoded between two `tick` calls (a chance to yield to the event loop) */
const TICK_CELLS = 4096;

const enum Tag { Null = 0, Str = 1, Num = 2, Arr = 3, Obj = 4, True = 5, False = 6, Absent = 7 }
const ABSENT: unique symbol = Symbol('absent');

/** Strings: their lengths in UTF-16 units (Uint32, `count` of them), then the UTF-8 text of all of them. */
interface BlockDesc { lens: number; count: number; text: [number, number] }
/**
 * A column's strings: one Int32 index per cell, into the column's own dictionary (`dict`: a column of
 * few distinct values, officers, bureaus, matters) or else into the checkpoint's shared strings (item
 * and event ids: an id kept by ten rules is stored, and read back, once).
 */
interface StrDesc { n: number; ids: number; dict?: BlockDesc }
/** Where the cells of one column are: tags (`t`, or one kind `k` for all), and each kind's payload. */
interface ColDesc {
  /** the one tag of every cell, when they share it */
  k?: Tag;
  /** offset of the Uint8 tags, when they differ */
  t?: number;
  s?: StrDesc;
  /** numbers: offset of the Float64 values and their count */
  n?: [number, number];
  /** arrays, as a table */
  a?: ArrDesc;
  /** objects: the keys, one column each (cells where an object lacks the key are Absent) */
  o?: { n: number; keys: string[]; c: ColDesc[] };
}
/** `n` arrays: lengths (a fixed `len` or the offset of Uint32 lengths), tuples by position or a list's elements in one column */
interface ArrDesc { n: number; len: number | { at: number }; tuple: boolean; c: ColDesc[] }

export interface RuleEntry { id: string; version: number; state: unknown; pos?: unknown }
interface Header {
  seq: number; written_at: number; head: Record<string, unknown>;
  rules: { id: string; version: number; pos?: unknown; st?: ColDesc }[];
  /** the strings of the columns of many distinct values (item and event ids), once for all columns */
  strings: BlockDesc;
  data: number;
}

/** Appends 8-aligned arrays and returns their offsets in the data section. */
class DataWriter {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  private push(bytes: Uint8Array): number {
    const at = this.size;
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    const pad = (8 - (this.size % 8)) % 8;
    if (pad) { this.chunks.push(new Uint8Array(pad)); this.size += pad; }
    return at;
  }
  u32(v: number[]): number { return this.push(new Uint8Array(Uint32Array.from(v).buffer)); }
  /** one array, or several written one after the other (without padding between them) */
  bytes(...parts: Uint8Array[]): number {
    if (parts.length === 1) return this.push(parts[0]!);
    const at = this.size;
    for (let i = 0; i < parts.length - 1; i++) { this.chunks.push(parts[i]!); this.size += parts[i]!.byteLength; }
    this.push(parts.at(-1) ?? new Uint8Array(0));
    return at;
  }
}

function tagOf(v: unknown): Tag {
  switch (typeof v) {
    case 'string': return Tag.Str;
    case 'number': return Number.isFinite(v) ? Tag.Num : Tag.Null;
    case 'boolean': return v ? Tag.True : Tag.False;
    case 'object': return v === null ? Tag.Null : Array.isArray(v) ? Tag.Arr : Tag.Obj;
    case 'symbol': return v === ABSENT ? Tag.Absent : Tag.Null;
    default: return Tag.Null; // undefined, functions: null in an array, as JSON writes them
  }
}

/**
 * A column is dictionary-coded when its first DICT_SAMPLE strings hold at most a quarter as many
 * distinct values (officers, bureaus, matters, actions: values repeated from row to row).
 */
const DICT_SAMPLE = 4096;

/**
 * Encodes the rules' states of one checkpoint, rule by rule (`add`), then the file (`finish`).
 * `tick` is awaited every few thousand cells: the server yields to the event loop there.
 */
export class CheckpointEncoder {
  private readonly data = new DataWriter();
  private readonly rules: Header['rules'] = [];
  private readonly shared = new Map<string, number>();
  private readonly sharedList: string[] = [];
  private cells = 0;
  constructor(private readonly tick: () => Promise<void> | void = () => {}) {}

  /** Encodes one rule's state now: the value may change once this resolves. */
  async add(rule: RuleEntry): Promise<void> {
    // no state (undefined): left out, as JSON leaves it out
    const none = rule.state === undefined || typeof rule.state === 'function' || typeof rule.state === 'symbol';
    const st = none ? undefined : await this.column([rule.state]);
    this.rules.push({ id: rule.id, version: rule.version, ...(rule.pos !== undefined ? { pos: rule.pos } : {}), ...(st ? { st } : {}) });
  }

  /** The file, in parts (the header, then the data section), ready to be written in order. */
  async finish(seq: number, written_at: number, head: Record<string, unknown>): Promise<Uint8Array[]> {
    const strings = await this.block(this.sharedList);
    const header: Header = { seq, written_at, head, rules: this.rules, strings, data: this.data.size };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const pre = Buffer.alloc(16);
    MAGIC.copy(pre, 0);
    pre.writeUInt32LE(json.byteLength, 8);
    const pad = new Uint8Array((8 - ((16 + json.byteLength) % 8)) % 8);
    return [pre, json, pad, ...this.data.chunks];
  }

  private async counted(n: number): Promise<void> {
    this.cells += n;
    if (this.cells >= TICK_CELLS) { this.cells = 0; await this.tick(); }
  }

  private async column(cells: readonly unknown[]): Promise<ColDesc> {
    const n = cells.length;
    const tags = new Uint8Array(n);
    const nums = new Float64Array(n);
    const strs: string[] = [], arrs: unknown[][] = [], objs: Record<string, unknown>[] = [];
    let nn = 0, first = -1, mixed = false;
    for (let i = 0; i < n; i++) {
      let v = cells[i];
      let tag: Tag;
      switch (typeof v) {
        case 'string': tag = Tag.Str; strs.push(v); break;
        case 'number':
          if (Number.isFinite(v)) { tag = Tag.Num; nums[nn++] = v === 0 ? 0 : v; } // -0 as JSON writes it
          else tag = Tag.Null;
          break;
        case 'object':
          if (v === null) tag = Tag.Null;
          else if (Array.isArray(v)) { tag = Tag.Arr; arrs.push(v as unknown[]); }
          else {
            // a rule's state is plain data; anything with a toJSON (a Date) is taken as JSON writes it
            if (typeof (v as { toJSON?: unknown }).toJSON === 'function') v = JSON.parse(JSON.stringify(v)) as unknown;
            tag = tagOf(v);
            if (tag === Tag.Obj) objs.push(v as Record<string, unknown>);
            else if (tag === Tag.Str) strs.push(v as string);
            else if (tag === Tag.Num) nums[nn++] = v as number;
            else if (tag === Tag.Arr) arrs.push(v as unknown[]);
          }
          break;
        default: tag = tagOf(v);
      }
      tags[i] = tag;
      if (first < 0) first = tag; else if (tag !== first) mixed = true;
      if ((i & 4095) === 4095) await this.counted(4096);
    }
    await this.counted(n & 4095);
    const d: ColDesc = mixed ? { t: this.data.bytes(tags) } : { k: first < 0 ? Tag.Null : first };
    if (strs.length) d.s = await this.strings(strs);
    if (nn) d.n = [this.data.bytes(new Uint8Array(nums.buffer, 0, nn * 8)), nn];
    if (arrs.length) d.a = await this.arrays(arrs);
    if (objs.length) d.o = await this.objects(objs);
    return d;
  }

  private async strings(strs: readonly string[]): Promise<StrDesc> {
    const sample = new Set<string>();
    const seen = Math.min(strs.length, DICT_SAMPLE);
    for (let i = 0; i < seen && sample.size * 4 <= seen; i++) sample.add(strs[i]!);
    // few distinct values: the column's own dictionary; many: the checkpoint's shared strings (an
    // item id kept by twelve rules is stored, and read back, once)
    const local = sample.size * 4 <= seen;
    const dict = local ? new Map<string, number>() : this.shared;
    const values = local ? [] as string[] : this.sharedList;
    const ids = new Int32Array(strs.length);
    for (let i = 0; i < strs.length; i++) {
      const x = strs[i]!;
      let id = dict.get(x);
      if (id === undefined) { id = values.length; dict.set(x, id); values.push(x); }
      ids[i] = id;
      if ((i & 4095) === 4095) await this.counted(4096);
    }
    const at = this.data.bytes(new Uint8Array(ids.buffer));
    return local ? { n: strs.length, ids: at, dict: await this.block(values) } : { n: strs.length, ids: at };
  }

  /** lengths, then the text, in pieces of BLOCK_PIECE strings (a tick between them) */
  private async block(values: readonly string[]): Promise<BlockDesc> {
    const lens = new Uint32Array(values.length);
    const text: Uint8Array[] = [];
    let bytes = 0;
    for (let i = 0; i < values.length; i += BLOCK_PIECE) {
      const piece = values.slice(i, i + BLOCK_PIECE);
      for (let k = 0; k < piece.length; k++) lens[i + k] = piece[k]!.length;
      const b = Buffer.from(piece.join(''), 'utf8');
      text.push(b);
      bytes += b.byteLength;
      await this.counted(piece.length);
    }
    return { lens: this.data.bytes(new Uint8Array(lens.buffer)), count: values.length, text: [this.data.bytes(...text), bytes] };
  }

  private async arrays(arrs: readonly unknown[][]): Promise<ArrDesc> {
    let max = 0, min = Infinity;
    for (const a of arrs) { if (a.length > max) max = a.length; if (a.length < min) min = a.length; }
    const len = max === min ? max : { at: this.data.u32(arrs.map((a) => a.length)) };
    if (max <= TUPLE_MAX) {
      const cols: unknown[][] = Array.from({ length: max }, () => []);
      for (let i = 0; i < arrs.length; i++) {
        const a = arrs[i]!;
        for (let p = 0; p < a.length; p++) cols[p]!.push(a[p]);
        if ((i & 4095) === 4095) await this.counted(4096);
      }
      const c: ColDesc[] = [];
      for (const cells of cols) c.push(await this.column(cells));
      return { n: arrs.length, len, tuple: true, c };
    }
    const flat: unknown[] = [];
    for (const a of arrs) {
      for (let i = 0; i < a.length; i++) {
        flat.push(a[i]);
        if ((i & 4095) === 4095) await this.counted(4096);
      }
      await this.counted(a.length & 4095);
    }
    return { n: arrs.length, len, tuple: false, c: [await this.column(flat)] };
  }

  private async objects(objs: readonly Record<string, unknown>[]): Promise<{ n: number; keys: string[]; c: ColDesc[] }> {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const o of objs) for (const k of Object.keys(o)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
    const c: ColDesc[] = [];
    for (const k of keys) {
      // a key an object lacks, or holds undefined or a function for, is left out, as JSON leaves it
      const cells = new Array<unknown>(objs.length);
      for (let i = 0; i < objs.length; i++) {
        const o = objs[i]!;
        const v = Object.hasOwn(o, k) ? o[k] : undefined;
        cells[i] = v === undefined || typeof v === 'function' || typeof v === 'symbol' ? ABSENT : v;
        if ((i & 4095) === 4095) await this.counted(4096);
      }
      c.push(await this.column(cells));
    }
    return { n: objs.length, keys, c };
  }
}

/** Whether a file's first bytes are this format's (else: a JSON checkpoint of an earlier version). */
export function isBinaryCheckpoint(buf: Uint8Array): boolean {
  return buf.byteLength >= 16 && Buffer.from(buf.buffer, buf.byteOffset, 8).equals(MAGIC);
}

/** seq and written_at from a binary checkpoint's header, without decoding its data. Throws on a damaged file. */
export function binaryCheckpointHead(buf: Buffer): { seq: number; written_at: number } {
  if (!isBinaryCheckpoint(buf)) throw new Error('checkpoint: not a binary checkpoint');
  const hlen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 16, 16 + hlen)) as Header;
  return { seq: header.seq, written_at: header.written_at };
}

/** The checkpoint back: `{ seq, written_at, snapshot: { ...head, rules: { id: { version, state, pos? } } } }`. Throws on a damaged file. */
export function decodeCheckpoint(buf: Buffer): { seq: number; written_at: number; snapshot: Record<string, unknown> & { rules: Record<string, { version: number; state: unknown; pos?: unknown }> } } {
  if (!isBinaryCheckpoint(buf)) throw new Error('checkpoint: not a binary checkpoint');
  const hlen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 16, 16 + hlen)) as Header;
  const base = 16 + hlen + ((8 - ((16 + hlen) % 8)) % 8);
  if (base + header.data !== buf.byteLength) throw new Error(`checkpoint: ${buf.byteLength} bytes, the header says ${base + header.data}`);
  const data = new DataReader(buf, base, header);
  const rules: Record<string, { version: number; state: unknown; pos?: unknown }> = {};
  for (const r of header.rules) rules[r.id] = { version: r.version, ...(r.st ? { state: data.column(r.st, 1).next() } : {}), ...(r.pos !== undefined ? { pos: r.pos } : {}) } as { version: number; state: unknown; pos?: unknown };
  return { seq: header.seq, written_at: header.written_at, snapshot: { ...header.head, rules } };
}

/**
 * Reads a column's cells in order, one `next()` each: every cell is asked for once, in order (a
 * tuple's positions, an object's keys, the rows of a table), so no column is built as an array first.
 */
interface Cells { next(): unknown }

class DataReader {
  /** the shared strings: one string for their text, each a slice of it */
  private readonly shared: string[];
  constructor(private readonly buf: Buffer, private readonly base: number, header: Header) {
    this.shared = this.block(header.strings.lens, header.strings.count, header.strings.text);
  }

  /** a block of strings: one string for the text, each entry a slice of it */
  private block(lensAt: number, count: number, textAt: [number, number]): string[] {
    const lens = this.view(Uint32Array, lensAt, count);
    const text = this.buf.toString('utf8', this.base + textAt[0], this.base + textAt[0] + textAt[1]);
    const out = new Array<string>(count);
    let at = 0;
    for (let i = 0; i < count; i++) { const end = at + lens[i]!; out[i] = text.slice(at, end); at = end; }
    if (at !== text.length) throw new Error('checkpoint: a string block does not match its lengths');
    return out;
  }

  private view<T>(C: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number }, at: number, n: number): T {
    const start = this.base + at;
    if (!(at >= 0 && n >= 0 && start + n * C.BYTES_PER_ELEMENT <= this.buf.byteLength)) throw new Error('checkpoint: an array outside the data section');
    const abs = this.buf.byteOffset + start;
    // a view when aligned (readFileSync's buffers are), else a copy
    if (abs % C.BYTES_PER_ELEMENT === 0) return new C(this.buf.buffer as ArrayBuffer, abs, n);
    const copy = new Uint8Array(n * C.BYTES_PER_ELEMENT);
    copy.set(this.buf.subarray(start, start + copy.byteLength));
    return new C(copy.buffer, 0, n);
  }

  column(d: ColDesc, count: number): Cells {
    if (d.k !== undefined) {
      switch (d.k) {
        case Tag.Str: return this.strings(d.s!);
        case Tag.Num: return new NumCells(this.view(Float64Array, d.n![0], d.n![1]));
        case Tag.Arr: return this.arrays(d.a!);
        case Tag.Obj: return this.objects(d.o!);
        default: return new ConstCells(constant(d.k));
      }
    }
    const tags = this.view(Uint8Array, d.t!, count);
    return new MixedCells(tags,
      d.s ? this.strings(d.s) : EMPTY,
      d.n ? new NumCells(this.view(Float64Array, d.n[0], d.n[1])) : EMPTY,
      d.a ? this.arrays(d.a) : EMPTY,
      d.o ? this.objects(d.o) : EMPTY);
  }

  private strings(d: StrDesc): Cells {
    const values = d.dict ? this.block(d.dict.lens, d.dict.count, d.dict.text) : this.shared;
    const ids = this.view(Int32Array, d.ids, d.n);
    for (let i = 0; i < ids.length; i++) if (!(ids[i]! >= 0 && ids[i]! < values.length)) throw new Error('checkpoint: a string index outside its strings');
    return new DictCells(values, ids);
  }

  private arrays(d: ArrDesc): Cells {
    const lens = typeof d.len === 'number' ? null : this.view(Uint32Array, d.len.at, d.n);
    const fixed = typeof d.len === 'number' ? d.len : 0;
    const cellsAt = (p: number) => {
      if (!lens) return d.tuple ? d.n : d.n * fixed;
      let cnt = 0;
      if (d.tuple) { for (let i = 0; i < d.n; i++) if (lens[i]! > p) cnt++; }
      else for (let i = 0; i < d.n; i++) cnt += lens[i]!;
      return cnt;
    };
    const cols = d.c.map((c, p) => this.column(c, cellsAt(p)));
    return new ArrCells(lens, fixed, d.tuple, cols);
  }

  private objects(d: { n: number; keys: string[]; c: ColDesc[] }): Cells {
    return new ObjCells(d.keys, d.c.map((c) => this.column(c, d.n)));
  }
}

const EMPTY: Cells = { next: () => { throw new Error('checkpoint: a cell without a payload'); } };

class NumCells implements Cells {
  private k = 0;
  constructor(private readonly v: Float64Array) {}
  next(): unknown { return this.v[this.k++]; }
}
class ConstCells implements Cells {
  constructor(private readonly v: unknown) {}
  next(): unknown { return this.v; }
}
class DictCells implements Cells {
  private k = 0;
  constructor(private readonly values: readonly string[], private readonly ids: Int32Array) {}
  next(): unknown { return this.values[this.ids[this.k++]!]; }
}
class MixedCells implements Cells {
  private k = 0;
  constructor(private readonly tags: Uint8Array, private readonly s: Cells, private readonly n: Cells, private readonly a: Cells, private readonly o: Cells) {}
  next(): unknown {
    const t = this.tags[this.k++] as Tag;
    switch (t) {
      case Tag.Str: return this.s.next();
      case Tag.Num: return this.n.next();
      case Tag.Arr: return this.a.next();
      case Tag.Obj: return this.o.next();
      default: return constant(t);
    }
  }
}
class ArrCells implements Cells {
  private k = 0;
  constructor(private readonly lens: Uint32Array | null, private readonly fixed: number, private readonly tuple: boolean, private readonly cols: Cells[]) {}
  next(): unknown {
    const l = this.lens ? this.lens[this.k]! : this.fixed;
    if (this.lens && this.k >= this.lens.length) throw new Error('checkpoint: more arrays asked for than stored');
    this.k++;
    const a = new Array<unknown>(l);
    if (this.tuple) for (let p = 0; p < l; p++) a[p] = this.cols[p]!.next();
    else { const c = this.cols[0]!; for (let p = 0; p < l; p++) a[p] = c.next(); }
    return a;
  }
}
class ObjCells implements Cells {
  constructor(private readonly keys: readonly string[], private readonly cols: readonly Cells[]) {}
  next(): unknown {
    const o: Record<string, unknown> = {};
    for (let k = 0; k < this.keys.length; k++) {
      const v = this.cols[k]!.next();
      if (v === ABSENT) continue;
      const key = this.keys[k]!;
      // an own "__proto__" key, as JSON.parse makes it (an assignment would set the prototype)
      if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
      else o[key] = v;
    }
    return o;
  }
}

function constant(t: Tag): unknown {
  switch (t) {
    case Tag.True: return true;
    case Tag.False: return false;
    case Tag.Absent: return ABSENT;
    case Tag.Null: return null;
    default: throw new Error(`checkpoint: tag ${t} without a payload`);
  }
}
