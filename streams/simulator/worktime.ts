/**
 * The simulator's working-time helpers: thin wrappers over streams/time.ts (the one module for
 * local time and the working calendar), in minutes, for one calendar.
 */
import { DAY, HOUR, MIN, WorkingCalendar, localDayStart, toIsoShanghai } from '../time.js';

export { DAY, HOUR, MIN, toIsoShanghai };
/** Epoch ms of local (UTC+8) midnight of the day containing t. */
export const localMidnight = localDayStart;

export class WorkTime {
  constructor(readonly cal: WorkingCalendar = WorkingCalendar.PLAIN) {}
  isWorkingDay(t: number): boolean { return this.cal.isWorkingDay(t); }
  isWorkingTime(t: number): boolean { return this.cal.isWorkingTime(t); }
  /** t itself when inside working hours, else the start of the next working period */
  nextWorkingTime(t: number): number { return this.cal.nextWorkingTime(t); }
  /** move forward by `minutes` of working time, starting at the next working time from t */
  addWorkMinutes(t: number, minutes: number): number { return this.cal.addWorkingMs(t, minutes * MIN); }
  /** working minutes in [a, b) */
  workMinutesBetween(a: number, b: number): number { return this.cal.workingMsBetween(a, b) / MIN; }
  /** a time outside working hours at or after t: the evening of t's day (19:00–23:30) */
  nextOffHours(t: number, frac: number): number {
    if (!this.isWorkingTime(t)) return t;
    return localMidnight(t) + 19 * HOUR + Math.floor(frac * 4.5 * HOUR);
  }
}

/** plain Monday–Friday (an empty calendar), for callers without reference data */
export const PLAIN_WORKTIME = new WorkTime();
export const isWorkingTime = (t: number): boolean => PLAIN_WORKTIME.isWorkingTime(t);
