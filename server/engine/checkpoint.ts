/** Engine checkpoints: the engine's state and the arrival seq it covers, written atomically under DATA_DIR. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RulePosition } from '../../streams/engine/engine.js';
import { binaryCheckpointHead, decodeCheckpoint } from './checkpoint-codec.js';

export interface Checkpoint<S> { seq: number; written_at: number; snapshot: S }

const COMPACT_NAME = 'checkpoint.bin';

/**
 * seq and written_at of a JSON checkpoint from its first bytes, without parsing the rest: both ways
 * of writing one (`serialize`, `serializeInSlices`) begin `{"seq":…,"written_at":…`.
 */
export function jsonCheckpointHead(file: string): { seq: number; written_at: number } | null {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(96);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const m = /^\{"seq":(\d+),"written_at":(\d+)[,}]/.exec(buf.toString('utf8', 0, n));
    return m ? { seq: Number(m[1]), written_at: Number(m[2]) } : null;
  } finally {
    closeSync(fd);
  }
}

export class CheckpointFile<S> {
  private readonly file: string;
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'checkpoint.json');
  }

  /** size of the checkpoint last read, for the start timings */
  lastReadBytes = 0;
  /** which copy the last read used: the compact one (see checkpoint-compact.ts) or the JSON */
  lastReadFormat: 'compact' | 'json' | null = null;

  /** The compact copy of the checkpoint, written beside it off the event loop (checkpoint-compact.ts). */
  get compactFile(): string { return join(dirname(this.file), COMPACT_NAME); }
  get jsonFile(): string { return this.file; }

  /**
   * The checkpoint: its compact copy when that was made from the checkpoint now on disk (same seq and
   * written_at), else the JSON. A compact copy that is stale, damaged or unreadable only costs the
   * JSON's slower parse.
   */
  read(): Checkpoint<S> | null {
    if (!existsSync(this.file)) return null;
    const head = jsonCheckpointHead(this.file);
    if (head && existsSync(this.compactFile)) {
      try {
        const bytes = readFileSync(this.compactFile);
        const h = binaryCheckpointHead(bytes);
        if (h.seq === head.seq && h.written_at === head.written_at) {
          const cp = decodeCheckpoint(bytes) as unknown as Checkpoint<S>;
          this.lastReadBytes = bytes.length;
          this.lastReadFormat = 'compact';
          return cp;
        }
      } catch { /* the JSON below */ }
    }
    try {
      const bytes = readFileSync(this.file);
      this.lastReadBytes = bytes.length;
      this.lastReadFormat = 'json';
      return JSON.parse(bytes.toString('utf8')) as Checkpoint<S>;
    } catch {
      return null; // a damaged checkpoint only costs a longer replay
    }
  }

  /**
   * `cp` serialized at the moment it was captured (see `serialize`): the engine's snapshot shares its
   * rules' live state, so a checkpoint serialized later would hold events newer than its seq.
   */
  write(serialized: string): void {
    const tmp = `${this.file}.tmp`;
    const data = Buffer.from(serialized);
    try {
      const fd = openSync(tmp, 'w');
      try {
        // A full disk may take part of a write without an error: write until all of it is in, or throw.
        for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      // DATA_DIR full: the previous checkpoint stays whole; drop the partial one and its space.
      try { unlinkSync(tmp); } catch { /* never created */ }
      throw err;
    }
    renameSync(tmp, this.file);
    // The rename itself is durable only once the folder is synced.
    const dfd = openSync(dirname(this.file), 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  }

  /**
   * `write` for a checkpoint serialized in parts (`serializeInSlices`), without holding the event
   * loop: the parts are written, the file and the folder fsynced, through the thread pool. Same
   * atomicity: a temp file renamed over the previous checkpoint once it is whole and synced.
   */
  writeParts(parts: readonly string[]): Promise<void> { return writeAtomically(this.file, parts); }

  static serialize<S>(cp: Checkpoint<S>): string { return JSON.stringify(cp); }
}

/**
 * Writes `file` from its parts without holding the event loop (through the thread pool), atomically:
 * a temp file, fsynced, renamed over the previous one once whole, then the folder fsynced (the rename
 * itself is durable only then).
 */
export async function writeAtomically(file: string, parts: readonly (string | Uint8Array)[]): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    const fh = await open(tmp, 'w');
    try {
      for (const part of parts) {
        const data = typeof part === 'string' ? Buffer.from(part) : part;
        // A full disk may take part of a write without an error: write until all of it is in, or throw.
        for (let off = 0; off < data.length;) off += (await fh.write(data, off, data.length - off)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    await unlink(tmp).catch(() => { /* never created */ });
    throw err;
  }
  await rename(tmp, file);
  const dir = await open(dirname(file), 'r');
  try { await dir.sync(); } finally { await dir.close(); }
}

const SLICE_ELEMENTS = 1024;

/** Time and yielding for `serializeInSlices` (the server: performance.now and setImmediate). */
export interface SliceClock { now(): number; yield(): Promise<void> }

/** One rule's part of a capture: its state when asked, and what it had from an earlier restore. */
export interface RulePart { id: string; version: number; state: () => unknown; had?: readonly RulePosition[] }

/**
 * Per-rule hooks for a capture that does not pause the engine for the whole state: `before` runs
 * before a rule's state is asked for (the caller stops feeding the engine and returns where the rule
 * stands, or null: no position, the rule is at the head), `after` once it is serialized (the caller
 * feeds the engine again, and may wait for it to catch up).
 */
export interface RuleCaptureHooks {
  before(rule: RulePart): RulePosition | null;
  after(rule: RulePart, pausedMs: number): Promise<void> | void;
}

/**
 * The checkpoint `{ seq, written_at, snapshot }` as JSON text in parts, the same document
 * `JSON.stringify` gives (keys in another order), serialized in slices of about `sliceMs` with a
 * yield to the event loop between them: a large state no longer holds the loop for seconds. Rule
 * states are asked for one by one (`state()`), arrays serialized element by element. Without
 * `hooks` the caller keeps the engine unfed until this resolves; with them, only while each rule is
 * serialized, and each rule carries its position (`pos`).
 */
export async function serializeInSlices(
  cp: { seq: number; written_at: number; head: Record<string, unknown>; rules: readonly RulePart[] },
  clock: SliceClock, sliceMs: number, hooks?: RuleCaptureHooks,
): Promise<{ parts: string[]; slices: number; longestSliceMs: number; longestPauseMs: number }> {
  const parts: string[] = [];
  let sliceStart = clock.now(), slices = 1, longest = 0, longestPause = 0;
  const maybeYield = async () => {
    const t = clock.now();
    if (t - sliceStart < sliceMs) return;
    longest = Math.max(longest, t - sliceStart);
    await clock.yield();
    sliceStart = clock.now();
    slices++;
  };
  const head = JSON.stringify({ seq: cp.seq, written_at: cp.written_at, snapshot: { ...cp.head, rules: {} } });
  // `…"rules":{}}}`: the rules go inside the empty object
  parts.push(head.slice(0, -3));
  for (let r = 0; r < cp.rules.length; r++) {
    const rule = cp.rules[r]!;
    const p0 = clock.now();
    const at = hooks ? hooks.before(rule) : null;
    const state = rule.state();
    parts.push(`${r ? ',' : ''}${JSON.stringify(rule.id)}:{"version":${JSON.stringify(rule.version)},"state":`);
    if (Array.isArray(state)) {
      // a thousand elements per JSON.stringify call (as fast as one call for all), brackets cut off
      parts.push('[');
      for (let i = 0; i < state.length; i += SLICE_ELEMENTS) {
        parts.push((i ? ',' : '') + JSON.stringify(state.slice(i, i + SLICE_ELEMENTS)).slice(1, -1));
        await maybeYield();
      }
      parts.push(']');
    } else {
      parts.push(JSON.stringify(state) ?? 'null');
    }
    const pos = [...(rule.had ?? []), ...(at ? [at] : [])];
    parts.push(pos.length ? `,"pos":${JSON.stringify(pos)}}` : '}');
    if (hooks) {
      const paused = clock.now() - p0;
      longestPause = Math.max(longestPause, paused);
      await hooks.after(rule, paused);
    }
    await maybeYield();
  }
  parts.push('}}}');
  longest = Math.max(longest, clock.now() - sliceStart);
  return { parts, slices, longestSliceMs: Math.round(longest), longestPauseMs: Math.round(longestPause) };
}
