/**
 * The replay of an import run while it loads (docs/imports.md, "The isolated replay"): the events each
 * batch stores go to the replay worker while ClickHouse stores them, as the store would give them
 * back (storedForm; no read back from ClickHouse), so the replay runs on the second core
 * beside the load. It gives exactly the alerts of the replay read back from the store, because it
 * sees the same events in the same (ts, id) order — which holds only while the stored rows come in
 * ts order (ties are put in id order in the worker). It gives up (`broken`), and the import replays
 * from the store after the load as before, when:
 *   - a stored row's ts is before the previous one's (the file is not in event-time order);
 *   - more than `maxHeldAlerts` alerts are held (they are stored only once the whole file was seen
 *     in order: a later row of an earlier time could change them);
 *   - the worker fails.
 */
import type { Alert, IngestedEvent } from '../../streams/types.js';
import { storedForm } from '../../sql/queries/events.js';
import type { ReplayInit } from './protocol.js';
import { ReplayWorker } from './host.js';

/** Batches handed to the worker and not yet answered before the load waits for it (memory stays bounded). */
const MAX_IN_FLIGHT = 2;

export type LoadReplayEnd = { ok: true; alerts: Alert[]; events: number } | { ok: false; reason: string };

export class LoadReplay {
  private readonly pending: Promise<Alert[]>[] = [];
  private held: Alert[] = [];
  private lastTs = -Infinity;
  /** Why it gave up; null while it runs. */
  broken: string | null = null;

  private constructor(private readonly worker: ReplayWorker, private readonly maxHeldAlerts: number) {}

  static start(init: ReplayInit, maxHeldAlerts = 200_000): LoadReplay {
    return new LoadReplay(ReplayWorker.start(init), maxHeldAlerts);
  }

  /** Events the worker has evaluated. */
  get events(): number { return this.worker.events; }

  /** Newest ts handed over (−Infinity before the first row). */
  get newestTs(): number { return this.lastTs; }

  /**
   * The events a batch stores, handed over (as the store gives them back: storedForm) before the
   * insert is awaited; resolves once at most MAX_IN_FLIGHT batches are unanswered.
   */
  async feed(fresh: readonly IngestedEvent[]): Promise<void> {
    if (this.broken || fresh.length === 0) return;
    let last = this.lastTs;
    for (let i = 0; i < fresh.length; i++) {
      const ts = fresh[i]!.ts;
      if (ts < last) { await this.giveUp(`row ${fresh[i]!.id} is older than the one stored before it (the file is not in ts order)`); return; }
      last = ts;
    }
    this.lastTs = last;
    const answer = this.worker.pushRows(fresh.map(storedForm));
    answer.catch(() => undefined); // collected (or given up) below
    this.pending.push(answer);
    while (this.pending.length > MAX_IN_FLIGHT && !this.broken) await this.collect();
  }

  /** After the last batch: every answer, then the end of event time; the alerts to store (all of them). */
  async finish(end: number): Promise<LoadReplayEnd> {
    while (this.pending.length && !this.broken) await this.collect();
    if (this.broken) return { ok: false, reason: this.broken };
    try {
      const fin = await this.worker.finish(end);
      const alerts = this.held.concat(fin.alerts);
      this.held = [];
      return { ok: true, alerts, events: this.worker.events };
    } catch (err) {
      await this.giveUp(`the worker failed: ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, reason: this.broken! };
    } finally {
      await this.stop();
    }
  }

  async stop(): Promise<void> { await this.worker.stop(); }

  private async collect(): Promise<void> {
    try {
      const alerts = await this.pending.shift()!;
      for (let k = 0; k < alerts.length; k++) this.held.push(alerts[k]!);
      if (this.held.length > this.maxHeldAlerts) await this.giveUp(`more than ${this.maxHeldAlerts} alerts to hold`);
    } catch (err) {
      await this.giveUp(`the worker failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async giveUp(reason: string): Promise<void> {
    if (this.broken) return;
    this.broken = reason;
    this.held = [];
    this.pending.length = 0;
    await this.stop();
  }
}
