/**
 * Wall time spent in each step of an import (read, parse, validate, dedupe, insert, progress, the
 * replay's page reads and worker hand-off…), logged at debug level at the end of each phase: where
 * an import's time goes (docs/imports.md, "Measured").
 */
export class StepTimes {
  private readonly ms = new Map<string, number>();
  private readonly t0 = performance.now();

  add(step: string, ms: number): void { this.ms.set(step, (this.ms.get(step) ?? 0) + ms); }

  /** Runs `fn`, adding its wall time to `step`. */
  sync<T>(step: string, fn: () => T): T {
    const t = performance.now();
    try { return fn(); } finally { this.add(step, performance.now() - t); }
  }

  async async<T>(step: string, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try { return await fn(); } finally { this.add(step, performance.now() - t); }
  }

  /** `step ms (share of the wall time since this was made)`, largest first. */
  summary(): string {
    const wall = performance.now() - this.t0;
    const parts = [...this.ms].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v)} ms (${((100 * v) / Math.max(1, wall)).toFixed(0)} %)`);
    return `${Math.round(wall)} ms: ${parts.join(', ')}`;
  }
}
