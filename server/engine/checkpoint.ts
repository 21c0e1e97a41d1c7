/** Engine checkpoints: the engine's state and the arrival seq it covers, written atomically under DATA_DIR. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineSnapshot, RulePosition } from '../../streams/engine/engine.js';
import { CheckpointEncoder, decodeCheckpoint } from './checkpoint-codec.js';

export interface Checkpoint<S> { seq: number; written_at: number; snapshot: S }

/** A file written atomically (temp file, fsync, rename, fsync of the folder): JSON progress files, the engine's checkpoint. */
export class CheckpointFile<S> {
  readonly file: string;
  constructor(dir: string, name = 'checkpoint.json') {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, name);
  }

  /** size of the checkpoint last read, for the start timings */
  lastReadBytes = 0;

  /** The file as JSON; null when absent or damaged. */
  read(): Checkpoint<S> | null {
    const bytes = this.readBytes();
    if (!bytes) return null;
    try {
      return JSON.parse(bytes.toString('utf8')) as Checkpoint<S>;
    } catch {
      return null; // a damaged checkpoint only costs a longer replay
    }
  }

  readBytes(): Buffer | null {
    if (!existsSync(this.file)) return null;
    try {
      const bytes = readFileSync(this.file);
      this.lastReadBytes = bytes.length;
      return bytes;
    } catch {
      return null;
    }
  }

  exists(): boolean { return existsSync(this.file); }
  remove(): void { try { unlinkSync(this.file); } catch { /* gone already */ } }

  /**
   * `cp` serialized at the moment it was captured (see `serialize`): the engine's snapshot shares its
   * rules' live state, so a checkpoint serialized later would hold events newer than its seq.
   */
  write(serialized: string | Uint8Array): void {
    const tmp = `${this.file}.tmp`;
    const data = typeof serialized === 'string' ? Buffer.from(serialized) : serialized;
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
  async writeParts(parts: readonly (string | Uint8Array)[]): Promise<void> {
    const tmp = `${this.file}.tmp`;
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
    await rename(tmp, this.file);
    const dir = await open(dirname(this.file), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  }

  static serialize<S>(cp: Checkpoint<S>): string { return JSON.stringify(cp); }
}

/**
 * The engine's checkpoint under `<DATA_DIR>/engine`: `checkpoint.bin` (server/engine/checkpoint-codec.ts).
 * A `checkpoint.json` of an earlier version is still read once (an upgrade restores from it) and
 * removed once a binary one is written.
 */
export class EngineCheckpointFile {
  private readonly bin: CheckpointFile<EngineSnapshot>;
  private readonly legacy: CheckpointFile<EngineSnapshot>;
  constructor(dir: string) {
    this.bin = new CheckpointFile(dir, 'checkpoint.bin');
    this.legacy = new CheckpointFile(dir, 'checkpoint.json');
  }
  get lastReadBytes(): number { return this.bin.lastReadBytes || this.legacy.lastReadBytes; }

  /** The checkpoint, or null when there is none. Throws when the file is damaged (the caller replays everything). */
  read(): Checkpoint<EngineSnapshot> | null {
    const bytes = this.bin.readBytes();
    if (bytes) return decodeCheckpoint(bytes) as unknown as Checkpoint<EngineSnapshot>;
    const old = this.legacy.readBytes();
    return old ? (JSON.parse(old.toString('utf8')) as Checkpoint<EngineSnapshot>) : null;
  }

  async writeParts(parts: readonly Uint8Array[]): Promise<void> {
    await this.bin.writeParts(parts);
    if (this.legacy.exists()) this.legacy.remove();
  }

  /** `read` for a data directory (tests, benchmarks). */
  static readFrom(dataDir: string): Checkpoint<EngineSnapshot> | null { return new EngineCheckpointFile(join(dataDir, 'engine')).read(); }
}

/** Time and yielding for `encodeInSlices` (the server: performance.now and setImmediate). */
export interface SliceClock { now(): number; yield(): Promise<void> }

/** One rule's part of a capture: its state when asked, and what it had from an earlier restore. */
export interface RulePart { id: string; version: number; state: () => unknown; had?: readonly RulePosition[] }

/**
 * Per-rule hooks for a capture that does not pause the engine for the whole state: `before` runs
 * before a rule's state is asked for (the caller stops feeding the engine and returns where the rule
 * stands, or null: no position, the rule is at the head), `after` once it is encoded (the caller
 * feeds the engine again, and may wait for it to catch up).
 */
export interface RuleCaptureHooks {
  before(rule: RulePart): RulePosition | null;
  after(rule: RulePart, pausedMs: number): Promise<void> | void;
}

/**
 * The checkpoint `{ seq, written_at, snapshot }` in the binary format (checkpoint-codec.ts), encoded
 * in slices of about `sliceMs` with a yield to the event loop between them: a large state does not
 * hold the loop for seconds. Rule states are asked for one by one (`state()`). Without `hooks` the
 * caller keeps the engine unfed until this resolves; with them, only while each rule is encoded, and
 * each rule carries its position (`pos`).
 */
export async function encodeInSlices(
  cp: { seq: number; written_at: number; head: Record<string, unknown>; rules: readonly RulePart[] },
  clock: SliceClock, sliceMs: number, hooks?: RuleCaptureHooks,
): Promise<{ parts: Uint8Array[]; slices: number; longestSliceMs: number; longestPauseMs: number }> {
  let sliceStart = clock.now(), slices = 1, longest = 0, longestPause = 0;
  const maybeYield = async () => {
    const t = clock.now();
    if (t - sliceStart < sliceMs) return;
    longest = Math.max(longest, t - sliceStart);
    await clock.yield();
    sliceStart = clock.now();
    slices++;
  };
  const enc = new CheckpointEncoder(maybeYield);
  for (const rule of cp.rules) {
    const p0 = clock.now();
    const at = hooks ? hooks.before(rule) : null;
    const pos = [...(rule.had ?? []), ...(at ? [at] : [])];
    await enc.add({ id: rule.id, version: rule.version, state: rule.state(), ...(pos.length ? { pos } : {}) });
    if (hooks) {
      const paused = clock.now() - p0;
      longestPause = Math.max(longestPause, paused);
      await hooks.after(rule, paused);
    }
    await maybeYield();
  }
  const parts = await enc.finish(cp.seq, cp.written_at, cp.head);
  longest = Math.max(longest, clock.now() - sliceStart);
  return { parts, slices, longestSliceMs: Math.round(longest), longestPauseMs: Math.round(longestPause) };
}

/** The whole checkpoint of an engine at once (benchmarks, tests): `encodeInSlices` without yields. */
export async function encodeCheckpoint(seq: number, written_at: number, snapshot: EngineSnapshot): Promise<Uint8Array[]> {
  const { rules, ...head } = snapshot;
  const parts = Object.entries(rules).map(([id, r]) => ({ id, version: r.version, state: () => r.state, had: (r.pos ?? []) as RulePosition[] }));
  const out = await encodeInSlices({ seq, written_at, head, rules: parts }, { now: () => 0, yield: async () => {} }, Infinity);
  return out.parts;
}
