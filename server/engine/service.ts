/**
 * Runs the indicator engine on the accepted event stream. Restarts lose nothing: state comes
 * back from the last checkpoint, then every event stored after that checkpoint's arrival seq is
 * replayed in arrival order with its original arrival time; alerts keep stable ids, so those
 * already stored are not stored or pushed again.
 */
import { asyncScheduler, tap, type Subscription } from 'rxjs';
import { join } from 'node:path';
import type { Store } from '../../sql/store.js';
import { eventsAfterSeq } from '../../sql/queries/events.js';
import { insertIndicatorVersions, latestIndicatorDefs } from '../../sql/queries/indicators.js';
import { IndicatorEngine, type EngineSnapshot } from '../../streams/engine/engine.js';
import { createIndicatorPipeline } from '../../streams/engine/pipeline.js';
import { defaultCatalog } from '../../streams/catalog/index.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { IngestService } from '../ingest/service.js';
import type { ReferenceService } from '../reference/service.js';
import type { AlertSink } from './alert-sink.js';
import { CheckpointCompactor } from './checkpoint-compact.js';
import { CheckpointFile, serializeInSlices, type SliceClock } from './checkpoint.js';
import { IntakeGate } from './intake-gate.js';
import { StateBudget, defaultStateBudget } from './state-budget.js';
import { getHeapStatistics } from 'node:v8';
import type { IngestedEvent } from '../../streams/types.js';

const REPLAY_PAGE = 20_000;

/** A checkpoint capture holds the event loop at most about this long at a time. */
const CAPTURE_SLICE_MS = 20;
const loopSlices: SliceClock = { now: () => performance.now(), yield: () => new Promise((r) => setImmediate(r)) };

export interface EngineDeps {
  store: Store;
  config: Config;
  log: Logger;
  clock: () => number;
  reference: ReferenceService;
  ingest: IngestService;
  sink: AlertSink;
}

/** Checkpoints are at least this many capture times apart (see scheduleCheckpoint). */
export const CHECKPOINT_DUTY_FACTOR = 10;

/** The wait before the next checkpoint: the configured interval, or longer when the last capture was slow. */
export const nextCheckpointGap = (intervalMs: number, lastCaptureMs: number): number => Math.max(intervalMs, CHECKPOINT_DUTY_FACTOR * lastCaptureMs);

export class EngineService {
  engine!: IndicatorEngine;
  catalog: IndicatorDef[] = [];
  private lastSeq = 0;
  private sub: Subscription | null = null;
  private refSub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly checkpoints: CheckpointFile<EngineSnapshot>;
  /** writes each checkpoint's compact copy off the event loop (null: CHECKPOINT_COMPACT=0) */
  readonly compactor: CheckpointCompactor | null;
  private checkpointing: Promise<void> | null = null;
  replayed = 0;
  /** The checkpoint this run started from (null: none, a full replay), for GET /api/health and the restart tests. */
  restoredFrom: { seq: number; written_at: number } | null = null;
  checkpointsWritten = 0;
  /** the checkpoint last written by this run */
  lastCheckpoint: { seq: number; written_at: number } | null = null;
  /** How the last start went, in ms (GET /api/health, `npm run bench -- restart`): checkpoint read+parse, restore, replay. */
  startTimings: { read_ms: number; restore_ms: number; replay_ms: number; checkpoint_bytes: number; checkpoint_format: 'compact' | 'json' | null } | null = null;
  /** ms the last checkpoint's capture took, rule by rule (the engine ran between rules, the loop between slices) */
  lastCheckpointCaptureMs = 0;
  /** the longest the engine was paused in the last capture: one rule's state being serialized */
  lastCheckpointPauseMs = 0;
  /** the last capture's longest slice: how long it held the event loop at once */
  lastCheckpointSliceMs = 0;
  /** Holds accepted events while a checkpoint is captured (the engine's state must not move under it). */
  private readonly gate = new IntakeGate<IngestedEvent>(loopSlices, CAPTURE_SLICE_MS);
  /** true while a checkpoint serializes the state (nothing may change it then) */
  private capturing = false;
  readonly budget: StateBudget;
  private budgetTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: EngineDeps) {
    this.checkpoints = new CheckpointFile(join(deps.config.DATA_DIR, 'engine'));
    this.compactor = deps.config.CHECKPOINT_COMPACT === '1'
      ? new CheckpointCompactor({ jsonFile: this.checkpoints.jsonFile, compactFile: this.checkpoints.compactFile }, (m) => deps.log.warn(m))
      : null;
    this.budget = new StateBudget(deps.config.ENGINE_STATE_MAX_ENTRIES || defaultStateBudget(getHeapStatistics().heap_size_limit), deps.clock);
  }

  /**
   * Keeps the engine's keyed state within its budget (server/engine/state-budget.ts). Not while a
   * checkpoint is captured: the state must not move under it. (While the gate hands on held events
   * it may: the capture is done, and a stream heavier than the engine can keep the gate draining.)
   */
  enforceStateBudget(): void {
    if (!this.engine || this.capturing) return;
    const shed = this.budget.enforce(this.engine);
    if (shed) this.deps.log.warn(`engine: over its state budget (${shed.entries_before} keyed entries): forgot state last touched before ${new Date(shed.before).toISOString()}, ${shed.entries_after} left`);
  }

  private get engineConfig() {
    return { latenessMs: this.deps.config.LATENESS_MS, idleMs: this.deps.config.IDLE_MS };
  }

  /** The catalog the engine runs: the latest stored version of each id; defaults seeded once, new default ids added. */
  private async loadCatalog(): Promise<IndicatorDef[]> {
    const stored = await latestIndicatorDefs(this.deps.store);
    const have = new Set(stored.map((r) => r.id));
    const missing = defaultCatalog.filter((d) => !have.has(d.id));
    if (missing.length) {
      const now = this.deps.clock();
      await insertIndicatorVersions(this.deps.store, missing.map((d) => ({ id: d.id, version: d.version, created_at: now, author: 'system', def: JSON.stringify(d) })));
    }
    const defs = [...stored.map((r) => JSON.parse(r.def) as IndicatorDef), ...missing];
    return defs.sort((a, b) => a.id.localeCompare(b.id));
  }

  async start(): Promise<void> {
    const { store, reference, ingest, sink, clock, log, config } = this.deps;
    this.catalog = await this.loadCatalog().catch((err) => {
      log.warn('catalog not loaded from the store, running the default catalog:', err instanceof Error ? err.message : err);
      return [...defaultCatalog];
    });
    const t0 = performance.now();
    let cp = this.checkpoints.read();
    const t1 = performance.now();
    let restored: IndicatorEngine | null = null;
    if (cp) {
      try {
        restored = IndicatorEngine.restore(cp.snapshot, this.catalog, reference.current, this.engineConfig);
      } catch (err) {
        // a checkpoint that does not read back whole only costs a longer replay (from the first event)
        log.warn('engine: checkpoint not usable, replaying all stored events:', err instanceof Error ? err.message : err);
        cp = null;
      }
    }
    this.engine = restored ?? new IndicatorEngine(this.catalog, reference.current, this.engineConfig);
    const t2 = performance.now();
    this.lastSeq = cp?.seq ?? 0;
    this.restoredFrom = cp ? { seq: cp.seq, written_at: cp.written_at } : null;
    if (cp) log.info(`engine: restored from the checkpoint at seq ${cp.seq} (read ${Math.round(t1 - t0)} ms, restore ${Math.round(t2 - t1)} ms)`);

    // Replay what arrived after the checkpoint, as it arrived.
    for (;;) {
      const page = await eventsAfterSeq(store, this.lastSeq, REPLAY_PAGE).catch((err) => {
        log.warn('replay skipped, store unreachable:', err instanceof Error ? err.message : err);
        return [];
      });
      for (const ev of page) {
        sink.push(this.engine.onTick(ev.arrivedAt));
        sink.push(this.engine.onEvent(ev, ev.arrivedAt));
        this.lastSeq = ev.seq;
      }
      this.replayed += page.length;
      if (page.length < REPLAY_PAGE) break;
    }
    this.engine.replayedTo(this.lastSeq);
    sink.push(this.engine.onTick(clock()));
    await sink.flush();
    this.startTimings = { read_ms: Math.round(t1 - t0), restore_ms: Math.round(t2 - t1), replay_ms: Math.round(performance.now() - t2), checkpoint_bytes: this.checkpoints.lastReadBytes, checkpoint_format: cp ? this.checkpoints.lastReadFormat : null };
    if (this.replayed) log.info(`engine: replayed ${this.replayed} events after the checkpoint`);
    sink.goLive();

    this.refSub = reference.index$.subscribe((ix) => this.engine.setReference(ix));
    this.sub = ingest.accepted$
      .pipe(
        this.gate.stage(),
        tap((e) => { this.lastSeq = e.seq; }),
        createIndicatorPipeline({ engine: this.engine, clock, scheduler: asyncScheduler, paused: () => this.gate.paused }, { tickMs: 250 }),
      )
      .subscribe((alerts) => sink.push(alerts));

    this.scheduleCheckpoint();
    this.budgetTimer = setInterval(() => this.enforceStateBudget(), this.deps.config.ENGINE_STATE_CHECK_MS);
    this.budgetTimer.unref();
  }

  /**
   * The next checkpoint after CHECKPOINT_INTERVAL_MS, or later when capturing the state has become
   * slow: a capture costs thread time that grows with the state (tens of seconds of wall time at the
   * soak's state, the engine running between rules), so the gap is at least CHECKPOINT_DUTY_FACTOR ×
   * the last capture (≤ 1/10 of the time capturing). The price is a longer replay after a crash (docs/reliability.md).
   */
  private scheduleCheckpoint(): void {
    if (this.stopped) return;
    const gap = nextCheckpointGap(this.deps.config.CHECKPOINT_INTERVAL_MS, this.lastCheckpointCaptureMs);
    this.timer = setTimeout(() => { void this.checkpoint().finally(() => this.scheduleCheckpoint()); }, gap);
    this.timer.unref();
  }

  /**
   * Writes a checkpoint once every alert raised so far is stored (so none can be lost behind it).
   * The head (watermark, buffer, seq) is taken at once; then the rules one by one: while a rule's
   * state is serialized (in slices of ~CAPTURE_SLICE_MS, with yields: HTTP, health and socket.io go
   * on answering) the engine's intake is paused (events are still acknowledged and spooled, and
   * held by the gate), and the rule's position (seq, the buffer's first event) is written beside its
   * state; between rules the held events go through the engine. The engine is so paused for one
   * rule's state at a time, not the whole state; a restore replays from the head, and each rule
   * skips what its position says it already had (streams/engine/engine.ts `RulePosition`).
   */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    this.checkpointing = (async () => {
      const c0 = performance.now();
      let captured, seq = 0, writtenAt = 0;
      try {
        const { head, rules } = this.engine.snapshotParts();
        const atHead = { seq: this.lastSeq, ...this.engine.bufferPosition() };
        captured = await serializeInSlices({ seq: seq = this.lastSeq, written_at: writtenAt = this.deps.clock(), head, rules }, loopSlices, CAPTURE_SLICE_MS, {
          before: () => {
            this.gate.pause();
            this.capturing = true;
            const at = { seq: this.lastSeq, ...this.engine.bufferPosition() };
            // nothing arrived or left the buffer since the head: the rule is at the head (no position to keep)
            return at.seq === atHead.seq && at.ts === atHead.ts && at.id === atHead.id ? null : at;
          },
          after: async (_rule, pausedMs) => {
            this.capturing = false;
            // Let the held events through before the next rule, for at least as long as they were held
            // (a stream heavier than the engine keeps the gate draining: then the capture moves on).
            const drained = this.gate.resume().catch((err) => this.deps.log.warn('engine: handing on held events failed', err));
            if (this.gate.paused) await Promise.race([drained, new Promise<void>((r) => { setTimeout(r, Math.max(pausedMs, CAPTURE_SLICE_MS)).unref(); })]);
          },
        });
      } finally {
        if (this.capturing) {
          this.capturing = false;
          this.gate.resume().catch((err) => this.deps.log.warn('engine: handing on held events failed', err));
        }
        this.lastCheckpointCaptureMs = Math.round(performance.now() - c0);
      }
      this.lastCheckpointSliceMs = captured.longestSliceMs;
      this.lastCheckpointPauseMs = captured.longestPauseMs;
      await this.deps.sink.flush();
      await this.checkpoints.writeParts(captured.parts);
      this.checkpointsWritten++;
      this.lastCheckpoint = { seq, written_at: writtenAt };
      this.compactor?.request();
    })()
      .catch((err) => this.deps.log.warn('checkpoint failed', err))
      .finally(() => { this.checkpointing = null; });
    return this.checkpointing;
  }

  /** What GET /api/health reports about the engine's start and checkpoints. */
  health(): Record<string, unknown> {
    const stats = this.engine ? this.engine.stats() : null;
    return {
      engine_restored_from_seq: this.restoredFrom?.seq ?? null,
      engine_replayed: this.replayed,
      engine_checkpoints_written: this.checkpointsWritten,
      engine_checkpoint_capture_ms: this.lastCheckpointCaptureMs,
      engine_checkpoint_longest_slice_ms: this.lastCheckpointSliceMs,
      engine_checkpoint_longest_pause_ms: this.lastCheckpointPauseMs,
      // the last compact copy of a checkpoint (seq, ms to make it in the worker, bytes), and failures
      engine_checkpoint_last: this.lastCheckpoint,
      engine_checkpoint_compact: this.compactor && { last: this.compactor.last, failures: this.compactor.failures, last_error: this.compactor.lastError },
      engine_catching_up: this.engine?.catchingUp ?? false,
      engine_start_timings: this.startTimings,
      // An explicit idle point for tests and operators: everything seen is evaluated and stored.
      engine_last_seq: this.lastSeq,
      engine_watermark: Number.isFinite(this.engine?.watermark) ? this.engine.watermark : null,
      engine_buffered_events: stats?.bufferedEvents ?? 0,
      // keyed entries over all rules (an item seen by four rules counts four times)
      engine_keyed_entries: stats?.keyedItems ?? 0,
      engine_state_budget: { max_entries: this.budget.maxEntries, sheds: this.budget.sheds, last: this.budget.last && { ...this.budget.last, at: new Date(this.budget.last.at).toISOString(), before: new Date(this.budget.last.before).toISOString() } },
      alerts_unstored: this.deps.sink.unstored,
    };
  }

  /** An admin changed the catalog: the engine picks it up at once. */
  setCatalog(defs: IndicatorDef[]): void {
    this.catalog = defs;
    this.engine.setCatalog(defs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.budgetTimer) clearInterval(this.budgetTimer);
    this.sub?.unsubscribe();
    this.refSub?.unsubscribe();
    await this.checkpoint();
    // a copy of this last checkpoint is not waited for: the next start reads the JSON then
    await this.compactor?.stop();
  }
}
