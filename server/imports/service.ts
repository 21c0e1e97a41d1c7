/**
 * Imports of history (issue 14, docs/imports.md). An upload is staged to a file under
 * DATA_DIR/imports/<id>/ (CSV and Parquet converted to NDJSON by ClickHouse's own readers), then:
 *
 *   load    the rows a batch at a time: validated exactly as live events (rejects to the dead
 *           letters, naming the field), deduplicated against everything stored (the ingest
 *           service's filter, cache and id index), stored marked with the import's id; after each
 *           batch the progress (byte offset, counters, last seq) is written atomically
 *   replay  the import's stored events, streamed from ClickHouse in (ts, id) order through the
 *           isolated replay in a worker thread (server/replay): alerts stored as historical,
 *           never a risk task, pushed to the wall only when the import asks
 *
 * A kill -9 or a stop resumes from the last progress: the batch in flight is read again, and
 * what of it was already stored is recognised (by this import's id and a seq past the progress),
 * so nothing is counted or stored twice. The replay is deterministic and alerts have stable ids:
 * a resumed replay runs again and stores only the alerts not stored yet.
 */
import { Subject } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, openSync, closeSync, readSync, fstatSync, fsyncSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Store } from '../../sql/store.js';
import { importedRowJson, insertEventRows, insertEventRowsFromFile, storeDeadLetters, type DeadLetter } from '../../sql/queries/events.js';
import { existingAlertIds, insertAlerts } from '../../sql/queries/alerts.js';
import {
  convertToNdjson, countImportAlerts, deadLetterRowsFrom, getImport, importedIdsAfterSeq, importsInState, importTsRange, listImports, saveImport,
  type ImportFormat, type ImportRecord,
} from '../../sql/queries/imports.js';
import { parseNdjsonLines, splitNdjsonBytes, type BodyItem } from '../../streams/ingest/parse-body.js';
import { validateEvent } from '../../streams/ingest/validate.js';
import { fromTabularRow } from '../../streams/ingest/tabular.js';
import { toWellFormed } from '../../streams/ingest/unicode.js';
import type { Alert, IngestedEvent, OpEvent } from '../../streams/types.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { DatedReference } from '../../streams/engine/replay.js';
import { CheckpointFile } from '../engine/checkpoint.js';
import { replayStored } from '../replay/run.js';
import { LoadReplay } from '../replay/load-replay.js';
import type { ReplayInit } from '../replay/protocol.js';
import { datedReferences } from '../replay/backtest.js';
import type { IngestService } from '../ingest/service.js';
import type { AuditSink } from '../context.js';
import type { Logger } from '../log.js';
import type { ReferenceVersion } from '../../sql/queries/reference.js';
import { StepTimes } from './step-times.js';

const PROGRESS_EVERY_MS = 250;
/**
 * How often the load's progress is made durable (progress.json fsync'd, the import record): a resume
 * reads again what was loaded since (recognised as stored, counted once), so this bounds the work
 * redone after a kill -9, not what is kept. At every batch it cost ~16 ms (the file and the record; 2–3 % of the load).
 */
const PROGRESS_SAVE_MS = 1_000;
/** Alerts a replay stores per insert (each batch one lookup of the ids already stored). */
const ALERT_BATCH = 10_000;

export interface ImportDeps {
  store: Store;
  dataDir: string;
  /** Bytes of staged NDJSON read per batch (IMPORT_BATCH_BYTES; 4 MiB ≈ 20,000 events of the simulator's size). */
  batchBytes: number;
  ingest: IngestService;
  audit: AuditSink;
  log: Logger;
  clock: () => number;
  /** The catalog the live engine runs now (the replay uses the same definitions). */
  catalog: () => IndicatorDef[];
  /** Every reference version with its validity start. */
  referenceHistory: () => Promise<ReferenceVersion[]>;
  /** The reference data in force now (history no dated version covers is judged by it). */
  currentReference: () => DatedReference;
  /** Alerts to show on the wall (an import that asks for it). */
  show: (alerts: Alert[]) => void;
}

/** What GET /api/imports/:id and the socket.io `import` event show. */
export interface ImportProgress extends ImportRecord {
  /** Rows (load) or events (replay) per second over this run; null before the first batch. */
  rate: number | null;
  /** Seconds left, estimated from the bytes (load) or events (replay) still to go; null when unknown. */
  eta_s: number | null;
  /** Events the replay has evaluated. */
  replayed: number;
  /** How far the current phase is, 0–1 (load: bytes of the file read; replay: events evaluated of those to replay); null when unknown. */
  phase_progress: number | null;
}

/** What a batch commit leaves on disk: where to go on after a stop or a kill -9. */
interface Progress { offset: number; rows_read: number; accepted: number; duplicates: number; rejected: number; last_seq: number }

/** A batch of the load, prepared (validated, claimed, encoded) and not yet stored or counted. */
interface Batch {
  /** Byte offset just past its last line; rows (non-blank lines) it holds. */
  end: number; rows: number;
  fresh: IngestedEvent[]; recovered: number; duplicates: number; rejected: number;
  dead: DeadLetter[];
  /** The fresh events as event rows, a line each (the insert's text and the replay's input). */
  text: string;
}

/** What the load's steps share. */
interface LoadContext {
  job: Job; fd: number; size: number; buf: Buffer;
  storedUncounted: Set<string>; deadKept: Set<number>;
  times: StepTimes; prog: Progress; cp: CheckpointFile<Progress>; savedAt: number;
}

/** Lines parsed and validated (and rows encoded) between two turns of the event loop. */
const SLICE_LINES = 4_000;
const yieldToLoop = () => new Promise<void>((ok) => setImmediate(ok));

export type StartOutcome = { ok: true; id: string } | { ok: false; code: 'bad_request' | 'failed'; message: string };
export type CancelOutcome = { ok: true; value: ImportRecord } | { ok: false; code: 'not_found' | 'conflict'; message: string };

interface Job {
  rec: ImportRecord; abort: AbortController; startedAt: number; startRows: number; replayed: number; total: number; lastEmit: number; done: Promise<void>;
  /** Bytes of the rows file loaded so far. */
  offset: number;
  /** The replay running beside the load (a load from the start); null once it ended or when there is none. */
  feed: LoadReplay | null;
}

export class ImportService {
  readonly progress$ = new Subject<ImportProgress>();
  private readonly jobs = new Map<string, Job>();
  private stopped = false;
  private version = 0;

  constructor(private readonly deps: ImportDeps) {}

  private dir(id: string): string { return join(this.deps.dataDir, 'imports', id); }
  private upload(id: string, format: ImportFormat): string { return join(this.dir(id), `upload.${format}`); }
  private rowsFile(id: string, format: ImportFormat): string { return format === 'ndjson' ? this.upload(id, format) : join(this.dir(id), 'rows.ndjson'); }
  private nextVersion(): number { this.version = Math.max(this.version + 1, this.deps.clock() * 1000); return this.version; }

  /** Picks up every import a stop or a crash left running. */
  async resumeAll(): Promise<void> {
    const running = await importsInState(this.deps.store, 'running').catch(() => []);
    for (const rec of running) {
      this.deps.log.info(`import ${rec.id}: resuming (${rec.phase})`);
      this.launch(rec);
    }
  }

  /** Stages the body to a file (fsync'd), records the import and starts it. */
  async start(body: Readable, opts: { format: ImportFormat; fileName: string; pushAlerts: boolean; author: string }): Promise<StartOutcome> {
    const id = randomUUID();
    const dir = this.dir(id);
    mkdirSync(dir, { recursive: true });
    const path = this.upload(id, opts.format);
    try {
      await pipeline(body, createWriteStream(`${path}.part`));
      const fd = openSync(`${path}.part`, 'r+');
      try { fsyncSync(fd); } finally { closeSync(fd); }
      renameSync(`${path}.part`, path);
      syncDir(dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      return { ok: false, code: 'failed', message: `body: the upload did not complete (${err instanceof Error ? err.message : err})` };
    }
    const now = this.deps.clock();
    const rec: ImportRecord = {
      id, format: opts.format, file_name: opts.fileName, bytes: statSync(path).size, author: opts.author, created_at: now, updated_at: now, finished_at: null,
      state: 'running', phase: 'staged', push_alerts: opts.pushAlerts, rows_read: 0, accepted: 0, duplicates: 0, rejected: 0, alerts: 0, error: '',
    };
    await saveImport(this.deps.store, rec, this.nextVersion());
    await this.deps.audit.record({ actor: opts.author, action: 'import_start', target: `import:${id}`, details: { format: opts.format, file_name: opts.fileName, bytes: rec.bytes, push_alerts: opts.pushAlerts } });
    this.launch(rec);
    return { ok: true, id };
  }

  private launch(rec: ImportRecord): void {
    if (this.jobs.has(rec.id) || this.stopped) return;
    const job: Job = { rec: { ...rec }, abort: new AbortController(), startedAt: this.deps.clock(), startRows: rec.rows_read, replayed: 0, total: 0, lastEmit: 0, done: Promise.resolve(), offset: 0, feed: null };
    this.jobs.set(rec.id, job);
    job.done = this.run(job)
      .catch(async (err) => {
        if (job.abort.signal.aborted) return;
        this.deps.log.warn(`import ${rec.id} failed`, err instanceof Error ? err.message : err);
        await this.finish(job, 'failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
      })
      .finally(() => { this.jobs.delete(rec.id); });
  }

  async get(id: string): Promise<ImportProgress | null> {
    const job = this.jobs.get(id);
    if (job) return this.progressOf(job);
    const rec = await getImport(this.deps.store, id);
    return rec ? { ...rec, rate: null, eta_s: null, replayed: 0, phase_progress: rec.phase === 'finished' ? 1 : null } : null;
  }

  async list(limit: number): Promise<ImportRecord[]> {
    const rows = await listImports(this.deps.store, limit);
    return rows.map((r) => this.jobs.get(r.id)?.rec ?? r);
  }

  /** Cancels a running import: what it stored so far stays (and is counted); no further rows are read. */
  async cancel(id: string, actor: string): Promise<CancelOutcome> {
    const job = this.jobs.get(id);
    if (!job) {
      const rec = await getImport(this.deps.store, id);
      if (!rec) return { ok: false, code: 'not_found', message: 'import not found' };
      if (rec.state !== 'running') return { ok: false, code: 'conflict', message: `import is ${rec.state}` };
      // Running in the store but not here (another process, or not yet resumed): mark it.
      await saveImport(this.deps.store, { ...rec, state: 'cancelled', updated_at: this.deps.clock(), finished_at: this.deps.clock() }, this.nextVersion());
      await this.deps.audit.record({ actor, action: 'import_cancel', target: `import:${id}` });
      return { ok: true, value: { ...rec, state: 'cancelled' } };
    }
    job.abort.abort();
    await job.done;
    await this.finish(job, 'cancelled', '');
    await this.deps.audit.record({ actor, action: 'import_cancel', target: `import:${id}`, details: { rows_read: job.rec.rows_read, accepted: job.rec.accepted } });
    return { ok: true, value: job.rec };
  }

  /** Stops every running import where it is (each resumes at the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    const jobs = [...this.jobs.values()];
    for (const j of jobs) j.abort.abort();
    await Promise.all(jobs.map((j) => j.done));
  }

  private progressOf(job: Job): ImportProgress {
    const r = job.rec;
    const secs = (this.deps.clock() - job.startedAt) / 1000;
    let rate: number | null = null, eta: number | null = null, phase: number | null = null;
    if (r.phase === 'load') {
      const offset = job.offset;
      const size = this.fileBytes(r);
      phase = size > 0 ? Math.min(1, offset / size) : null;
      if (secs > 0) {
        rate = Math.round((r.rows_read - job.startRows) / secs);
        const bytesPerS = offset / secs;
        eta = bytesPerS > 0 ? Math.max(0, Math.round((size - offset) / bytesPerS)) : null;
      }
    } else if (r.phase === 'replay') {
      phase = job.total > 0 ? Math.min(1, job.replayed / job.total) : null;
      if (secs > 0) {
        rate = Math.round(job.replayed / secs);
        eta = rate > 0 ? Math.max(0, Math.round((job.total - job.replayed) / rate)) : null;
      }
    } else if (r.phase === 'finished') phase = 1;
    return { ...r, rate, eta_s: eta, replayed: job.replayed, phase_progress: phase };
  }

  private fileBytes(r: ImportRecord): number {
    try { return statSync(this.rowsFile(r.id, r.format)).size; } catch { return r.bytes; }
  }

  private emit(job: Job, force = false): void {
    const now = this.deps.clock();
    if (!force && now - job.lastEmit < PROGRESS_EVERY_MS) return;
    job.lastEmit = now;
    this.progress$.next(this.progressOf(job));
  }

  private progressFile(id: string) { return new CheckpointFile<Progress>(this.dir(id)); }

  private async save(job: Job): Promise<void> {
    job.rec.updated_at = this.deps.clock();
    await saveImport(this.deps.store, job.rec, this.nextVersion());
  }

  private async finish(job: Job, state: 'done' | 'failed' | 'cancelled', error: string): Promise<void> {
    job.rec.state = state;
    job.rec.error = error;
    job.rec.finished_at = this.deps.clock();
    if (state === 'done') job.rec.phase = 'finished';
    await this.save(job);
    this.emit(job, true);
    if (state !== 'cancelled') {
      const r = job.rec;
      await this.deps.audit.record({ actor: 'system', action: `import_${state}`, target: `import:${r.id}`, details: { rows_read: r.rows_read, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, alerts: r.alerts, error: error || undefined } });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      await this.runPhases(job);
    } finally {
      // A cancel, a stop or a failure ends the replay that ran beside the load.
      await job.feed?.stop();
      job.feed = null;
    }
  }

  private async runPhases(job: Job): Promise<void> {
    const r = job.rec;
    if (r.phase === 'staged') {
      if (r.format !== 'ndjson') {
        const out = this.rowsFile(r.id, r.format);
        await convertToNdjson(this.deps.store, this.upload(r.id, r.format), r.format, `${out}.part`);
        renameSync(`${out}.part`, out);
      }
      r.phase = 'load';
      await this.save(job);
    }
    if (r.phase === 'load') {
      const completed = await this.load(job);
      if (!completed) return;
      r.phase = 'replay';
      await this.save(job);
    }
    if (r.phase === 'replay') {
      const completed = await this.replay(job);
      if (!completed) return;
      await this.finish(job, 'done', '');
      // The staged files have done their work; the record and the stored rows stay.
      rmSync(this.dir(r.id), { recursive: true, force: true });
    }
  }

  /**
   * The load phase; false when it was stopped or cancelled before the end of the file. Batches go
   * through two steps: `prepare` (read, parse, validate, dedupe claim, encode: the server's thread,
   * in slices between which the event loop runs) and `commit` (insert, dead letters, counters,
   * progress). Batch k+1 is prepared while batch k is committed; commits run one at a time, in order.
   */
  private async load(job: Job): Promise<boolean> {
    const { store, ingest, clock } = this.deps;
    const r = job.rec;
    const cp = this.progressFile(r.id);
    const prog: Progress = cp.read()?.snapshot ?? { offset: 0, rows_read: 0, accepted: 0, duplicates: 0, rejected: 0, last_seq: 0 };
    Object.assign(r, { rows_read: prog.rows_read, accepted: prog.accepted, duplicates: prog.duplicates, rejected: prog.rejected });
    job.startRows = prog.rows_read;
    // What the batches in flight at a crash already stored: recognised, not counted or stored twice.
    const storedUncounted = await importedIdsAfterSeq(store, r.id, prog.last_seq);
    const deadKept = await deadLetterRowsFrom(store, `import:${r.id}`, prog.rows_read);
    // A load from the start replays beside it; a resumed one replays from the store once loaded.
    if (prog.offset === 0 && storedUncounted.size === 0) job.feed = LoadReplay.start(await this.replayInit());
    const fd = openSync(this.rowsFile(r.id, r.format), 'r');
    const times = new StepTimes();
    const ctx: LoadContext = { job, fd, size: fstatSync(fd).size, buf: Buffer.allocUnsafe(this.deps.batchBytes), storedUncounted, deadKept, times, prog, cp, savedAt: clock() };
    job.offset = prog.offset;
    let committing: Promise<void> = Promise.resolve();
    let waiting: Batch | null = null;
    try {
      let offset = prog.offset, rows = prog.rows_read;
      while (offset < ctx.size && !job.abort.signal.aborted) {
        waiting = await this.prepare(ctx, offset, rows);
        await committing;
        const batch = waiting;
        waiting = null;
        committing = this.commit(ctx, batch);
        // Awaited before the next commit (or below); a failure meanwhile is not an unhandled rejection.
        committing.catch(() => undefined);
        offset = batch.end;
        rows += batch.rows;
      }
      await committing;
      this.deps.log.debug(`import ${r.id}: load ${r.rows_read} rows, ${times.summary()}`);
      return !job.abort.signal.aborted;
    } finally {
      if (waiting) ingest.importStored(waiting.fresh, false);
      await committing.catch(() => undefined);
      closeSync(fd);
    }
  }

  /** A batch from `offset` (row index `rows`): read, parsed, validated, claimed, encoded; nothing stored or counted yet. */
  private async prepare(ctx: LoadContext, offset: number, rows: number): Promise<Batch> {
    const { ingest, clock } = this.deps;
    const { job, buf, times } = ctx;
    const r = job.rec;
    const source = `import:${r.id}`;
    const tabular = r.format !== 'ndjson';
    const n = times.sync('read', () => readSync(ctx.fd, buf, 0, Math.min(buf.length, ctx.size - offset), offset));
    let end = n;
    if (offset + n < ctx.size) {
      const nl = buf.lastIndexOf(10, n - 1);
      // One line longer than a batch: read it whole.
      if (nl < 0) throw new Error(`row ${rows + 1}: a line longer than ${buf.length} bytes`);
      end = nl + 1;
    }
    const lines = times.sync('parse', () => splitNdjsonBytes(buf.subarray(0, end)));
    const items: BodyItem[] = [];
    const valid: OpEvent[] = [];
    const dead: DeadLetter[] = [];
    let rejected = 0;
    const now = clock();
    for (let from = 0; from < lines.length; from += SLICE_LINES) {
      if (from > 0) await yieldToLoop();
      const first = items.length;
      times.sync('parse', () => parseNdjsonLines(lines, from, Math.min(lines.length, from + SLICE_LINES), items));
      const t = performance.now();
      for (let i = first; i < items.length; i++) {
        const item = items[i]!;
        const idx = rows + i;
        const outcome = item.ok ? validateEvent(tabular ? fromTabularRow(item.value) : item.value, now) : { ok: false as const, reason: item.reason };
        if (outcome.ok) { valid.push(outcome.value); continue; }
        rejected++;
        if (ctx.deadKept.has(idx)) continue;
        const v = item.ok ? (item.value as Record<string, unknown> | null) : null;
        const id = v && typeof v === 'object' && typeof v.id === 'string' ? toWellFormed(v.id.slice(0, 200)) : '';
        dead.push({ received_at: now, source, idx, event_id: id, reason: outcome.reason, raw: item.raw, raw_base64: !item.ok && item.rawBase64 ? 1 : 0 });
      }
      times.add('validate', performance.now() - t);
    }
    await yieldToLoop();
    const claim = await times.async('dedupe', () => ingest.claimForImport(valid, ctx.storedUncounted));
    try {
      const parts: string[] = new Array(claim.fresh.length);
      for (let from = 0; from < claim.fresh.length; from += SLICE_LINES) {
        await yieldToLoop();
        times.sync('encode', () => {
          for (let i = from; i < Math.min(claim.fresh.length, from + SLICE_LINES); i++) parts[i] = importedRowJson(claim.fresh[i]!, r.id);
        });
      }
      const text = times.sync('encode', () => parts.join('\n'));
      return { end: offset + end, rows: items.length, fresh: claim.fresh, recovered: claim.recovered, duplicates: claim.duplicates, rejected, dead, text };
    } catch (err) {
      ingest.importStored(claim.fresh, false);
      throw err;
    }
  }

  /** A prepared batch stored (the replay beside the load gets its rows meanwhile), counted, and the progress made durable at most once a second. */
  private async commit(ctx: LoadContext, b: Batch): Promise<void> {
    const { store, ingest, clock } = this.deps;
    const { job, times, prog } = ctx;
    const r = job.rec;
    let stored = false;
    try {
      const handed = job.feed?.feed(b.fresh);
      await times.async('insert', () => this.insertRows(r.id, b.text));
      await times.async('replay wait', async () => { await handed; });
      stored = true;
    } finally {
      ingest.importStored(b.fresh, stored);
    }
    if (b.dead.length && !(await times.async('dead letters', () => storeDeadLetters(store, b.dead)))) throw new Error('dead letters not stored: the store is failing');
    r.accepted += b.fresh.length + b.recovered;
    r.duplicates += b.duplicates;
    r.rejected += b.rejected;
    r.rows_read += b.rows;
    job.offset = b.end;
    if (job.feed) job.replayed = job.feed.events;
    for (const e of b.fresh) if (e.seq > prog.last_seq) prog.last_seq = e.seq;
    if (clock() - ctx.savedAt >= PROGRESS_SAVE_MS || b.end >= ctx.size) {
      Object.assign(prog, { offset: b.end, rows_read: r.rows_read, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected });
      times.sync('progress file', () => ctx.cp.write(CheckpointFile.serialize({ seq: prog.last_seq, written_at: clock(), snapshot: prog })));
      await times.async('progress record', () => this.save(job));
      ctx.savedAt = clock();
    }
    this.emit(job);
  }

  /** The replay phase; false when stopped or cancelled (a resume replays again, storing only what is new). */
  private async replay(job: Job): Promise<boolean> {
    const { store } = this.deps;
    const r = job.rec;
    const feed = job.feed;
    job.feed = null;
    if (feed && (await this.endLoadReplay(job, feed))) return true;
    const range = await importTsRange(store, r.id);
    r.alerts = await countImportAlerts(store, r.id);
    if (!range) return true;
    job.total = range.n;
    job.startedAt = this.deps.clock();
    const times = new StepTimes();
    const outcome = await replayStored({
      times,
      store,
      filter: { from: range.from, to: range.to, importId: r.id },
      init: await this.replayInit(),
      // Time moves to just past the last imported event: what is due within the history is decided, nothing after it.
      end: range.to,
      signal: job.abort.signal,
      onAlerts: (alerts) => times.async('alerts', () => this.storeAlerts(job, alerts)),
      onProgress: (n) => { job.replayed = n; this.emit(job); },
    });
    this.deps.log.debug(`import ${r.id}: replay ${job.replayed} events, ${times.summary()}`);
    if (!outcome.ok) {
      if (outcome.reason === 'cancelled') return false;
      throw new Error(`replay: ${outcome.reason}`);
    }
    r.alerts = await countImportAlerts(store, r.id);
    return true;
  }

  /**
   * A batch's rows into `events`. The embedded engine reads them from a file with its own reader
   * (1.4–2.0 × the rows/s of the text sent after the statement); a remote server gets the text.
   * The file is only a hand-over (not fsync'd): the rows are durable once the insert returns.
   */
  private async insertRows(id: string, text: string): Promise<void> {
    const { store } = this.deps;
    if (store.kind !== 'embedded' || text.length === 0) return insertEventRows(store, text);
    const path = join(this.dir(id), 'batch.ndjson');
    writeFileSync(path, text);
    await insertEventRowsFromFile(store, path);
  }

  /** The replay's setup: the catalog in force and the reference versions by validity (read when the replay starts). */
  private async replayInit(): Promise<ReplayInit> {
    return { catalog: this.deps.catalog(), refs: datedReferences(await this.deps.referenceHistory(), this.deps.currentReference()), mode: 'alerts' };
  }

  /**
   * The end of the replay that ran beside the load: the last answers, event time moved to just past
   * the newest imported event, every alert stored. False when it gave up (the file was not in ts
   * order, …): the caller replays from the store.
   */
  private async endLoadReplay(job: Job, feed: LoadReplay): Promise<boolean> {
    const r = job.rec;
    const times = new StepTimes();
    job.total = r.accepted;
    const out = feed.broken ? { ok: false as const, reason: feed.broken }
      : feed.newestTs === -Infinity ? { ok: true as const, alerts: [], events: 0 }
      : await times.async('worker end', () => feed.finish(feed.newestTs + 1));
    await feed.stop();
    if (!out.ok) {
      this.deps.log.info(`import ${r.id}: replaying from the store after the load (${out.reason})`);
      return false;
    }
    job.replayed = out.events;
    for (let i = 0; i < out.alerts.length; i += ALERT_BATCH) await times.async('alerts', () => this.storeAlerts(job, out.alerts.slice(i, i + ALERT_BATCH)));
    r.alerts = await countImportAlerts(this.deps.store, r.id);
    this.deps.log.debug(`import ${r.id}: replay beside the load, ${out.events} events, ${out.alerts.length} alerts, after the load ${times.summary()}`);
    return true;
  }

  /** A replay's alerts, marked historical with the import's id; only those not stored yet are stored (a resumed replay raises them again). */
  private async storeAlerts(job: Job, alerts: readonly Alert[]): Promise<void> {
    const { store } = this.deps;
    const r = job.rec;
    const known = await existingAlertIds(store, alerts.map((a) => a.id));
    const fresh = alerts.filter((a) => !known.has(a.id)).map((a) => ({ ...a, historical: true, import_id: r.id }));
    if (!fresh.length) return;
    await insertAlerts(store, fresh, this.deps.clock());
    r.alerts += fresh.length;
    if (r.push_alerts) this.deps.show(fresh);
  }
}

function syncDir(dir: string): void {
  if (!existsSync(dir)) return;
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}
