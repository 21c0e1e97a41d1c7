/**
 * Live connection state, written by the socket module, read by the shell and the wall.
 * "Online" alone can lie (a half-open socket stays "connected" for a while): the server pings
 * every second, and a connection not heard from for STALE_MS is shown as lost at once.
 */
export const STALE_MS = 2000;

export interface CatchUp { at: number; count: number; since: number | null }

class Connection {
  status = $state<'offline' | 'connecting' | 'online'>('offline');
  catchingUp = $state(false);
  /** Date.now() of the last ping or push heard. */
  lastHeardAt = $state(0);
  /** When the connection was last seen lost (disconnect or silence); null while live. */
  lostAt = $state<number | null>(null);
  lastCatchUp = $state<CatchUp | null>(null);
  /** A clock ticking twice a second while connected, so staleness shows without any push. */
  now = $state(Date.now());

  private ticker: ReturnType<typeof setInterval> | null = null;

  /** Silent for longer than STALE_MS although the socket still says connected. */
  get stale(): boolean { return this.status === 'online' && this.now - this.lastHeardAt > STALE_MS; }
  get live(): boolean { return this.status === 'online' && !this.stale; }
  /** 'live' | 'lost' (socket down or silent) | 'catching-up' */
  get state(): 'live' | 'lost' | 'catching-up' { return this.catchingUp ? 'catching-up' : this.live ? 'live' : 'lost'; }

  heard() {
    this.lastHeardAt = Date.now();
    if (this.status === 'online' && this.lostAt !== null && !this.catchingUp) this.lostAt = null;
  }

  lost() { if (this.lostAt === null) this.lostAt = Date.now(); }

  startTicking() {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      this.now = Date.now();
      if (this.stale) this.lost();
    }, 250);
  }

  stopTicking() {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }
}
export const connection = new Connection();
