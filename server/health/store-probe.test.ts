import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreProbe } from './store-probe.js';

/** A ping whose answer the test gives, counting how many were sent. */
function controllablePing() {
  const pending: ((up: boolean) => void)[] = [];
  let sent = 0;
  return {
    sent: () => sent,
    answer: (up: boolean) => pending.shift()!(up),
    ping: () => new Promise<boolean>((ok) => { sent++; pending.push(ok); }),
  };
}

describe('StoreProbe', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('answers with the ping when the store answers within the wait', async () => {
    const p = controllablePing();
    const probe = new StoreProbe({ ping: p.ping, clock: Date.now, waitMs: 100 });
    const check = probe.check();
    p.answer(false);
    expect(await check).toEqual({ up: false });
  });

  it('answers with the last completed ping after the wait when the store is busy, and sends one ping at a time', async () => {
    const p = controllablePing();
    const probe = new StoreProbe({ ping: p.ping, clock: Date.now, waitMs: 100, stuckMs: 10_000 });
    const first = probe.check();
    p.answer(true);
    expect(await first).toEqual({ up: true });
    const busy = probe.check();
    const alsoBusy = probe.check();
    expect(p.sent()).toBe(2); // the second check waits on the same ping
    await vi.advanceTimersByTimeAsync(100);
    expect(await busy).toEqual({ up: true, waitingMs: 100 });
    expect(await alsoBusy).toEqual({ up: true, waitingMs: 100 });
    // positive control: once the ping answers "down", that is what health hears
    p.answer(false);
    await vi.advanceTimersByTimeAsync(0);
    const next = probe.check();
    p.answer(false);
    expect(await next).toEqual({ up: false });
    expect(p.sent()).toBe(3);
  });

  it('counts a store that has not answered a ping for stuckMs as not up', async () => {
    const p = controllablePing();
    const probe = new StoreProbe({ ping: p.ping, clock: Date.now, waitMs: 100, stuckMs: 5_000 });
    const early = probe.check();
    await vi.advanceTimersByTimeAsync(100);
    expect(await early).toEqual({ up: true, waitingMs: 100 });
    await vi.advanceTimersByTimeAsync(5_000);
    const late = probe.check();
    await vi.advanceTimersByTimeAsync(100);
    expect(await late).toEqual({ up: false, waitingMs: 5_200 });
    expect(p.sent()).toBe(1);
  });
});
