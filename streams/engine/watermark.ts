/**
 * The event-time watermark of indicators.md: never moves back; each arrival moves it to at least
 * newest ts − L; after idleMs without arrivals it moves with the clock:
 * W = min(clock − L, newest − L + (clock − lastArrival)). W passes t when W > t.
 */
export interface WatermarkState { w: number | null; newest: number | null; lastArrival: number | null }

export class Watermark {
  w = -Infinity;
  newest = -Infinity;
  lastArrival = -Infinity;

  constructor(readonly latenessMs: number, readonly idleMs: number) {}

  /** an event with this ts arrived at clock `now`; returns whether it was late (ts < W on arrival) */
  arrive(ts: number, now: number): boolean {
    const late = ts < this.w;
    if (ts > this.newest) this.newest = ts;
    this.lastArrival = now;
    const c = this.newest - this.latenessMs;
    if (c > this.w) this.w = c;
    return late;
  }

  /** the clock moved; returns true when W advanced */
  tick(now: number): boolean {
    if (this.lastArrival === -Infinity) return false;
    const idle = now - this.lastArrival;
    if (idle < this.idleMs) return false;
    const c = Math.min(now - this.latenessMs, this.newest - this.latenessMs + idle);
    if (c > this.w) { this.w = c; return true; }
    return false;
  }

  passes(t: number): boolean { return this.w > t; }

  toJSON(): WatermarkState {
    const n = (x: number) => (Number.isFinite(x) ? x : null);
    return { w: n(this.w), newest: n(this.newest), lastArrival: n(this.lastArrival) };
  }

  load(s: WatermarkState): void {
    this.w = s.w ?? -Infinity;
    this.newest = s.newest ?? -Infinity;
    this.lastArrival = s.lastArrival ?? -Infinity;
  }
}
