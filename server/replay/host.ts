/**
 * Runs the isolated replay in a worker thread (node:worker_threads), so that an import's or a
 * backtest's engine work never holds the server's event loop: the server reads pages of events
 * from ClickHouse in ts order and hands them over one at a time (or an import hands over the rows
 * it stores as it loads them); the worker answers each page, in order.
 */
import { Worker } from 'node:worker_threads';
import type { Alert, OpEvent } from '../../streams/types.js';
import type { BacktestResult } from '../../streams/engine/replay.js';
import type { FromWorker, ReplayInit, ToWorker } from './protocol.js';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export class ReplayWorker {
  /** Answers awaited, in the order asked (the worker answers each message in turn). */
  private readonly waiting: { ok: (m: FromWorker) => void; fail: (e: Error) => void }[] = [];
  private dead: Error | null = null;
  events = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      const w = this.waiting.shift();
      if (!w) return;
      if (m.type === 'error') w.fail(new Error(m.message));
      else w.ok(m);
    });
    const die = (err: Error) => {
      this.dead = err;
      for (const w of this.waiting.splice(0)) w.fail(err);
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`replay worker exited (${code})`)));
  }

  static start(init: ReplayInit): ReplayWorker {
    return new ReplayWorker(new Worker(BOOT, { workerData: init, stdout: false, stderr: false }));
  }

  private ask(m: ToWorker): Promise<FromWorker> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((ok, fail) => {
      this.waiting.push({ ok, fail });
      this.worker.postMessage(m);
    });
  }

  /** One page of events in (ts, id) order; the alerts it raised (none in tally mode). */
  async push(events: OpEvent[]): Promise<Alert[]> {
    const m = await this.ask({ type: 'events', events });
    if (m.type !== 'page') throw new Error('replay worker: unexpected answer');
    this.events = m.events;
    return m.alerts;
  }

  /**
   * An import's stored events (storedForm), ts non-decreasing across calls; the alerts they
   * raised. May be called again before an answer came (the answers keep the order of the calls).
   */
  async pushRows(events: OpEvent[]): Promise<Alert[]> {
    const m = await this.ask({ type: 'rows', events });
    if (m.type !== 'page') throw new Error('replay worker: unexpected answer');
    this.events = m.events;
    return m.alerts;
  }

  /** Event time moves to `end`; the alerts due before it, and (tally mode) the backtest's result. */
  async finish(end: number): Promise<{ alerts: Alert[]; result: BacktestResult | null }> {
    const m = await this.ask({ type: 'finish', end });
    if (m.type !== 'finished') throw new Error('replay worker: unexpected answer');
    this.events = m.events;
    return { alerts: m.alerts, result: m.result };
  }

  /** Stops the worker (a cancel, or the end). */
  async stop(): Promise<void> {
    this.dead ??= new Error('replay worker stopped');
    await this.worker.terminate();
  }
}
