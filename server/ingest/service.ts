/**
 * Ingestion: validate → dedupe → spool (fsync) → acknowledge → store, as a group commit so that
 * concurrent senders share one dedupe lookup, one fsync and one insert. Accepted events flow on,
 * in arrival order and each exactly once, through `accepted$`.
 */
import { Subject } from 'rxjs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Store } from '../../sql/store.js';
import { idsInEvents, insertEventIds, findKnownIds, insertEventRows, maxSeq, storeDeadLetters, type DeadLetter, type EventRow, fromEventRow, toEventRow } from '../../sql/queries/events.js';
import { errorText, insertIsolating, isStoreFailure, type WriteHealth } from '../../sql/isolate.js';
import { validateEvent } from '../../streams/ingest/validate.js';
import { toWellFormed } from '../../streams/ingest/unicode.js';
import type { BodyItem } from '../../streams/ingest/parse-body.js';
import { RecentIds } from '../../streams/ingest/recent-ids.js';
import type { ReferenceIndex } from '../../streams/reference/index.js';
import type { IngestedEvent, OpEvent } from '../../streams/types.js';
import { Spool, type SpoolFile } from './spool.js';
import { DedupeFilter } from './dedupe-filter.js';
import type { Logger } from '../log.js';

export interface IngestResult { accepted: number; duplicates: number; rejected: { index: number; id?: string; error: string }[] }
/** `disk_full`: DATA_DIR has no room for the spool file (nothing of the request was kept). */
export type SubmitOutcome = { ok: true; value: IngestResult } | { ok: false; reason: 'spool_full' | 'disk_full' | 'stopped' };
/** A request may go on (then `release` once answered), or the server is over its in-flight bounds: 429. */
export type Admission = { ok: true; release: () => void } | { ok: false; reason: string; retryAfterS: number };

interface Submission {
  valid: { index: number; ev: OpEvent }[];
  dead: DeadLetter[];
  result: IngestResult;
  resolve: (o: SubmitOutcome) => void;
}

export interface IngestDeps {
  store: Store;
  spool: Spool;
  reference: () => ReferenceIndex;
  clock: () => number;
  log: Logger;
  /** Applies migrations when the store comes back after a degraded start. */
  ensureSchema: () => Promise<void>;
  /** Where the dedupe filter is kept, and its size (2^bits bits). */
  filterDir: string;
  filterLog2Bits: number;
  /** Write outcomes per table, read by /api/health ("degraded" while writes keep failing). */
  health: WriteHealth;
  /** Overload bounds: request bytes being read/validated/committed, and events acknowledged but not yet stored. */
  maxInflightBytes: number;
  maxBacklogEvents: number;
}

const MAX_GROUP_EVENTS = 20_000;
/** A large request is validated and enqueued this many items at a time, with a yield in between. */
const SUBMIT_SLICE = 4_000;
const NO_FLAGS: string[] = Object.freeze([]) as unknown as string[];
const STORE_BATCH_ROWS = 50_000;
/** Dedupe answers before the store lookup: never accepted, accepted before, ask the store. */
const NEW = 0;
const SEEN = 1;
const ASK = 2;

export class IngestService {
  readonly accepted$ = new Subject<IngestedEvent>();
  readonly rejectCounts = new Map<string, number>();
  private readonly recent: RecentIds;
  /** Ids spooled but not yet in ClickHouse: the cache may never forget them. */
  private readonly pending = new Set<string>();
  private queue: Submission[] = [];
  private flushing = false;
  private lastSeq = 0;
  private storeUp = true;
  private draining: Promise<void> | null = null;
  private inflight = new Set<string>();
  private insertChain: Promise<void> = Promise.resolve();
  /** Groups spooled and acknowledged, waiting for their insert; `rows` is their JSONEachRow text. */
  private toStore: { file: SpoolFile; events: IngestedEvent[]; rows: string; dead: DeadLetter[]; deadRows: string }[] = [];
  private storing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** Every id ever accepted (Bloom filter); null until loaded, and then every id is looked up. */
  private filter: DedupeFilter | null = null;
  private filterSavedAt = 0;
  private inflightBytes = 0;
  /** Spool files whose insert failed on a store failure since the last success: `degraded` reason. */
  private lastSpoolError: string | null = null;

  constructor(private readonly deps: IngestDeps, cacheSize: number) {
    this.recent = new RecentIds(cacheSize);
  }

  get storeAvailable(): boolean { return this.storeUp; }
  get spoolBytes(): number { return this.deps.spool.size; }
  /** Events acknowledged (in the spool) and not yet in ClickHouse. */
  get backlogEvents(): number { return this.pending.size; }
  get inflightRequestBytes(): number { return this.inflightBytes; }
  get spoolWriteError(): string | null { return this.lastSpoolError; }

  /**
   * Admission of a request of `bytes` (its Content-Length): bounded bytes in flight and a bounded
   * backlog of acknowledged-but-not-stored events, so that 10× the sustainable rate is answered
   * with 429 + Retry-After instead of queueing without limit. One request is always admitted when
   * nothing else is in flight (a 16 MiB body under a smaller bound still goes through).
   */
  admit(bytes: number): Admission {
    const { maxInflightBytes, maxBacklogEvents } = this.deps;
    if (this.inflightBytes > 0 && this.inflightBytes + bytes > maxInflightBytes)
      return { ok: false, reason: `ingest: ${this.inflightBytes} request bytes in flight (INGEST_MAX_INFLIGHT_BYTES ${maxInflightBytes}), retry later`, retryAfterS: 1 };
    if (this.storeUp && this.pending.size > maxBacklogEvents)
      return { ok: false, reason: `ingest: ${this.pending.size} acknowledged events wait for the store (INGEST_MAX_BACKLOG_EVENTS ${maxBacklogEvents}), retry later`, retryAfterS: 2 };
    this.inflightBytes += bytes;
    let released = false;
    return { ok: true, release: () => { if (!released) { released = true; this.inflightBytes -= bytes; } } };
  }

  /** Drains what a previous run left in the spool, then picks up the sequence where it stopped. */
  async start(): Promise<void> {
    try {
      await this.deps.ensureSchema();
      await this.loadFilter();
      await this.drain();
    } catch (err) {
      this.markDown(err);
    }
    const fromStore = this.storeUp ? await maxSeq(this.deps.store).catch(() => 0) : 0;
    this.lastSeq = Math.max(this.lastSeq, fromStore);
    this.timer = setInterval(() => void this.checkStore(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.flushing || this.queue.length) await new Promise((r) => setTimeout(r, 5));
    await this.insertChain;
    this.saveFilter();
  }

  private async loadFilter(): Promise<void> {
    if (this.filter) return;
    const { filter } = await DedupeFilter.open(this.deps.filterDir, this.deps.filterLog2Bits, this.deps.store);
    // Ids accepted while it loaded are in the cache or pending; add them so the filter is whole
    // (dedupe trusts a "never seen" from the filter before it asks the cache).
    for (const id of this.pending) filter.filter.add(id);
    for (const id of this.recent.ids()) filter.filter.add(id);
    this.filter = filter;
  }

  private saveFilter(): void {
    if (!this.filter) return;
    try {
      this.filter.save(this.lastSeq);
      this.filterSavedAt = this.deps.clock();
    } catch (err) {
      this.deps.log.warn('dedupe filter not saved', err instanceof Error ? err.message : err);
    }
  }

  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, this.deps.clock() * 1000);
    return this.lastSeq;
  }

  private countReject(reason: string): void {
    const key = reason.split(':')[0] ?? reason;
    this.rejectCounts.set(key, (this.rejectCounts.get(key) ?? 0) + 1);
  }

  /** A body that is not JSON (or not UTF-8) at all: kept as a dead letter, nothing else. */
  async submitUnparseable(raw: string, reason: string, source: string, rawBase64 = false): Promise<SubmitOutcome> {
    this.countReject(reason);
    const d: DeadLetter = { received_at: this.deps.clock(), source, idx: -1, event_id: '', reason, raw, raw_base64: rawBase64 ? 1 : 0 };
    return this.enqueue({ valid: [], dead: [d], result: { accepted: 0, duplicates: 0, rejected: [] } });
  }

  /**
   * Validates and commits a request's items. A large one goes a slice at a time with a yield in
   * between (a million NDJSON lines must not hold the event loop); its 202 comes when every slice
   * is durable. If a later slice finds the spool full, the answer is 503 and the sender resends
   * the whole request: the slices already kept count as duplicates then.
   */
  async submit(items: BodyItem[], source: string): Promise<SubmitOutcome> {
    if (items.length <= SUBMIT_SLICE) return this.enqueue(this.validateSlice(items, 0, items.length, source));
    const parts: Promise<SubmitOutcome>[] = [];
    for (let from = 0; from < items.length; from += SUBMIT_SLICE) {
      if (from > 0) await yieldToLoop();
      parts.push(this.enqueue(this.validateSlice(items, from, Math.min(items.length, from + SUBMIT_SLICE), source)));
    }
    const outs = await Promise.all(parts);
    const failed = outs.find((o) => !o.ok);
    if (failed) return failed;
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    for (const o of outs) {
      if (!o.ok) continue;
      result.accepted += o.value.accepted;
      result.duplicates += o.value.duplicates;
      for (const r of o.value.rejected) result.rejected.push(r);
    }
    return { ok: true, value: result };
  }

  private validateSlice(items: readonly BodyItem[], from: number, to: number, source: string): Omit<Submission, 'resolve'> {
    const now = this.deps.clock();
    const sub: Omit<Submission, 'resolve'> = { valid: [], dead: [], result: { accepted: 0, duplicates: 0, rejected: [] } };
    for (let index = from; index < to; index++) {
      const item = items[index]!;
      const outcome = item.ok ? validateEvent(item.value, now) : { ok: false as const, reason: item.reason };
      if (outcome.ok) {
        sub.valid.push({ index, ev: outcome.value });
        continue;
      }
      const v = item.ok ? (item.value as Record<string, unknown> | null) : null;
      // The id as sent may be anything (a lone surrogate included): what we echo and store is well-formed.
      const id = v && typeof v === 'object' && typeof v.id === 'string' ? toWellFormed(v.id.slice(0, 200)) : undefined;
      sub.result.rejected.push(id === undefined ? { index, error: outcome.reason } : { index, id, error: outcome.reason });
      const rawBase64 = !item.ok && item.rawBase64 ? 1 : 0;
      sub.dead.push({ received_at: now, source, idx: index, event_id: id ?? '', reason: outcome.reason, raw: item.raw, raw_base64: rawBase64 });
      this.countReject(outcome.reason);
    }
    return sub;
  }

  private enqueue(sub: Omit<Submission, 'resolve'>): Promise<SubmitOutcome> {
    if (this.stopped) return Promise.resolve({ ok: false, reason: 'stopped' });
    return new Promise((resolve) => {
      this.queue.push({ ...sub, resolve });
      if (!this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const group: Submission[] = [];
        let n = 0;
        while (this.queue.length && n < MAX_GROUP_EVENTS) {
          const s = this.queue.shift()!;
          group.push(s);
          n += s.valid.length + s.dead.length;
        }
        await this.commitGroup(group);
        // Each group runs the engine over its events: let health, the dashboard and readers in between.
        if (this.queue.length) await yieldToLoop();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commitGroup(group: Submission[]): Promise<void> {
    const { spool, store, reference, clock, log } = this.deps;
    // Dedupe, cheapest answer first: the filter says "never accepted" for almost every new id (no
    // cache lookups at all); the recent cache and the spooled-but-not-stored ids answer resends;
    // only what is left is looked up in the store's id index, once for the whole group.
    const filter = this.filter?.filter;
    const status: number[] = [];
    const unknown: string[] = [];
    const asked = new Set<string>();
    for (const s of group) for (const { ev } of s.valid) {
      if (filter && !filter.mightContain(ev.id)) status.push(NEW);
      else if (this.recent.has(ev.id) || this.pending.has(ev.id)) status.push(SEEN);
      else {
        status.push(ASK);
        if (!asked.has(ev.id)) { asked.add(ev.id); unknown.push(ev.id); }
      }
    }
    let known: Set<string> | null = null;
    if (unknown.length && this.storeUp) {
      try {
        known = await findKnownIds(store, unknown);
      } catch (err) {
        this.markDown(err);
      }
    }
    const ref = reference();
    const now = clock();
    const accepted: IngestedEvent[] = [];
    const dead: DeadLetter[] = [];
    let i = 0;
    for (const s of group) {
      for (const d of s.dead) dead.push(d);
      for (const { ev } of s.valid) {
        const st = status[i++];
        // `pending` also answers for ids earlier in this group (added just below).
        if (st === SEEN || (st === ASK && known?.has(ev.id)) || this.pending.has(ev.id)) {
          s.result.duplicates++;
          continue;
        }
        this.pending.add(ev.id);
        filter?.add(ev.id);
        let flags = NO_FLAGS;
        const unknownBureau = !ref.bureaus.has(ev.bureau);
        const unknownOfficer = ev.officer !== 'system' && !ref.officers.has(ev.officer);
        const unknownMatter = !ref.matters.has(ev.matter);
        if (unknownBureau || unknownOfficer || unknownMatter) {
          flags = [];
          if (unknownBureau) flags.push('unknown_bureau');
          if (unknownOfficer) flags.push('unknown_officer');
          if (unknownMatter) flags.push('unknown_matter');
        }
        // The validated event is ours: it becomes the accepted event in place (no copy per event).
        const acc = ev as IngestedEvent;
        acc.seq = this.nextSeq();
        acc.arrivedAt = now;
        acc.flags = flags;
        accepted.push(acc);
        s.result.accepted++;
      }
    }
    if (accepted.length === 0 && dead.length === 0) {
      for (const s of group) s.resolve({ ok: true, value: s.result });
      return;
    }
    // Spool lines: an event as its table row (the same text is inserted into ClickHouse), a dead letter wrapped in {"d":…}.
    const eventLines = accepted.map((e) => JSON.stringify(toEventRow(e)));
    const rows = eventLines.join('\n');
    const deadLines = dead.map((d) => JSON.stringify(d));
    const deadRows = deadLines.join('\n');
    const text = dead.length ? (rows ? `${rows}\n` : '') + deadLines.map((l) => `{"d":${l}}`).join('\n') : rows;
    if (!spool.hasRoom(text.length + 1)) {
      // Nothing of this group was kept: the senders must retry.
      for (const e of accepted) this.pending.delete(e.id);
      for (const s of group) s.resolve({ ok: false, reason: 'spool_full' });
      return;
    }
    let file: SpoolFile;
    try {
      file = spool.write(accepted[0]?.seq ?? this.nextSeq(), text);
      this.lastSpoolError = null;
    } catch (err) {
      // DATA_DIR full (ENOSPC) or failing: nothing of this group is acknowledged, the senders retry.
      const message = errorText(err);
      if (this.lastSpoolError === null) log.error('spool write failed', message);
      this.lastSpoolError = message;
      for (const e of accepted) this.pending.delete(e.id);
      const reason = /ENOSPC|EDQUOT|no space/i.test(message) ? 'disk_full' : 'spool_full';
      for (const s of group) s.resolve({ ok: false, reason });
      return;
    }
    for (const s of group) s.resolve({ ok: true, value: s.result });
    for (const e of accepted) this.accepted$.next(e);
    this.inflight.add(file.name);
    this.toStore.push({ file, events: accepted, rows, dead, deadRows });
    if (!this.storing) this.insertChain = this.storeQueued();
  }

  /** One writer: what queued up while the last insert ran goes in as one insert (a fixed cost per insert). */
  private async storeQueued(): Promise<void> {
    this.storing = true;
    try {
      while (this.toStore.length) {
        const groups: typeof this.toStore = [];
        let rows = 0;
        while (this.toStore.length && rows < STORE_BATCH_ROWS) {
          const g = this.toStore.shift()!;
          groups.push(g);
          // dead letters count too: a body of a million rejected lines must not become one insert
          rows += g.events.length + g.dead.length;
        }
        const events = groups.flatMap((g) => g.events);
        const dead = groups.flatMap((g) => g.dead);
        try {
          if (!this.storeUp) throw new Error('store down');
          const refusedIds = await this.storeRows(groups.map((g) => g.rows).filter(Boolean).join('\n'), dead, groups.map((g) => g.deadRows).filter(Boolean).join('\n'));
          for (const g of groups) this.deps.spool.remove(g.file);
          for (const e of events) {
            this.pending.delete(e.id);
            // A refused event is not stored: a resend of its id must be looked up, not taken as a duplicate.
            if (!refusedIds.has(e.id)) this.recent.add(e.id);
          }
        } catch (err) {
          // Left in the spool: the drain inserts them once the store answers again.
          if (this.storeUp) this.markDown(err);
        } finally {
          for (const g of groups) this.inflight.delete(g.file.name);
        }
      }
    } finally {
      this.storing = false;
    }
  }

  /**
   * Inserts event rows (JSONEachRow text) and dead letters. Rows the store refuses (a poison row
   * validation let through) are isolated by splitting the batch and stored as dead letters with
   * the store's error; the rest goes in. Throws when the store itself fails (the spool keeps all).
   * Returns the ids of the refused events.
   */
  private async storeRows(text: string, dead: readonly DeadLetter[], deadText?: string): Promise<Set<string>> {
    const { store, health, clock, log } = this.deps;
    const refusedIds = new Set<string>();
    const refusedDead: DeadLetter[] = [];
    if (text.length) {
      let firstError: unknown;
      try {
        await insertEventRows(store, text);
        health.succeeded('events');
      } catch (err) {
        if (isStoreFailure(err)) { health.failed('events', err); throw err; }
        firstError = err;
      }
      if (firstError !== undefined) {
        const lines = text.split('\n');
        const out = await insertIsolating(store, lines, (part) => insertEventRows(store, part.join('\n')), { table: 'events', health, alreadyFailed: firstError });
        if (!out.ok) throw new Error(out.error);
        const now = clock();
        for (const { row, error } of out.refused) {
          let id = '';
          try { id = String((JSON.parse(row) as { id?: unknown }).id ?? ''); } catch { /* the row is ours: always JSON */ }
          refusedIds.add(id);
          refusedDead.push({ received_at: now, source: 'store', idx: -1, event_id: toWellFormed(id), reason: `store: refused the event row: ${error.slice(0, 500)}`, raw: row, raw_base64: 0 });
        }
        if (out.refused.length) log.warn(`store refused ${out.refused.length} event row(s); kept as dead letters:`, out.refused[0]!.error.slice(0, 200));
      }
    }
    const allDead = refusedDead.length ? [...dead, ...refusedDead] : dead;
    if (allDead.length && !(await storeDeadLetters(store, allDead, health, refusedDead.length ? undefined : deadText))) throw new Error(`dead letters not stored: ${health.failures().find((f) => f.table === 'dead_letters')?.error ?? 'store failing'}`);
    return refusedIds;
  }

  /**
   * Deduplication for an import (server/imports), against everything stored or accepted, with
   * the same filter, cache and id index as live events. New events get their seq and flags and
   * count as pending until `importStored`; `storedByThisImport` (ids a resumed import had already
   * stored but not yet counted) are accepted without being stored again. Never reaches `accepted$`:
   * imported history is evaluated by its own replay, not by the live engine.
   */
  async claimForImport(evs: readonly OpEvent[], storedByThisImport: Set<string>): Promise<{ fresh: IngestedEvent[]; recovered: number; duplicates: number }> {
    const { store, reference, clock } = this.deps;
    const filter = this.filter?.filter;
    const ask: string[] = [];
    // One pass over the filter: each id is added (an id it holds stays held), and those it may have
    // held already are asked about. An id added here that turns out a duplicate was accepted before.
    for (const ev of evs) if (!filter || filter.add(ev.id)) ask.push(ev.id);
    const known = ask.length ? await findKnownIds(store, ask) : new Set<string>();
    const ref = reference();
    const now = clock();
    const fresh: IngestedEvent[] = [];
    const inBatch = new Set<string>();
    let recovered = 0, duplicates = 0;
    for (const ev of evs) {
      if (inBatch.has(ev.id)) { duplicates++; continue; }
      inBatch.add(ev.id);
      if (storedByThisImport.delete(ev.id)) { recovered++; continue; }
      if (known.has(ev.id) || this.pending.has(ev.id) || this.recent.has(ev.id)) { duplicates++; continue; }
      this.pending.add(ev.id);
      const flags: string[] = [];
      if (!ref.bureaus.has(ev.bureau)) flags.push('unknown_bureau');
      if (ev.officer !== 'system' && !ref.officers.has(ev.officer)) flags.push('unknown_officer');
      if (!ref.matters.has(ev.matter)) flags.push('unknown_matter');
      const acc = ev as IngestedEvent;
      acc.seq = this.nextSeq();
      acc.arrivedAt = now;
      acc.flags = flags.length ? flags : NO_FLAGS;
      fresh.push(acc);
    }
    return { fresh, recovered, duplicates };
  }

  /** An import's claimed events are stored (or were not: `stored` false), so they leave `pending`. */
  importStored(evs: readonly IngestedEvent[], stored: boolean): void {
    for (const e of evs) {
      this.pending.delete(e.id);
      if (stored) this.recent.add(e.id);
    }
  }

  private markDown(err: unknown): void {
    if (this.storeUp) this.deps.log.warn('store unreachable, spooling', err instanceof Error ? err.message : err);
    this.storeUp = false;
  }

  private async checkStore(): Promise<void> {
    let up = await this.deps.store.ping();
    if (up) up = await this.deps.ensureSchema().then(() => true, () => false);
    if (up && !this.storeUp) {
      this.deps.log.info('store reachable again, draining spool');
      this.storeUp = true;
    }
    if (up && !this.filter) await this.loadFilter().catch((err) => this.markDown(err));
    if (this.filter && this.deps.clock() - this.filterSavedAt > 60_000) this.saveFilter();
    if (up && this.deps.spool.pending().some((f) => !this.inflight.has(f.name))) await this.drain();
  }

  /** Inserts every spool file not being stored right now, skipping ids the store already has. */
  drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = (async () => {
      await this.insertChain;
      const { spool, store } = this.deps;
      for (const file of spool.pending()) {
        if (this.inflight.has(file.name)) continue;
        const events: IngestedEvent[] = [];
        const dead: DeadLetter[] = [];
        for (const line of spool.read(file)) {
          try {
            const rec = JSON.parse(line) as EventRow | { d: DeadLetter };
            if ('d' in rec) dead.push(rec.d);
            else events.push(fromEventRow(rec));
          } catch { /* a torn last line of a crashed write never reached fsync: it was never acknowledged */ }
        }
        try {
          const known = await findKnownIds(store, events.map((e) => e.id));
          let fresh = events.filter((e) => !known.has(e.id));
          // A kill -9 between the events part and its event_ids part (written by a view) leaves rows
          // the index does not know: found in events itself, they get their index row, not a second copy.
          if (fresh.length) {
            const ts = fresh.map((e) => e.ts);
            const inEvents = await idsInEvents(store, fresh.map((e) => e.id), Math.min(...ts), Math.max(...ts));
            if (inEvents.size) {
              await insertEventIds(store, fresh.filter((e) => inEvents.has(e.id)).map((e) => ({ id: e.id, seq: e.seq })));
              fresh = fresh.filter((e) => !inEvents.has(e.id));
            }
          }
          const refusedIds = await this.storeRows(fresh.map((e) => JSON.stringify(toEventRow(e))).join('\n'), dead);
          spool.remove(file);
          for (const e of events) {
            this.pending.delete(e.id);
            if (!refusedIds.has(e.id)) this.recent.add(e.id);
            this.filter?.filter.add(e.id);
            this.lastSeq = Math.max(this.lastSeq, e.seq);
          }
          this.storeUp = true;
        } catch (err) {
          this.markDown(err);
          for (const e of events) this.pending.add(e.id);
          break;
        }
      }
    })().finally(() => { this.draining = null; });
    return this.draining;
  }
}
