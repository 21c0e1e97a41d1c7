import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginGuard } from './login-guard.js';

const cfg = { accountMaxFailures: 3, addressMaxFailures: 10, windowSeconds: 900, lockoutSeconds: 60, lockoutMaxSeconds: 3600 };

describe('login guard', () => {
  beforeEach(() => { vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 9) }); });
  afterEach(() => { vi.useRealTimers(); });

  it('locks an account out after its failures, longer each time, and lets it in once the lockout ends', async () => {
    const g = new LoginGuard(cfg);
    expect(await g.failed('ana', '10.0.0.1')).toBeNull();
    expect(await g.failed('ana', '10.0.0.2')).toBeNull();
    expect(await g.locked('ana', '10.0.0.3')).toBeNull(); // positive control: not locked before the limit
    expect(await g.failed('ana', '10.0.0.3')).toEqual({ by: 'account', seconds: 60, lockoutsToday: 1 });
    expect(await g.locked('ana', '10.0.0.9')).toEqual({ by: 'account', retryAfterSeconds: 60 });
    expect(await g.locked('bob', '10.0.0.9')).toBeNull(); // another account is not affected

    await vi.advanceTimersByTimeAsync(61_000);
    expect(await g.locked('ana', '10.0.0.9')).toBeNull();
    for (let i = 0; i < 2; i++) await g.failed('ana', '10.0.0.9');
    expect(await g.failed('ana', '10.0.0.9')).toEqual({ by: 'account', seconds: 120, lockoutsToday: 2 });
    await vi.advanceTimersByTimeAsync(61_000);
    expect((await g.locked('ana', '10.0.0.9'))?.retryAfterSeconds).toBe(59);
  });

  it('locks an address out that tries many accounts', async () => {
    const g = new LoginGuard(cfg);
    for (let i = 0; i < 9; i++) expect(await g.failed(`user${i}`, '10.9.9.9')).toBeNull();
    expect(await g.failed('user9', '10.9.9.9')).toEqual({ by: 'address', seconds: 60, lockoutsToday: 1 });
    expect(await g.locked('someone', '10.9.9.9')).toMatchObject({ by: 'address' });
    expect(await g.locked('someone', '10.9.9.8')).toBeNull();
  });

  it('a success clears the account failures but not the address failures', async () => {
    const g = new LoginGuard(cfg);
    await g.failed('ana', '10.0.0.1');
    await g.failed('ana', '10.0.0.1');
    await g.succeeded('ana');
    expect(await g.failed('ana', '10.0.0.1')).toBeNull();
    expect(await g.failed('ana', '10.0.0.1')).toBeNull();
    expect(await g.failed('ana', '10.0.0.1')).toMatchObject({ by: 'account' });
  });
});
