/**
 * The one module for time-zone and working-calendar arithmetic (indicators.md "Working hours").
 * Local time is Asia/Shanghai, a fixed UTC+08:00 with no daylight saving, so plain arithmetic on
 * epoch ms is exact and far cheaper than Intl on the per-event path. A working day is a
 * Monday–Friday not in the calendar's `holidays`, or any date in its `workdays` (调休); working
 * hours are 08:00:00.000 inclusive to 18:00:00.000 exclusive on a working day.
 */

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const TIME_ZONE = 'Asia/Shanghai';
export const TZ_OFFSET_MS = 8 * HOUR;
export const WORK_START_MS = 8 * HOUR;
export const WORK_END_MS = 18 * HOUR;

/** The calendar as reference data carries it: YYYY-MM-DD dates in Asia/Shanghai. */
export interface CalendarData { holidays: string[]; workdays: string[] }

// ---------- local dates ----------

/** days since 1970-01-01 of the local date containing ts */
export function localDayNumber(ts: number): number { return Math.floor((ts + TZ_OFFSET_MS) / DAY); }

/** start (epoch ms) of the local day containing ts */
export function localDayStart(ts: number): number { return localDayNumber(ts) * DAY - TZ_OFFSET_MS; }

/** start (epoch ms) of the local ISO week (Monday 00:00) containing ts */
export function localWeekStart(ts: number): number {
  const day = localDayNumber(ts);
  return (day - ((day + 3) % 7)) * DAY - TZ_OFFSET_MS; // (day + 3) % 7: 0 = Monday
}

/** 0 = Sunday … 6 = Saturday, local */
export function localDow(ts: number): number { return (localDayNumber(ts) + 4) % 7; } // 1970-01-01 was a Thursday

/** ms since local midnight */
export function localTimeOfDay(ts: number): number { return ts - localDayStart(ts); }

/** YYYY-MM-DD of ts in Asia/Shanghai */
export function localDate(ts: number): string { return new Date(ts + TZ_OFFSET_MS).toISOString().slice(0, 10); }

/** ISO-8601 with the +08:00 offset and milliseconds, e.g. 2026-07-04T10:00:00.000+08:00 */
export function toIsoShanghai(ts: number): string { return new Date(ts + TZ_OFFSET_MS).toISOString().replace('Z', '+08:00'); }

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** day number of a YYYY-MM-DD date, undefined when it is not a real calendar date */
export function dayNumberOf(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / DAY;
}

/** local Saturday or Sunday (the plain week, whatever the calendar says) */
export function isWeekend(ts: number): boolean { const d = localDow(ts); return d === 0 || d === 6; }

/** local time in [22:00, 06:00) */
export function isNight(ts: number): boolean { const t = localTimeOfDay(ts); return t >= 22 * HOUR || t < 6 * HOUR; }

// ---------- the working calendar ----------

/** how far nextWorkingTime looks before giving up (a calendar that declares ten years of holidays) */
const MAX_SCAN_DAYS = 3660;

/** A compiled working calendar: day-number sets, immutable. */
export class WorkingCalendar {
  /** plain Monday–Friday (an empty calendar) */
  static readonly PLAIN = new WorkingCalendar({ holidays: [], workdays: [] });

  private readonly holidays: Set<number>;
  private readonly workdays: Set<number>;

  constructor(readonly data: CalendarData) {
    this.holidays = new Set(data.holidays.map(dayNumberOf).filter((d): d is number => d !== undefined));
    this.workdays = new Set(data.workdays.map(dayNumberOf).filter((d): d is number => d !== undefined));
  }

  /** is the local day with this day number a working day? */
  isWorkingDayNumber(day: number): boolean {
    if (this.workdays.has(day)) return true;
    const dow = (day + 4) % 7;
    return dow !== 0 && dow !== 6 && !this.holidays.has(day);
  }

  /** is the local date containing ts a working day? */
  isWorkingDay(ts: number): boolean { return this.isWorkingDayNumber(localDayNumber(ts)); }

  /** inside working hours: a working day, 08:00 inclusive to 18:00 exclusive */
  isWorkingTime(ts: number): boolean {
    const day = localDayNumber(ts);
    if (!this.isWorkingDayNumber(day)) return false;
    const tod = ts + TZ_OFFSET_MS - day * DAY;
    return tod >= WORK_START_MS && tod < WORK_END_MS;
  }

  /** ts itself when inside working hours, else the start of the next working period; Infinity when none within ten years */
  nextWorkingTime(ts: number): number {
    if (this.isWorkingTime(ts)) return ts;
    let day = localDayNumber(ts);
    if (this.isWorkingDayNumber(day) && ts + TZ_OFFSET_MS - day * DAY < WORK_START_MS) return day * DAY - TZ_OFFSET_MS + WORK_START_MS;
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      day++;
      if (this.isWorkingDayNumber(day)) return day * DAY - TZ_OFFSET_MS + WORK_START_MS;
    }
    return Infinity;
  }

  /**
   * The instant `ms` of working time after ts (time outside working hours does not count). A span
   * that ends exactly at 18:00 ends there, not at the next morning's 08:00.
   */
  addWorkingMs(ts: number, ms: number): number {
    let cur = this.nextWorkingTime(ts);
    let left = ms;
    while (cur !== Infinity) {
      const end = localDayStart(cur) + WORK_END_MS;
      if (cur + left <= end) return cur + left;
      left -= end - cur;
      cur = this.nextWorkingTime(end);
    }
    return Infinity;
  }

  /** working time (ms) in [a, b) */
  workingMsBetween(a: number, b: number): number {
    let total = 0;
    let cur = this.nextWorkingTime(a);
    while (cur < b) {
      const end = localDayStart(cur) + WORK_END_MS;
      total += Math.min(end, b) - cur;
      cur = this.nextWorkingTime(end);
    }
    return total;
  }
}
