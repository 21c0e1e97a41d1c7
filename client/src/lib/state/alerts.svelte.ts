/**
 * The live alert wall's state. Socket pushes land in a plain buffer; once per animation
 * frame the buffer is merged into the (capped) list, so a burst of thousands of alerts a
 * second costs one re-render per frame, not one per alert.
 */
import { api } from '../api';
import { onAlert, type AlertDTO } from '../socket';
import { countInto, matchesFilter, mergeNewestFirst, type AlertFilter } from '../alert-feed';

export const WALL_CAP = 5000;

class AlertWall {
  list = $state.raw<AlertDTO[]>([]);
  filter = $state<AlertFilter>({});
  byCategory = $state.raw<Record<string, number>>({});
  byBureau = $state.raw<Record<string, number>>({});
  received = $state(0);
  /** ids that arrived live in this session, for the "new" flash */
  lastBatchAt = $state(0);

  visible = $derived.by(() => {
    const f = this.filter;
    const hasFilter = !!(f.category || f.severity || f.bureau || f.indicator || f.text);
    return hasFilter ? this.list.filter((a) => matchesFilter(a, f)) : this.list;
  });

  private seen = new Set<string>();
  private buffer: AlertDTO[] = [];
  private frame = 0;
  private unsubscribe: (() => void) | null = null;

  async start() {
    if (this.unsubscribe) return;
    this.unsubscribe = onAlert((a) => this.push(a));
    try {
      const r = await api<{ alerts: AlertDTO[] }>('/api/alerts', { query: { limit: 500 } });
      this.pushMany(r.alerts);
    } catch { /* the live stream still fills the wall */ }
  }

  stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.buffer = [];
    this.list = [];
    this.seen.clear();
    this.byCategory = {};
    this.byBureau = {};
    this.received = 0;
  }

  push(a: AlertDTO) {
    this.buffer.push(a);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  pushMany(as: AlertDTO[]) { for (const a of as) this.push(a); }

  private flush() {
    this.frame = 0;
    const batch = this.buffer;
    this.buffer = [];
    // Count only alerts not seen before (catch-up after a reconnect may replay some).
    const ids = new Set<string>();
    const fresh = batch.filter((a) => !this.seen.has(a.id) && !ids.has(a.id) && ids.add(a.id));
    const next = mergeNewestFirst(this.list, batch, WALL_CAP, this.seen);
    if (!fresh.length) return;
    this.list = next;
    this.byCategory = countInto(this.byCategory, fresh, (a) => a.category);
    this.byBureau = countInto(this.byBureau, fresh, (a) => a.bureau);
    this.received += fresh.length;
    this.lastBatchAt = performance.now();
  }
}

export const alertWall = new AlertWall();
