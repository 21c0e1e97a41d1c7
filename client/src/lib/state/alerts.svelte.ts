/**
 * The live alert wall's state. The list is what the server answers for the filters
 * (GET /api/alerts, cursor paging as the user scrolls) with the live tail merged in; the
 * counters are the server's (GET /api/alerts/counts over a stated window). Socket pushes land
 * in a plain buffer merged once per animation frame, so a burst costs one render per frame.
 * While the user points at, focuses or scrolls the list it is paused: arrivals wait in
 * `pending` and rows never move under a click.
 */
import { request, type AlertCountsResponse } from '../api';
import { onAlert, type AlertDTO } from '../socket';

const LIVE_TAIL = 500;
import { COUNT_WINDOWS, matchesFilter, mergeNewestFirst, sameFilter, type AlertFilter, type CountWindow } from '../alert-feed';

export const WALL_CAP = 5000;
export const PAGE_SIZE = 200;
/** How long a live arrival stays highlighted. */
export const FRESH_MS = 6000;
/** The counters are re-read at most this often while alerts arrive (and at least every minute). */
const COUNTS_EVERY_MS = 3000;

export type AlertCounts = AlertCountsResponse;

/** Where the next page starts: the server's cursor, or (after the cap dropped the tail) below a time. */
type NextPage = { cursor: string } | { to: string } | null;

class AlertWall {
  rows = $state.raw<AlertDTO[]>([]);
  pending = $state.raw<AlertDTO[]>([]);
  /** Arrivals while paused, all of them (pending keeps at most WALL_CAP). */
  pendingCount = $state(0);
  paused = $state(false);
  filter = $state.raw<AlertFilter>({});
  window = $state<CountWindow>('24h');
  counts = $state.raw<AlertCounts | null>(null);
  countsAt = $state(0);
  loading = $state(false);
  loadingMore = $state(false);
  error = $state('');
  hasMore = $state(false);
  /** Live pushes received in this session (for tests and the "new" highlight; not a figure shown). */
  received = $state(0);
  /** Ticks while alerts are highlighted, so the highlight fades without a push. */
  now = $state(Date.now());

  private next: NextPage = null;
  private seen = new Set<string>();
  private arrivedAt = new Map<string, number>();
  private buffer: AlertDTO[] = [];
  // The recent live arrivals under any filter: a re-query after a filter change merges those that
  // match, since an alert shown live may not be stored yet (alerts are stored in batches).
  private liveTail: AlertDTO[] = [];
  private frame = 0;
  private generation = 0;
  private unsubscribe: (() => void) | null = null;
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  private countsDirty = false;
  private countsGeneration = 0;
  private ticker: ReturnType<typeof setInterval> | null = null;

  start() {
    if (this.unsubscribe) return;
    this.unsubscribe = onAlert((a) => this.push(a));
    this.ticker = setInterval(() => {
      this.now = Date.now();
      if (this.countsDirty || this.now - this.countsAt > 60_000) void this.refreshCounts();
    }, 1000);
  }

  stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.buffer = [];
  }

  /** New filters or window (from the URL): reload the list and the counters from the server. */
  configure(filter: AlertFilter, window: CountWindow) {
    const filterChanged = !sameFilter(filter, this.filter) || !this.countsAt;
    const windowChanged = window !== this.window;
    this.filter = filter;
    this.window = window;
    if (filterChanged) void this.reload();
    if (filterChanged || windowChanged) {
      this.resetCountsThrottle();
      void this.refreshCounts();
    }
  }

  private query() {
    const f = this.filter;
    return { category: f.category, severity: f.severity, bureau: f.bureau, indicator: f.indicator, q: f.q?.trim() || undefined };
  }

  async reload() {
    const gen = ++this.generation;
    this.loading = true;
    try {
      const r = await request('GET /api/alerts', { query: { ...this.query(), limit: PAGE_SIZE } });
      if (gen !== this.generation) return;
      this.seen = new Set();
      this.pending = [];
      this.pendingCount = 0;
      this.next = r.next ? { cursor: r.next } : null;
      this.hasMore = !!r.next;
      // Live arrivals buffered while the page was loading are merged in now.
      const arrived = this.buffer;
      this.buffer = [];
      this.received += arrived.length;
      if (arrived.length) this.countsDirty = true;
      const arrivedIds = new Set(arrived.map((a) => a.id));
      const early = [...this.liveTail.filter((a) => !arrivedIds.has(a.id)), ...arrived].filter((a) => matchesFilter(a, this.filter));
      const now = Date.now();
      for (const a of early) if (arrivedIds.has(a.id)) this.arrivedAt.set(a.id, now);
      this.rows = mergeNewestFirst(mergeNewestFirst([], r.alerts, WALL_CAP, this.seen), early, WALL_CAP, this.seen, !this.hasMore);
      this.error = '';
    } catch (e) {
      if (gen === this.generation) this.error = (e as Error).message;
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  /** The next server page, appended below (scrolling towards the end). */
  async loadMore() {
    if (!this.next || this.loadingMore || this.loading) return;
    const gen = this.generation;
    const from = this.next;
    this.loadingMore = true;
    try {
      const r = await request('GET /api/alerts', {
        query: { ...this.query(), limit: PAGE_SIZE, ...('cursor' in from ? { cursor: from.cursor } : { to: from.to }) },
      });
      if (gen !== this.generation) return;
      const add = r.alerts.filter((a) => !this.seen.has(a.id));
      for (const a of add) this.seen.add(a.id);
      this.rows = this.rows.concat(add);
      this.next = r.next ? { cursor: r.next } : null;
      this.hasMore = !!r.next;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loadingMore = false;
    }
  }

  async refreshCounts() {
    if (this.countsTimer) return;
    const wait = Math.max(0, this.countsAt + COUNTS_EVERY_MS - Date.now());
    this.countsTimer = setTimeout(async () => {
      this.countsTimer = null;
      this.countsDirty = false;
      const gen = ++this.countsGeneration;
      const asked = Date.now();
      try {
        // The window is stated exactly: [now − window, now), both ends sent.
        const now = Date.now();
        const r = await request('GET /api/alerts/counts', { query: { ...this.query(), from: new Date(now - COUNT_WINDOWS[this.window]).toISOString(), to: new Date(now).toISOString() } });
        if (gen !== this.countsGeneration) return;
        this.counts = r;
        this.countsAt = asked;
      } catch { /* the previous counters stay, with their time */ }
    }, wait);
  }

  /** Filter or window changed: the next counters must not wait for the throttle. */
  private resetCountsThrottle() {
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.countsTimer = null;
    this.countsAt = 0;
    this.countsGeneration++;
  }

  setPaused(p: boolean) {
    if (p === this.paused) return;
    this.paused = p;
    if (!p) this.resume();
  }

  /** Lets the waiting arrivals in (pointer left the list, or the "N new" button). */
  resume() {
    this.paused = false;
    if (this.pendingCount > this.pending.length) { void this.reload(); return; }
    if (this.pending.length) this.rows = mergeNewestFirst(this.rows, this.pending, WALL_CAP, this.seen, !this.hasMore);
    this.afterMerge();
    this.pending = [];
    this.pendingCount = 0;
  }

  isFresh(id: string): boolean {
    const t = this.arrivedAt.get(id);
    return t !== undefined && this.now - t < FRESH_MS;
  }

  push(a: AlertDTO) {
    this.buffer.push(a);
    this.liveTail.push(a);
    if (this.liveTail.length > 2 * LIVE_TAIL) this.liveTail = this.liveTail.slice(-LIVE_TAIL);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush() {
    this.frame = 0;
    if (this.loading) return; // merged when the page arrives
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return;
    this.received += batch.length;
    this.countsDirty = true;
    const now = Date.now();
    const matching = batch.filter((a) => matchesFilter(a, this.filter) && !this.seen.has(a.id));
    for (const a of matching) this.arrivedAt.set(a.id, now);
    if (!matching.length) return;
    if (this.paused) {
      const ids = new Set(this.pending.map((a) => a.id));
      const add = matching.filter((a) => !ids.has(a.id));
      this.pendingCount += add.length;
      this.pending = this.pending.concat(add).slice(-WALL_CAP);
      return;
    }
    this.rows = mergeNewestFirst(this.rows, matching, WALL_CAP, this.seen, !this.hasMore);
    this.afterMerge();
  }

  /** After the cap dropped rows from the end, the next page starts below the last row kept. */
  private afterMerge() {
    if (this.rows.length >= WALL_CAP) {
      const last = this.rows[this.rows.length - 1]!;
      // `to` is exclusive: one millisecond past the last row, rows already shown are skipped by id.
      this.next = { to: new Date(Date.parse(last.ts) + 1).toISOString() };
      this.hasMore = true;
    }
    if (this.arrivedAt.size > 4 * WALL_CAP) {
      const cut = Date.now() - FRESH_MS;
      for (const [id, t] of this.arrivedAt) if (t < cut) this.arrivedAt.delete(id);
    }
  }
}

export const alertWall = new AlertWall();
