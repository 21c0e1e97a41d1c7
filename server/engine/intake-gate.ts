/**
 * The gate in front of the engine: while a checkpoint is captured in slices, the engine must see
 * nothing new (its state is being serialized), yet ingestion goes on acknowledging and spooling.
 * Paused, the gate holds what arrives; on resume it hands the held events on in order, in slices
 * with yields between them, and opens only once it has caught up (what arrives meanwhile queues
 * behind). Nothing is dropped or reordered.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { SliceClock } from './checkpoint.js';

export class IntakeGate<T> {
  private held: T[] = [];
  private closed = false;
  /** a capture is running: nothing may reach the engine, not even what a hand-on still has to give */
  private hold = false;
  private forward: ((v: T) => void) | null = null;
  private resuming: Promise<void> | null = null;

  constructor(private readonly clock: SliceClock, private readonly sliceMs = 20) {}

  /** True from `pause()` until `resume()` has handed on everything held. */
  get paused(): boolean { return this.closed; }
  get heldCount(): number { return this.held.length; }

  /** The stage: passes values through while open, holds them while paused. */
  stage(): OperatorFunction<T, T> {
    return (source) => new Observable<T>((sub) => {
      this.forward = (v) => sub.next(v);
      const s = source.subscribe({
        next: (v) => { if (this.closed) this.held.push(v); else sub.next(v); },
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      });
      return () => { s.unsubscribe(); this.forward = null; };
    });
  }

  /** Holds what arrives, and stops a hand-on still running from the last resume (a new capture starts). */
  pause(): void { this.closed = true; this.hold = true; }

  /** Hands on what was held, in slices of about sliceMs, then opens; a pause meanwhile stops it where it is. */
  resume(): Promise<void> {
    this.hold = false;
    this.resuming ??= (async () => {
      let sliceStart = this.clock.now();
      let i = 0;
      for (; i < this.held.length; i++) {
        if (this.hold) break;
        this.forward?.(this.held[i]!);
        if ((i & 255) === 255 && this.clock.now() - sliceStart >= this.sliceMs) {
          await this.clock.yield();
          sliceStart = this.clock.now();
        }
      }
      this.held = i >= this.held.length ? [] : this.held.slice(i);
      if (!this.hold) this.closed = false;
    })().finally(() => { this.resuming = null; });
    return this.resuming;
  }
}
