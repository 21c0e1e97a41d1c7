/**
 * Pure helpers of the live alert wall: the list is a server page (GET /api/alerts, by `ts`
 * newest first, ties by id) with the live tail merged in the same order, under a cap.
 */
import type { AlertDTO } from '../../../server/socket/events';

/** The wall's filters; the same keys in the URL and as GET /api/alerts parameters. */
export interface AlertFilter { category?: string; severity?: string; bureau?: string; indicator?: string; q?: string }
export const FILTER_KEYS = ['category', 'severity', 'bureau', 'indicator', 'q'] as const;

/** Newest first as the server orders: `ts DESC, id DESC` (ISO strings of one format compare as times). */
export const byNewest = (a: AlertDTO, b: AlertDTO) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Returns the new list: the batch's unseen alerts merged in order, at most `cap` long.
 * `seen` is updated in place (ids dropped by the cap are forgotten). With `complete` false the
 * list is a prefix of what the server holds: alerts older than its last row are left out
 * (the next page brings them), so no hole can appear in the middle of the list.
 */
export function mergeNewestFirst(list: readonly AlertDTO[], batch: readonly AlertDTO[], cap: number, seen: Set<string>, complete = true): AlertDTO[] {
  const tail = list[list.length - 1];
  const fresh: AlertDTO[] = [];
  for (const a of batch) {
    if (seen.has(a.id)) continue;
    if (!complete && tail && byNewest(a, tail) > 0) continue;
    seen.add(a.id);
    fresh.push(a);
  }
  if (!fresh.length) return list as AlertDTO[];
  fresh.sort(byNewest);
  // Live alerts almost always arrive no older than the head: then a prepend is enough;
  // late ones and catch-up replays are merged in linear time.
  const head = list[0];
  const merged = !head || byNewest(fresh[fresh.length - 1]!, head) <= 0 ? fresh.concat(list) : mergeSorted(fresh, list);
  if (merged.length > cap) {
    for (let i = cap; i < merged.length; i++) seen.delete(merged[i]!.id);
    merged.length = cap;
  }
  return merged;
}

function mergeSorted(a: readonly AlertDTO[], b: readonly AlertDTO[]): AlertDTO[] {
  const out: AlertDTO[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(byNewest(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

// The searchable text of an alert, built once: live alerts are matched as they stream in.
// The same fields as the server's `q` search (sql/queries/alerts.ts ALERT_TEXT_FIELDS).
const haystacks = new WeakMap<AlertDTO, string>();
function haystack(a: AlertDTO): string {
  let h = haystacks.get(a);
  if (h === undefined) {
    h = `${a.indicator}\n${a.officer ?? ''}\n${a.taxpayer ?? ''}\n${a.item ?? ''}\n${a.message.zh}\n${a.message.en}`.toLowerCase();
    haystacks.set(a, h);
  }
  return h;
}

/** Whether a live alert belongs in a list the server filtered with `f`. */
export function matchesFilter(a: AlertDTO, f: AlertFilter): boolean {
  if (f.category && a.category !== f.category) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.bureau && a.bureau !== f.bureau) return false;
  if (f.indicator && a.indicator !== f.indicator) return false;
  if (f.q && f.q.trim() && !haystack(a).includes(f.q.trim().toLowerCase())) return false;
  return true;
}

/** The filter read from URL parameters (unknown keys and empty values dropped). */
export function filterFromParams(params: Record<string, string>): AlertFilter {
  const f: AlertFilter = {};
  for (const k of FILTER_KEYS) if (params[k]) f[k] = params[k];
  return f;
}

export const sameFilter = (a: AlertFilter, b: AlertFilter) => FILTER_KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** Counter windows the wall offers; the server counts over [now − window, now). */
export const COUNT_WINDOWS = { '1h': 3600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type CountWindow = keyof typeof COUNT_WINDOWS;
export const isCountWindow = (w: string | undefined): w is CountWindow => !!w && w in COUNT_WINDOWS;

/**
 * Keyboard navigation in a list of `n` rows: the next selected index for a key, or null when
 * the key is not a navigation key. `page` is the number of rows in view.
 */
export function nextIndex(key: string, current: number, n: number, page: number): number | null {
  if (!n) return null;
  const clamp = (i: number) => Math.max(0, Math.min(n - 1, i));
  switch (key) {
    case 'ArrowDown': case 'j': return current < 0 ? 0 : clamp(current + 1);
    case 'ArrowUp': case 'k': return current < 0 ? 0 : clamp(current - 1);
    case 'PageDown': return clamp((current < 0 ? 0 : current) + page);
    case 'PageUp': return clamp((current < 0 ? 0 : current) - page);
    case 'Home': return 0;
    case 'End': return n - 1;
    default: return null;
  }
}
