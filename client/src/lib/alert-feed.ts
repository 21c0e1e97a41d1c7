/** Pure helpers of the live alert feed: merging a batch newest first under a cap, filtering, counting. */
import type { AlertDTO } from '../../../server/socket/events';

export interface AlertFilter { category?: string; severity?: string; bureau?: string; indicator?: string; text?: string }

const byNewest = (a: AlertDTO, b: AlertDTO) => (a.detected_at < b.detected_at ? 1 : a.detected_at > b.detected_at ? -1 : a.id < b.id ? 1 : -1);

/**
 * Returns the new list: the batch's unseen alerts merged in, newest (by detection) first,
 * at most `cap` long. `seen` is updated in place (ids dropped by the cap are forgotten).
 */
export function mergeNewestFirst(list: readonly AlertDTO[], batch: readonly AlertDTO[], cap: number, seen: Set<string>): AlertDTO[] {
  const fresh: AlertDTO[] = [];
  for (const a of batch) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    fresh.push(a);
  }
  if (!fresh.length) return list as AlertDTO[];
  fresh.sort(byNewest);
  // Live alerts almost always arrive no older than the head: then a prepend is enough
  // (ties keep arrival order); catch-up replays are merged in linear time.
  const head = list[0];
  const merged = !head || fresh[fresh.length - 1]!.detected_at >= head.detected_at ? fresh.concat(list) : mergeSorted(fresh, list);
  if (merged.length > cap) {
    for (let i = cap; i < merged.length; i++) seen.delete(merged[i]!.id);
    merged.length = cap;
  }
  return merged;
}

// The searchable text of an alert, built once: the list is re-filtered every frame under a burst.
const haystacks = new WeakMap<AlertDTO, string>();
function haystack(a: AlertDTO): string {
  let h = haystacks.get(a);
  if (h === undefined) {
    h = `${a.indicator} ${a.officer ?? ''} ${a.taxpayer ?? ''} ${a.item ?? ''} ${a.message.zh} ${a.message.en}`.toLowerCase();
    haystacks.set(a, h);
  }
  return h;
}

function mergeSorted(a: readonly AlertDTO[], b: readonly AlertDTO[]): AlertDTO[] {
  const out: AlertDTO[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(byNewest(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

export function matchesFilter(a: AlertDTO, f: AlertFilter): boolean {
  if (f.category && a.category !== f.category) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.bureau && a.bureau !== f.bureau) return false;
  if (f.indicator && a.indicator !== f.indicator) return false;
  if (f.text && !haystack(a).includes(f.text.toLowerCase())) return false;
  return true;
}

/** Adds a batch to running counters (counters are of the whole stream, not capped). */
export function countInto(counts: Record<string, number>, batch: readonly AlertDTO[], key: (a: AlertDTO) => string | null): Record<string, number> {
  const next = { ...counts };
  for (const a of batch) {
    const k = key(a) ?? '—';
    next[k] = (next[k] ?? 0) + 1;
  }
  return next;
}
