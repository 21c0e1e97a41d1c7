/**
 * Login defence with rate-limiter-flexible (memory store): failed logins are counted per account
 * and per address; reaching the limit locks that account or address out, each lockout within a
 * day twice as long as the one before (up to a maximum). A locked login is refused before its
 * password is checked, so the right password does not get through a lockout either.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginGuardConfig {
  accountMaxFailures: number;
  addressMaxFailures: number;
  /** Failures are counted over this window. */
  windowSeconds: number;
  lockoutSeconds: number;
  lockoutMaxSeconds: number;
}

export type LockScope = 'account' | 'address';
export interface Lockout { by: LockScope; retryAfterSeconds: number }
export interface NewLockout { by: LockScope; seconds: number; lockoutsToday: number }

const DAY = 24 * 3600;

export class LoginGuard {
  private readonly failures: Record<LockScope, RateLimiterMemory>;
  private readonly lockouts = new RateLimiterMemory({ keyPrefix: 'login-lockouts', points: Number.MAX_SAFE_INTEGER, duration: DAY });

  constructor(private readonly cfg: LoginGuardConfig) {
    this.failures = {
      account: new RateLimiterMemory({ keyPrefix: 'login-account', points: cfg.accountMaxFailures, duration: cfg.windowSeconds }),
      address: new RateLimiterMemory({ keyPrefix: 'login-address', points: cfg.addressMaxFailures, duration: cfg.windowSeconds }),
    };
  }

  private keys(username: string, address: string): Record<LockScope, string> {
    return { account: username.trim().toLowerCase(), address };
  }

  /** The lockout in force for this login attempt, if any. */
  async locked(username: string, address: string): Promise<Lockout | null> {
    const keys = this.keys(username, address);
    for (const by of ['account', 'address'] as const) {
      const limiter = this.failures[by];
      const r = await limiter.get(keys[by]);
      if (r && r.consumedPoints > limiter.points) return { by, retryAfterSeconds: Math.max(1, Math.ceil(r.msBeforeNext / 1000)) };
    }
    return null;
  }

  /** Counts a failed login; returns the lockout it started, if it reached a limit. */
  async failed(username: string, address: string): Promise<NewLockout | null> {
    const keys = this.keys(username, address);
    let started: NewLockout | null = null;
    for (const by of ['account', 'address'] as const) {
      const limiter = this.failures[by];
      const r = await limiter.consume(keys[by]).catch((e: unknown) => {
        if (e instanceof RateLimiterRes) return e;
        throw e;
      });
      if (r.remainingPoints > 0) continue;
      const n = (await this.lockouts.penalty(`${by}:${keys[by]}`, 1)).consumedPoints;
      const seconds = Math.min(this.cfg.lockoutMaxSeconds, this.cfg.lockoutSeconds * 2 ** Math.min(n - 1, 30));
      await limiter.block(keys[by], seconds);
      started ??= { by, seconds, lockoutsToday: n };
    }
    return started;
  }

  /** A successful login clears the account's failures (not the address's: one known account must not reset it). */
  async succeeded(username: string): Promise<void> {
    await this.failures.account.delete(this.keys(username, '').account);
  }
}
