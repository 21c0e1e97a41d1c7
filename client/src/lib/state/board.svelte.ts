/**
 * The leader board's data for one scope and range: KPI totals and series (current, previous
 * period, a year earlier), the alert ranking and the heat map, all computed by the server
 * (GET /api/kpis, GET /api/alerts/stats). `refresh()` reloads in place (live updates keep the
 * figures on screen until the new ones arrive); a newer load supersedes an older one.
 */
import { request, type AlertStatsResponse, type KpiResponse, type KpiResult } from '../api';
import { comparisonRanges, type Granularity } from '../board';

export interface BoardQuery { from: Date; to: Date; g: Granularity; bureau: string | null }

export class BoardData {
  cur = $state.raw<KpiResponse | null>(null);
  /** The previous period and a year earlier (the `compare` of the same answer). */
  prev = $state.raw<KpiResult | null>(null);
  yoy = $state.raw<KpiResult | null>(null);
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
      this.asOf = null;
    }
    this.loading = true;
    const ranges = comparisonRanges(q.from, q.to);
    const interval = ([f, t]: [Date, Date]) => `${f.toISOString()}/${t.toISOString()}`;
    // One request for the three periods: the server reads each rollup once for all of them.
    const kpis = () => request('GET /api/kpis', { query: {
      from: q.from.toISOString(), to: q.to.toISOString(), granularity: q.g, bureau: q.bureau ?? undefined, compare: `${interval(ranges.prev)},${interval(ranges.yoy)}`,
    } });
    const stats = (group: string, subtotals?: '1') => request('GET /api/alerts/stats', { query: { from: q.from.toISOString(), to: q.to.toISOString(), group, subtotals, bureau: q.bureau ?? undefined } });
    try {
      // The heat map's query also answers its row totals (the server's subtotals by the first
      // group: one scan of the cube instead of two); for the city those are the ranking too.
      const [cur, heat, officers] = await Promise.all([
        kpis(),
        stats(q.bureau ? 'section,category' : 'bureau,category', '1'), q.bureau ? stats('officer') : Promise.resolve(null),
      ]);
      if (seq !== this.seq) return;
      const heatTotals: AlertStatsResponse = { ...heat, group: heat.group.slice(0, 1), rows: heat.subtotals ?? [] };
      const [prev, yoy] = cur.compare ?? [];
      if (!prev || !yoy) throw new Error('GET /api/kpis: the compared periods are missing');
      this.cur = cur; this.prev = prev; this.yoy = yoy; this.heat = heat; this.heatTotals = heatTotals; this.ranking = officers ?? heatTotals;
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
