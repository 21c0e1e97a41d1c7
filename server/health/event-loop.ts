/**
 * The server's event-loop delay, as GET /api/health reports it: percentiles over the last full
 * window (60 s by default) and over the window in progress. A stall of the loop (a long parse, a
 * big synchronous encode, a long GC pause) shows here as it does to every request.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { LoopDelay } from '../http/contract.js';
export type { LoopDelay };

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

export class EventLoopDelayMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private windowStart: number;
  private lastWindow: LoopDelay | null = null;

  constructor(private readonly clock: () => number, private readonly windowMs = 60_000) {
    this.histogram.enable();
    this.windowStart = clock();
  }

  /** The last full window and the current one; a window closes when read after windowMs. */
  read(): { last_window: LoopDelay | null; current: LoopDelay } {
    const now = this.clock();
    if (now - this.windowStart >= this.windowMs) {
      this.lastWindow = this.snapshot(now);
      this.histogram.reset();
      this.windowStart = now;
    }
    return { last_window: this.lastWindow, current: this.snapshot(now) };
  }

  stop(): void { this.histogram.disable(); }

  private snapshot(now: number): LoopDelay {
    const h = this.histogram;
    const window_s = Math.round((now - this.windowStart) / 100) / 10;
    if (h.count === 0) return { p50_ms: 0, p99_ms: 0, max_ms: 0, window_s };
    return { p50_ms: ms(h.percentile(50)), p99_ms: ms(h.percentile(99)), max_ms: ms(h.max), window_s };
  }
}
