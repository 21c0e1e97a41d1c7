/**
 * Reading KPI series from GET /api/kpis into one shape for the board: bucket labels and,
 * per KPI (dotted path of a numeric field), one value per bucket. Tolerant of the two
 * natural layouts — a list of buckets with fields, or per-KPI lists of points — so the
 * board does not break when the server adds a KPI.
 */
export interface KpiTable { labels: string[]; series: Record<string, (number | null)[]>; totals?: Record<string, number | null> }

const TIME_KEYS = ['bucket', 't', 'start', 'ts', 'time', 'period', 'from', 'day'];
const VALUE_KEYS = ['value', 'v', 'y'];
const SKIP = new Set(['granularity', 'scope', 'from', 'to', 'bureau', 'window', 'officer']);

function timeOf(o: Record<string, unknown>): string | null {
  for (const k of TIME_KEYS) if (typeof o[k] === 'string' || typeof o[k] === 'number') return String(o[k]);
  return null;
}

function flatten(o: Record<string, unknown>, prefix: string, out: Record<string, number | null>) {
  for (const [k, v] of Object.entries(o)) {
    if (!prefix && (TIME_KEYS.includes(k) || SKIP.has(k))) continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v === null) out[key] = null;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
  }
}

const isBucketList = (x: unknown): x is Record<string, unknown>[] =>
  Array.isArray(x) && x.length > 0 && x.every((b) => b && typeof b === 'object' && !Array.isArray(b) && timeOf(b as Record<string, unknown>) !== null);

/**
 * Nested per-KPI arrays aligned with a `buckets` list, e.g. { overdue: { rate: [...] } };
 * breakdown maps (`by_*`) are left out: they are not KPIs of their own.
 */
function flattenAligned(o: Record<string, unknown>, len: number, prefix: string, out: Record<string, (number | null)[]>) {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('by_')) continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.length === len && v.every((x) => x === null || typeof x === 'number')) out[key] = v as (number | null)[];
    else if (v && typeof v === 'object' && !Array.isArray(v)) flattenAligned(v as Record<string, unknown>, len, key, out);
  }
}

export function normalizeKpis(resp: unknown): KpiTable {
  const r = (resp ?? {}) as Record<string, unknown>;
  if (Array.isArray(r.buckets) && r.buckets.every((b) => typeof b === 'string') && r.series && typeof r.series === 'object' && !Array.isArray(r.series)) {
    const labels = r.buckets as string[];
    const series: Record<string, (number | null)[]> = {};
    flattenAligned(r.series as Record<string, unknown>, labels.length, '', series);
    const totals: Record<string, number | null> = {};
    if (r.totals && typeof r.totals === 'object') {
      const flat: Record<string, number | null> = {};
      flatten(r.totals as Record<string, unknown>, '', flat);
      for (const [k, v] of Object.entries(flat)) if (!/(^|\.)by_/.test(k)) totals[k] = v;
    }
    return { labels, series, totals };
  }
  const candidates = [resp, r.series, r.buckets, r.points, r.data];
  const list = candidates.find(isBucketList);
  if (list) {
    const labels = list.map((b) => timeOf(b)!);
    const rows = list.map((b) => { const out: Record<string, number | null> = {}; flatten(b, '', out); return out; });
    const keys = [...new Set(rows.flatMap((x) => Object.keys(x)))];
    return { labels, series: Object.fromEntries(keys.map((k) => [k, rows.map((x) => x[k] ?? null)])) };
  }
  // Per-KPI layout: { series|kpis: { name: [{t, value}] | number[] } }
  const perKpi = [r.series, r.kpis, r].find((x) => x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).some(Array.isArray)) as Record<string, unknown> | undefined;
  if (!perKpi) return { labels: [], series: {} };
  const labelSet = new Set<string>();
  const points: Record<string, Map<string, number | null>> = {};
  for (const [name, arr] of Object.entries(perKpi)) {
    if (!Array.isArray(arr)) continue;
    const m = new Map<string, number | null>();
    arr.forEach((p, i) => {
      if (typeof p === 'number') { m.set(String(i), p); labelSet.add(String(i)); return; }
      if (!p || typeof p !== 'object') return;
      const t = timeOf(p as Record<string, unknown>) ?? String(i);
      labelSet.add(t);
      const vk = VALUE_KEYS.find((k) => typeof (p as Record<string, unknown>)[k] === 'number');
      if (vk) m.set(t, (p as Record<string, number>)[vk]!);
      else {
        const out: Record<string, number | null> = {};
        flatten(p as Record<string, unknown>, '', out);
        for (const [k, v] of Object.entries(out)) (points[`${name}.${k}`] ??= new Map()).set(t, v);
      }
    });
    if (m.size) points[name] = m;
  }
  const labels = [...labelSet].sort();
  return { labels, series: Object.fromEntries(Object.entries(points).map(([k, m]) => [k, labels.map((l) => m.get(l) ?? null)])) };
}

/** Rates and means average over the period; counts add up. */
export function isRateKey(key: string): boolean {
  return /rate|share|ratio|mean|median|avg|score|satisfaction|yoy|pct|percent|hours|minutes/i.test(key);
}

/** The period value of a KPI: the server's total when it gave one, else a sum or mean of the series. */
export function periodValue(table: KpiTable, key: string): number | null {
  if (table.totals && key in table.totals) return table.totals[key] ?? null;
  return summarize(key, table.series[key] ?? []);
}

export function summarize(key: string, values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number');
  if (!xs.length) return null;
  const sum = xs.reduce((a, b) => a + b, 0);
  return isRateKey(key) ? sum / xs.length : sum;
}

/** Relative change of cur against base; null when base is 0 or missing. */
export function change(cur: number | null, base: number | null): number | null {
  if (cur === null || base === null || base === 0) return null;
  return (cur - base) / Math.abs(base);
}

/** The previous period of the same length, and the same period a year earlier. */
export function comparisonRanges(from: Date, to: Date): { prev: [Date, Date]; yoy: [Date, Date] } {
  const len = to.getTime() - from.getTime();
  const lastYear = (d: Date) => { const x = new Date(d); x.setUTCFullYear(x.getUTCFullYear() - 1); return x; };
  return { prev: [new Date(from.getTime() - len), new Date(from)], yoy: [lastYear(from), lastYear(to)] };
}
