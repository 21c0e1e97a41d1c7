/** Working hours in Asia/Shanghai (UTC+08:00, no DST): Mon–Fri 08:00:00.000 inclusive to 18:00 exclusive. */
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
const OFFSET = 8 * HOUR;
const START = 8 * HOUR;
const END = 18 * HOUR;

/** Epoch ms of local (UTC+8) midnight of the day containing t. */
export function localMidnight(t: number): number {
  return Math.floor((t + OFFSET) / DAY) * DAY - OFFSET;
}
/** 0 = Sunday … 6 = Saturday, local. */
export function localDow(t: number): number {
  return new Date(t + OFFSET).getUTCDay();
}
export function isWorkday(t: number): boolean {
  const d = localDow(t);
  return d >= 1 && d <= 5;
}
export function isWorkingTime(t: number): boolean {
  if (!isWorkday(t)) return false;
  const tod = t - localMidnight(t);
  return tod >= START && tod < END;
}
/** t itself when inside working hours, else the next working-day 08:00. */
export function nextWorkingTime(t: number): number {
  if (isWorkingTime(t)) return t;
  let m = localMidnight(t);
  if (isWorkday(t) && t - m < START) return m + START;
  for (;;) {
    m += DAY;
    if (isWorkday(m + START)) return m + START;
  }
}
/** Move forward by `minutes` of working time, starting at the next working time from t. */
export function addWorkMinutes(t: number, minutes: number): number {
  let cur = nextWorkingTime(t);
  let left = minutes * MIN;
  for (;;) {
    const end = localMidnight(cur) + END;
    if (cur + left < end) return cur + left;
    left -= end - cur;
    cur = nextWorkingTime(end);
  }
}
/** Working minutes in [a, b). */
export function workMinutesBetween(a: number, b: number): number {
  let total = 0;
  let cur = nextWorkingTime(a);
  while (cur < b) {
    const end = localMidnight(cur) + END;
    total += Math.min(end, b) - cur;
    cur = nextWorkingTime(end);
  }
  return total / MIN;
}
/** A time outside working hours, at or after t: the evening of t's day (19:00–23:30) or the coming weekend. */
export function nextOffHours(t: number, frac: number): number {
  if (!isWorkingTime(t)) return t;
  const m = localMidnight(t);
  return m + 19 * HOUR + Math.floor(frac * 4.5 * HOUR);
}
/** ISO-8601 with +08:00 offset and milliseconds, e.g. 2026-07-04T10:00:00.000+08:00. */
export function toIsoShanghai(t: number): string {
  return new Date(t + OFFSET).toISOString().replace('Z', '+08:00');
}
