/**
 * Ingestion: validate → dedupe → spool (fsync) → acknowledge → store, as a group commit so that
 * concurrent senders share one dedupe lookup, one fsync and one insert. Accepted events flow on,
 * in arrival order and each exactly once, through `accepted$`.
 */
import { Subject } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { findKnownIds, insertDeadLetters, insertEventRows, maxSeq, type DeadLetter, type EventRow, fromEventRow, toEventRow } from '../../sql/queries/events.js';
import { validateEvent } from '../../streams/ingest/validate.js';
import type { BodyItem } from '../../streams/ingest/parse-body.js';
import { RecentIds } from '../../streams/ingest/recent-ids.js';
import type { ReferenceIndex } from '../../streams/reference/index.js';
import type { IngestedEvent, OpEvent } from '../../streams/types.js';
import { Spool, type SpoolFile } from './spool.js';
import { DedupeFilter } from './dedupe-filter.js';
import type { Logger } from '../log.js';

export interface IngestResult { accepted: number; duplicates: number; rejected: { index: number; id?: string; error: string }[] }
export type SubmitOutcome = { ok: true; value: IngestResult } | { ok: false; reason: 'spool_full' | 'stopped' };

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
}

const MAX_GROUP_EVENTS = 20_000;
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
  private toStore: { file: SpoolFile; events: IngestedEvent[]; rows: string; dead: DeadLetter[] }[] = [];
  private storing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** Every id ever accepted (Bloom filter); null until loaded, and then every id is looked up. */
  private filter: DedupeFilter | null = null;
  private filterSavedAt = 0;

  constructor(private readonly deps: IngestDeps, cacheSize: number) {
    this.recent = new RecentIds(cacheSize);
  }

  get storeAvailable(): boolean { return this.storeUp; }
  get spoolBytes(): number { return this.deps.spool.size; }

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

  /** A body that is not JSON at all: kept as a dead letter, nothing else. */
  async submitUnparseable(raw: string, reason: string, source: string): Promise<SubmitOutcome> {
    this.countReject(reason);
    return this.enqueue({ valid: [], dead: [{ received_at: this.deps.clock(), source, idx: -1, event_id: '', reason, raw }], result: { accepted: 0, duplicates: 0, rejected: [] } });
  }

  submit(items: BodyItem[], source: string): Promise<SubmitOutcome> {
    const now = this.deps.clock();
    const sub: Omit<Submission, 'resolve'> = { valid: [], dead: [], result: { accepted: 0, duplicates: 0, rejected: [] } };
    items.forEach((item, index) => {
      const outcome = item.ok ? validateEvent(item.value, now) : { ok: false as const, reason: item.reason };
      if (outcome.ok) {
        sub.valid.push({ index, ev: outcome.value });
        return;
      }
      const v = item.ok ? (item.value as Record<string, unknown> | null) : null;
      const id = v && typeof v === 'object' && typeof v.id === 'string' ? v.id.slice(0, 200) : undefined;
      sub.result.rejected.push(id === undefined ? { index, error: outcome.reason } : { index, id, error: outcome.reason });
      sub.dead.push({ received_at: now, source, idx: index, event_id: id ?? '', reason: outcome.reason, raw: item.raw });
      this.countReject(outcome.reason);
    });
    return this.enqueue(sub);
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
    const text = dead.length ? [rows, ...dead.map((d) => JSON.stringify({ d }))].join('\n') : rows;
    if (!spool.hasRoom(text.length + 1)) {
      // Nothing of this group was kept: the senders must retry.
      for (const e of accepted) this.pending.delete(e.id);
      for (const s of group) s.resolve({ ok: false, reason: 'spool_full' });
      return;
    }
    let file: SpoolFile;
    try {
      file = spool.write(accepted[0]?.seq ?? this.nextSeq(), text);
    } catch (err) {
      log.error('spool write failed', err);
      for (const e of accepted) this.pending.delete(e.id);
      for (const s of group) s.resolve({ ok: false, reason: 'spool_full' });
      return;
    }
    for (const s of group) s.resolve({ ok: true, value: s.result });
    for (const e of accepted) this.accepted$.next(e);
    this.inflight.add(file.name);
    this.toStore.push({ file, events: accepted, rows, dead });
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
          rows += g.events.length;
        }
        const events = groups.flatMap((g) => g.events);
        const dead = groups.flatMap((g) => g.dead);
        try {
          if (!this.storeUp) throw new Error('store down');
          await insertEventRows(this.deps.store, groups.map((g) => g.rows).filter(Boolean).join('\n'));
          if (dead.length) await insertDeadLetters(this.deps.store, dead);
          for (const g of groups) this.deps.spool.remove(g.file);
          for (const e of events) { this.pending.delete(e.id); this.recent.add(e.id); }
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
          const fresh = events.filter((e) => !known.has(e.id));
          await insertEventRows(store, fresh.map((e) => JSON.stringify(toEventRow(e))).join('\n'));
          if (dead.length) await insertDeadLetters(store, dead);
          spool.remove(file);
          for (const e of events) { this.pending.delete(e.id); this.recent.add(e.id); this.filter?.filter.add(e.id); this.lastSeq = Math.max(this.lastSeq, e.seq); }
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
