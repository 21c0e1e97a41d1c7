/**
 * The engine checkpoint's compact copy (issue 14 point 4: restart time at a million open items).
 *
 * The checkpoint is written as JSON, rule by rule in slices, because that is the cheapest capture
 * for the running engine (a binary capture with shared strings paused the engine for seconds:
 * docs/performance.md, "Restart recovery"). Reading that JSON back is the slow part of a restart,
 * though. So once a checkpoint is on disk, a worker thread reads it and writes the same checkpoint
 * in the binary format (checkpoint-codec.ts) beside it, `checkpoint.bin`, atomically. The engine's
 * thread never waits for it: it costs the other core, not the event loop.
 *
 * A restart reads the compact copy when it was made from the checkpoint now on disk (same seq and
 * written_at), else the JSON (CheckpointFile.read). The JSON stays the checkpoint of record: a kill
 * while the copy is being made, a damaged or stale copy only cost the JSON's slower parse.
 */
import { readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CheckpointEncoder } from './checkpoint-codec.js';
import { writeAtomically, type Checkpoint } from './checkpoint.js';

export interface CompactResult { seq: number; written_at: number; bytes: number; ms: number }

type JsonSnapshot = Record<string, unknown> & { rules: Record<string, { version: number; state?: unknown; pos?: unknown }> };

/** Reads the JSON checkpoint `jsonFile` and writes its compact copy to `compactFile` (atomically). */
export async function compactCheckpoint(jsonFile: string, compactFile: string): Promise<CompactResult> {
  const t0 = performance.now();
  const cp = JSON.parse(readFileSync(jsonFile, 'utf8')) as Checkpoint<JsonSnapshot>;
  const { rules, ...head } = cp.snapshot;
  const enc = new CheckpointEncoder();
  for (const [id, r] of Object.entries(rules)) await enc.add({ id, version: r.version, state: r.state, ...(r.pos !== undefined ? { pos: r.pos } : {}) });
  const parts = await enc.finish(cp.seq, cp.written_at, head);
  await writeAtomically(compactFile, parts);
  return { seq: cp.seq, written_at: cp.written_at, bytes: parts.reduce((n, p) => n + p.byteLength, 0), ms: Math.round(performance.now() - t0) };
}

export interface CompactWorkerData { jsonFile: string; compactFile: string }
export type CompactWorkerMessage = { ok: true; result: CompactResult } | { ok: false; error: string };

const BOOT = new URL('./checkpoint-compact-boot.mjs', import.meta.url);

/**
 * Makes compact copies in a worker thread, one at a time: a request while one is being made is made
 * again once that one ends (the checkpoint on disk has changed under it). Each copy gets a fresh
 * worker, which exits after it: the parsed checkpoint's heap is given back between checkpoints.
 */
export class CheckpointCompactor {
  private running: Promise<void> | null = null;
  private again = false;
  private worker: Worker | null = null;
  private stopped = false;
  /** the last copy made */
  last: CompactResult | null = null;
  failures = 0;
  lastError: string | null = null;

  constructor(private readonly files: CompactWorkerData, private readonly warn: (msg: string) => void) {}

  /** Asks for a compact copy of the checkpoint now on disk. */
  request(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) { this.again = false; this.request(); }
    });
  }

  /** Resolves once no copy is being made (nor asked for again). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    await this.worker?.terminate();
    await this.idle();
    // a copy cut off by the stop leaves its temp file: not worth its disk space until the next copy
    rmSync(`${this.files.compactFile}.tmp`, { force: true });
  }

  private run(): Promise<void> {
    return new Promise<void>((done) => {
      const worker = new Worker(BOOT, { workerData: this.files, stdout: false, stderr: false });
      this.worker = worker;
      let answered = false;
      const fail = (error: string) => {
        if (answered) return;
        answered = true;
        this.failures++;
        this.lastError = error;
        if (!this.stopped) this.warn(`engine: the checkpoint's compact copy was not made (a restart reads the JSON): ${error}`);
      };
      worker.on('message', (m: CompactWorkerMessage) => {
        if (m.ok) { answered = true; this.last = m.result; this.lastError = null; } else fail(m.error);
      });
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', (code) => {
        if (!answered) fail(`the worker exited (${code})`);
        this.worker = null;
        done();
      });
    });
  }
}
