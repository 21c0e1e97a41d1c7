/**
 * The leader board's data for one scope and range: KPI totals and series (current, previous
 * period, a year earlier), the alert ranking and the heat map, all computed by the server
 * (GET /api/kpis, GET /api/alerts/stats). `refresh()` reloads in place (live updates keep the
 * figures on screen until the new ones arrive); a newer load supersedes an older one.
 */
import { request, type AlertStatsResponse, type KpiResponse } from '../api';
import { comparisonRanges, type Granularity } from '../board';

export interface BoardQuery { from: Date; to: Date; g: Granularity; bureau: string | null }

export class BoardData {
  cur = $state.raw<KpiResponse | null>(null);
  prev = $state.raw<KpiResponse | null>(null);
  yoy = $state.raw<KpiResponse | null>(null);
  /** City: alerts by bureau; a bureau: alerts by officer. */
  ranking = $state.raw<AlertStatsResponse | null>(null);
  /** City: bureau × category; a bureau: section × category. */
  heat = $state.raw<AlertStatsResponse | null>(null);
  /** Row totals of the heat map (a bureau: by section; the city: the ranking). */
  heatTotals = $state.raw<AlertStatsResponse | null>(null);
  loading = $state(false);
  error = $state('');
  asOf = $state<string | null>(null);
  private seq = 0;
  private key = '';

  /** Loads a query; the same query again is a refresh (figures stay on screen meanwhile). */
  async load(q: BoardQuery): Promise<void> {
    const key = `${q.from.toISOString()}|${q.to.toISOString()}|${q.g}|${q.bureau ?? ''}`;
    const seq = ++this.seq;
    if (key !== this.key) {
      this.key = key;
      this.cur = this.prev = this.yoy = this.ranking = this.heat = this.heatTotals = null;
    }
    this.loading = true;
    const ranges = comparisonRanges(q.from, q.to);
    const kpis = (f: Date, t: Date) => request('GET /api/kpis', { query: { from: f.toISOString(), to: t.toISOString(), granularity: q.g, bureau: q.bureau ?? undefined } });
    const stats = (group: string) => request('GET /api/alerts/stats', { query: { from: q.from.toISOString(), to: q.to.toISOString(), group, bureau: q.bureau ?? undefined } });
    try {
      const [cur, prev, yoy, ranking, heat, heatTotals] = await Promise.all([
        kpis(q.from, q.to), kpis(...ranges.prev), kpis(...ranges.yoy),
        stats(q.bureau ? 'officer' : 'bureau'), stats(q.bureau ? 'section,category' : 'bureau,category'), q.bureau ? stats('section') : Promise.resolve(null),
      ]);
      if (seq !== this.seq) return;
      this.cur = cur; this.prev = prev; this.yoy = yoy; this.ranking = ranking; this.heat = heat; this.heatTotals = heatTotals ?? ranking;
      this.asOf = cur.as_of;
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Whether every figure of the board is on screen (the browser tests and the benchmark wait on this). */
  get ready(): boolean { return !!(this.cur && this.prev && this.yoy && this.ranking && this.heat && this.heatTotals) && !this.loading; }
}
