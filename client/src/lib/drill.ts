/**
 * The analyst's drill path: city → bureau → section (business line of the matter) → officer
 * → indicator → alerts → evidence. Pure: state comes from the URL; every count comes from the
 * server (GET /api/alerts/stats), this module only says which group and filters to ask for.
 */
import type { StatBucket, StatDim } from './api';

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

/** What the rows of a level group by on the server. */
export const LEVEL_GROUP: Record<Exclude<DrillLevel, 'alert' | 'indicator'>, StatDim> = { city: 'bureau', bureau: 'section', section: 'officer', officer: 'indicator' };

/** The server filters of a drill state (the chosen path). */
export function drillFilters(s: DrillState): Partial<Record<StatDim, string>> {
  const f: Partial<Record<StatDim, string>> = {};
  if (s.b) f.bureau = s.b;
  if (s.s) f.section = s.s;
  if (s.o) f.officer = s.o;
  if (s.i) f.indicator = s.i;
  return f;
}

/** Trend buckets for a range: hours up to 2 days, days up to 2 years, weeks beyond. */
export function trendBucket(from: number, to: number): StatBucket {
  const days = (to - from) / 86_400_000;
  return days <= 2 ? 'hour' : days <= 731 ? 'day' : 'week';
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

/** An instant as local Asia/Shanghai time, `YYYY-MM-DD HH:mm:ss` (for CSV: readable, sortable). */
export function shanghaiLocal(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
