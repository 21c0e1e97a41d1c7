/**
 * The store's reachability as GET /api/health reports it, without making health wait behind the
 * store's work. The embedded engine runs one statement at a time: a ping queued behind the insert
 * of 50,000 dead letters answered after 300–600 ms, and health with it (issue 9: health answers
 * within 200 ms while a million-line body is read). So one ping is in flight at a time; a health
 * request waits for it at most `waitMs`, and otherwise answers with the last completed ping. A
 * store that refuses answers at once (connection refused, outage): that answer is never stale.
 * A ping that has not answered for `stuckMs` is itself a reason for `degraded`.
 */
export interface StoreReachability {
  up: boolean;
  /** Set when the answer is the previous ping's because the current one is still waiting. */
  waitingMs?: number;
}

export interface StoreProbeOptions {
  ping: () => Promise<boolean>;
  clock: () => number;
  /** How long a health request waits for a ping before it answers with the last one. */
  waitMs?: number;
  /** A ping waiting this long makes the store count as not answering. */
  stuckMs?: number;
}

export class StoreProbe {
  private inFlight: Promise<boolean> | null = null;
  private inFlightSince = 0;
  /** The last completed ping; a store is presumed up until a ping says otherwise. */
  private lastUp = true;
  private readonly waitMs: number;
  private readonly stuckMs: number;

  constructor(private readonly opts: StoreProbeOptions) {
    this.waitMs = opts.waitMs ?? 25;
    this.stuckMs = opts.stuckMs ?? 10_000;
  }

  async check(): Promise<StoreReachability> {
    const ping = this.inFlight ?? this.start();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<null>((ok) => { timer = setTimeout(() => ok(null), this.waitMs); });
    const answer = await Promise.race([ping, waited]);
    clearTimeout(timer);
    if (answer !== null) return { up: answer };
    const waitingMs = this.opts.clock() - this.inFlightSince;
    return { up: this.lastUp && waitingMs < this.stuckMs, waitingMs };
  }

  private start(): Promise<boolean> {
    this.inFlightSince = this.opts.clock();
    const p = this.opts.ping().catch(() => false).then((up) => {
      this.lastUp = up;
      this.inFlight = null;
      return up;
    });
    this.inFlight = p;
    return p;
  }
}
