/**
 * The analyst's drill path: city → bureau → section (business line of the matter) → officer
 * → indicator → alerts → evidence. Pure: state comes from the URL, rows from the alerts.
 */
import type { AlertDTO } from '../../../server/socket/events';

export const DRILL_KEYS = ['b', 's', 'o', 'i', 'a'] as const;
export type DrillKey = (typeof DRILL_KEYS)[number];
export type DrillState = Partial<Record<DrillKey, string>>;
export type DrillLevel = 'city' | 'bureau' | 'section' | 'officer' | 'indicator' | 'alert';

/** The level shown for a state: the first key not yet chosen decides what the rows group by. */
export function drillLevel(s: DrillState): DrillLevel {
  if (s.a) return 'alert';
  if (s.i) return 'indicator';
  if (s.o) return 'officer';
  if (s.s) return 'section';
  if (s.b) return 'bureau';
  return 'city';
}

/** The key a click on a row sets at each level. */
export const NEXT_KEY: Record<Exclude<DrillLevel, 'alert'>, DrillKey> = { city: 'b', bureau: 's', section: 'o', officer: 'i', indicator: 'a' };

export type SectionOf = (matter: string | null) => string;

export function inDrill(a: AlertDTO, s: DrillState, sectionOf: SectionOf): boolean {
  if (s.b && a.bureau !== s.b) return false;
  if (s.s && sectionOf(a.matter) !== s.s) return false;
  if (s.o && a.officer !== s.o) return false;
  if (s.i && a.indicator !== s.i) return false;
  return true;
}

export interface DrillRow { key: string; count: number; high: number }

/** Rows for the current level: alert counts per child, most first. */
export function drillRows(alerts: readonly AlertDTO[], s: DrillState, sectionOf: SectionOf): DrillRow[] {
  const level = drillLevel(s);
  const key = (a: AlertDTO): string => {
    switch (level) {
      case 'city': return a.bureau ?? '—';
      case 'bureau': return sectionOf(a.matter);
      case 'section': return a.officer ?? '—';
      default: return a.indicator;
    }
  };
  const rows = new Map<string, DrillRow>();
  for (const a of alerts) {
    if (!inDrill(a, s, sectionOf)) continue;
    const k = key(a);
    const r = rows.get(k) ?? { key: k, count: 0, high: 0 };
    r.count++;
    if (a.severity === 'high' || a.severity === 'critical') r.high++;
    rows.set(k, r);
  }
  return [...rows.values()].sort((x, y) => y.count - x.count || x.key.localeCompare(y.key));
}

/** Breadcrumb: each step's state is the prefix of the path up to it. */
export function breadcrumb(s: DrillState): { key: DrillKey | null; value: string | null; state: DrillState }[] {
  const steps: { key: DrillKey | null; value: string | null; state: DrillState }[] = [{ key: null, value: null, state: {} }];
  const acc: DrillState = {};
  for (const k of DRILL_KEYS) {
    const v = s[k];
    if (!v) break;
    acc[k] = v;
    steps.push({ key: k, value: v, state: { ...acc } });
  }
  return steps;
}

/** Alerts per day (Asia/Shanghai) for the trend chart. */
export function alertsPerDay(alerts: readonly AlertDTO[], s: DrillState, sectionOf: SectionOf): { day: string; count: number }[] {
  const m = new Map<string, number>();
  for (const a of alerts) {
    if (!inDrill(a, s, sectionOf)) continue;
    const day = shanghaiDay(a.ts);
    m.set(day, (m.get(day) ?? 0) + 1);
  }
  return [...m.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([day, count]) => ({ day, count }));
}

/** Every day from `from` to `to` (inclusive, YYYY-MM-DD) with its count, zero where none. */
export function fillDays(perDay: { day: string; count: number }[], from: string, to: string, maxDays = 3700): { day: string; count: number }[] {
  const m = new Map(perDay.map((d) => [d.day, d.count]));
  const out: { day: string; count: number }[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < maxDays; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, count: m.get(day) ?? 0 });
  }
  return out;
}

export function shanghaiDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}
