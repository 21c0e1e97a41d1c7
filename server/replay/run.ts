/**
 * One way to replay stored history (issue 14): events streamed from ClickHouse in (ts, id) order
 * (sql/queries/events.ts eventsInOrder, filters pushed into the query) through the isolated
 * replay in a worker thread. An import uses it for its alerts, the backtest for its hits.
 */
import type { Store } from '../../sql/store.js';
import { eventsInOrder, type OrderedEventFilter } from '../../sql/queries/events.js';
import type { Alert } from '../../streams/types.js';
import type { BacktestResult } from '../../streams/engine/replay.js';
import type { ReplayInit } from './protocol.js';
import { ReplayWorker } from './host.js';
import type { StepTimes } from '../imports/step-times.js';

export interface ReplayRun {
  store: Store;
  filter: OrderedEventFilter;
  init: ReplayInit;
  /** Event time the replay moves to at the end (time points before it are decided). */
  end: number;
  /** Alerts of each page (alerts mode), awaited before the next page: storing them is the caller's. */
  onAlerts?: (alerts: Alert[]) => Promise<void>;
  onProgress?: (eventsDone: number) => void;
  signal?: AbortSignal;
  pageSize?: number;
  /** Where the time goes (page reads, the worker, the caller's alerts), for the debug log. */
  times?: StepTimes;
}

export type ReplayOutcome = { ok: true; events: number; result: BacktestResult | null } | { ok: false; reason: 'cancelled' | string };

export async function replayStored(run: ReplayRun): Promise<ReplayOutcome> {
  const worker = ReplayWorker.start(run.init);
  try {
    const pages = eventsInOrder(run.store, run.filter, run.pageSize);
    // The next page is read from ClickHouse while the worker evaluates the current one.
    let next = pages.next();
    for (;;) {
      const t = performance.now();
      const page = await next;
      run.times?.add('page wait', performance.now() - t);
      if (run.signal?.aborted) return { ok: false, reason: 'cancelled' };
      if (page.done) break;
      next = pages.next();
      const tw = performance.now();
      const alerts = await worker.push(page.value);
      run.times?.add('worker', performance.now() - tw);
      if (alerts.length && run.onAlerts) await run.onAlerts(alerts);
      run.onProgress?.(worker.events);
    }
    const fin = await worker.finish(run.end);
    if (fin.alerts.length && run.onAlerts) await run.onAlerts(fin.alerts);
    run.onProgress?.(worker.events);
    return { ok: true, events: worker.events, result: fin.result };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await worker.stop();
  }
}
