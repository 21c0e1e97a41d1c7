/** socket.io, KPI area: a `kpi` snapshot every KPI_PUSH_MS to connected users (leaders: their bureau), and `kpi:snapshot` on demand. */
import type { TypedServer } from './index.js';
import type { KpiSnapshot } from './events.js';
import type { Store } from '../../sql/store.js';
import type { TaskService } from '../workflow/tasks.js';
import { computeKpis } from '../workflow/kpis.js';
import { countOpenReviews } from '../../sql/queries/reviews.js';
import { isOverdue, type TaskState } from '../../streams/workflow/tasks.js';
import { shanghaiDayStart } from '../workflow/reviews.js';

type U = { role: string; bureau: string };
const scopeOf = (u: U): string | null => (u.role === 'leader' && u.bureau && u.bureau !== 'HQ' ? u.bureau : null);

export async function kpiSnapshot(store: Store, tasks: TaskService, bureau: string | null, now: number): Promise<KpiSnapshot> {
  const day = shanghaiDayStart(now);
  const k = await computeKpis(store, day, now + 1, 'day', bureau ? { dim: 'bureau', key: bureau } : { dim: 'all', key: '' });
  const unfinished = tasks.unfinished().filter((t) => !bureau || t.bureau === bureau);
  return {
    at: new Date(now).toISOString(), day: new Date(day).toISOString(), scope: { bureau },
    events: k.totals.events, alerts: k.totals.alerts?.total ?? 0, alerts_per_1000_events: k.totals.alerts?.per_1000_events ?? null,
    overdue_rate: k.totals.overdue.rate, satisfaction_mean: k.totals.satisfaction.mean, petitions: k.totals.petitions.count,
    tasks_unfinished: unfinished.length, tasks_overdue: unfinished.filter((t) => isOverdue({ state: t.state as TaskState, deadline: t.deadline }, now)).length,
    reviews_pending: await countOpenReviews(store, bureau),
  };
}

/**
 * The live strip's snapshots, one per scope, shared: a snapshot asked for on demand (every board
 * or wall that opens asks) is the scope's last one while it is younger than the push interval,
 * the same figure the next push would have replaced; it carries its `at`. Without this, each
 * page opened ran the six KPI queries again ahead of its own (≈ 60 ms on the embedded engine,
 * which runs one statement at a time). The push itself always computes anew.
 */
export class RecentSnapshots {
  private readonly recent = new Map<string, { at: number; snapshot: Promise<KpiSnapshot> }>();

  constructor(private readonly compute: (bureau: string | null, now: number) => Promise<KpiSnapshot>, private readonly clock: () => number, private readonly maxAgeMs: number) {}

  /** A fresh snapshot (the push), kept for the on-demand requests that follow. */
  fresh(bureau: string | null): Promise<KpiSnapshot> {
    const now = this.clock();
    const key = bureau ?? '*';
    const snapshot = this.compute(bureau, now);
    this.recent.set(key, { at: now, snapshot });
    snapshot.catch(() => { if (this.recent.get(key)?.snapshot === snapshot) this.recent.delete(key); });
    return snapshot;
  }

  /** The scope's last snapshot if younger than the push interval, else a fresh one. */
  get(bureau: string | null): Promise<KpiSnapshot> {
    const r = this.recent.get(bureau ?? '*');
    return r && this.clock() - r.at < this.maxAgeMs ? r.snapshot : this.fresh(bureau);
  }
}

export function registerKpiHandlers(io: TypedServer, store: Store, tasks: TaskService, clock: () => number, everyMs: number, onError: (e: unknown) => void): () => void {
  const snapshots = new RecentSnapshots((b, now) => kpiSnapshot(store, tasks, b, now), clock, everyMs);
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const sockets = [...io.sockets.sockets.values()].filter((s) => s.data.user && s.data.user.role !== 'tax');
      if (!sockets.length) return;
      const cache = new Map<string, Promise<KpiSnapshot>>();
      for (const s of sockets) {
        const b = scopeOf(s.data.user);
        const key = b ?? '*';
        if (!cache.has(key)) cache.set(key, snapshots.fresh(b));
        s.emit('kpi', await cache.get(key)!);
      }
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref?.();

  io.on('connection', (socket) => {
    socket.on('kpi:snapshot', async (q, ack) => {
      if (typeof ack !== 'function') return;
      try {
        if (socket.data.user.role === 'tax') return ack({ ok: false, error: 'forbidden: no KPIs for tax officers' });
        const own = scopeOf(socket.data.user);
        const asked = q && typeof q === 'object' && typeof q.bureau === 'string' && q.bureau ? q.bureau : null;
        if (own && asked && asked !== own) return ack({ ok: false, error: `bureau: outside your scope (${own})` });
        ack({ ok: true, data: await snapshots.get(own ?? asked) });
      } catch (err) {
        ack({ ok: false, error: err instanceof Error ? err.message : 'failed' });
      }
    });
  });
  return () => clearInterval(timer);
}
