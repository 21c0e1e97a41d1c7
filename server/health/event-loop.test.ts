import { describe, expect, it } from 'vitest';
import { setTimeout as wait } from 'node:timers/promises';
import { EventLoopDelayMonitor } from './event-loop.js';

const blockLoop = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* a stall */ } };

describe('EventLoopDelayMonitor', () => {
  it('reports a stall of the loop in the current window, and moves it to the last window when the window closes', async () => {
    let now = 0;
    const monitor = new EventLoopDelayMonitor(() => now, 60_000);
    try {
      await wait(50);
      blockLoop(150);
      await wait(30); // the monitor's own timer runs after the stall and records it
      const during = monitor.read();
      expect(during.last_window).toBeNull();
      expect(during.current.max_ms).toBeGreaterThanOrEqual(140);
      now = 60_000;
      const after = monitor.read();
      expect(after.last_window!.max_ms).toBeGreaterThanOrEqual(140);
      expect(after.last_window!.window_s).toBe(60);
      // the new window starts empty: the stall is not counted twice
      expect(after.current.max_ms).toBeLessThan(140);
    } finally {
      monitor.stop();
    }
  });
});
