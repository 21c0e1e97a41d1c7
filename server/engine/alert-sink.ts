/**
 * Stores alerts once each (stable ids: a replay after a restart raises the same ids, which are
 * skipped here) and hands the new ones on, in batches, to whoever pushes them.
 */
import { Subject } from 'rxjs';
import type { Store } from '../../sql/store.js';
import { existingAlertIds, insertAlerts } from '../../sql/queries/alerts.js';
import { storeDeadLetters } from '../../sql/queries/events.js';
import { insertIsolating, WriteHealth } from '../../sql/isolate.js';
import type { Alert } from '../../streams/types.js';
import type { Logger } from '../log.js';

const RECENT_MAX = 200_000;
/**
 * Alerts are shown as they are raised; storing them waits this long so that a burst goes in as one
 * insert (each insert also feeds two rollup views: its cost is per insert more than per row).
 */
const STORE_EVERY_MS = 500;

export class AlertSink {
  /** Alerts stored for the first time, in the order raised. */
  readonly stored$ = new Subject<Alert[]>();
  /**
   * Alerts to show now. Live, an alert is new by construction (the engine raises each hit once), so
   * it is shown as soon as it is raised, before its insert; while a restart replays history, only
   * alerts the store did not have yet are shown, after the check.
   */
  readonly shown$ = new Subject<Alert[]>();
  private live = false;
  private queue: Alert[] = [];
  /** The batch being inserted right now. */
  private writing: readonly Alert[] = [];
  private recent = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly store: Store, private readonly clock: () => number, private readonly log: Logger, private readonly health = new WriteHealth(clock)) {}

  /** Call once the replay's alerts are flushed: from then on alerts are shown as they are raised. */
  goLive(): void { this.live = true; }

  push(alerts: readonly Alert[]): void {
    if (alerts.length === 0) return;
    if (this.live) this.shown$.next([...alerts]);
    this.queue.push(...alerts);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => {
        this.scheduled = false;
        this.chain = this.chain.then(() => this.write());
      }, STORE_EVERY_MS);
    }
  }

  /** How many alerts are raised and not stored yet. */
  get unstored(): number { return this.queue.length + this.writing.length; }

  /** Raised but not stored yet (waiting for its batch). */
  isPending(id: string): boolean {
    const is = (a: Alert) => a.id === id;
    return this.queue.some(is) || this.writing.some(is);
  }

  /** Resolves when everything pushed so far is stored. */
  async flush(): Promise<void> {
    this.chain = this.chain.then(() => this.write());
    await this.chain;
  }

  private async write(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, 10_000);
      this.writing = batch;
      const unseen = batch.filter((a) => !this.recent.has(a.id));
      const byId = new Map(unseen.map((a) => [a.id, a]));
      let fresh: Alert[] = [];
      for (let attempt = 0; ; attempt++) {
        try {
          // Live, the engine raises each hit once, so only a replay needs the store's word on what it has.
          const known = this.live ? null : await existingAlertIds(this.store, [...byId.keys()]);
          fresh = known ? [...byId.values()].filter((a) => !known.has(a.id)) : [...byId.values()];
          const version = this.clock();
          // A row the store refuses is isolated (the batch split until it is alone) and kept as a
          // dead letter; it must not hold back every alert after it.
          const out = await insertIsolating(this.store, fresh, (part) => insertAlerts(this.store, part, version), { table: 'alerts', health: this.health });
          if (!out.ok) throw new Error(out.error);
          if (out.refused.length) {
            const refused = new Set(out.refused.map((r) => r.row));
            fresh = fresh.filter((a) => !refused.has(a));
            const now = this.clock();
            const kept = await storeDeadLetters(this.store, out.refused.map(({ row, error }) => ({
              received_at: now, source: 'alert', idx: -1, event_id: row.evidence[0] ?? '', reason: `store: refused the alert row: ${error.slice(0, 500)}`, raw: JSON.stringify(row), raw_base64: 0,
            })), this.health);
            this.log.warn(`store refused ${out.refused.length} alert row(s); ${kept ? 'kept as dead letters' : 'dead letters not stored'}:`, out.refused[0]!.error.slice(0, 200));
          }
          break;
        } catch (err) {
          // The store is down: keep trying; alerts are also rebuilt from the spool+checkpoint on restart.
          if (attempt % 10 === 0) this.log.warn('alert insert failed, retrying', err instanceof Error ? err.message : err);
          await new Promise((r) => setTimeout(r, Math.min(5000, 200 * (attempt + 1))));
        }
      }
      this.writing = [];
      for (const a of byId.keys()) {
        this.recent.add(a);
        if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.values().next().value as string);
      }
      if (fresh.length) {
        if (!this.live) this.shown$.next(fresh);
        this.stored$.next(fresh);
      }
    }
  }
}
