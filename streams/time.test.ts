import { describe, expect, it } from 'vitest';
import { DAY, HOUR, WorkingCalendar, dayNumberOf, localDate, localDayStart, localDow, localWeekStart, toIsoShanghai } from './time.js';
import { STATE_COUNCIL_NOTICES, stateCouncilCalendar } from './reference/calendar-cn.js';

const at = (iso: string) => Date.parse(iso);
// 2026-10-01 (Thu) … 07 National Day; 2026-10-10 (Sat) a make-up working day
const CN = new WorkingCalendar({ holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] });

describe('local time in Asia/Shanghai', () => {
  it('what it does at the local midnight boundary: 16:00Z is the next local day', () => {
    expect(localDate(at('2026-10-09T15:59:59.999Z'))).toBe('2026-10-09');
    expect(localDate(at('2026-10-09T16:00:00.000Z'))).toBe('2026-10-10');
    expect(localDayStart(at('2026-10-10T12:00:00+08:00'))).toBe(at('2026-10-10T00:00:00+08:00'));
    expect(localWeekStart(at('2026-10-11T23:00:00+08:00'))).toBe(at('2026-10-05T00:00:00+08:00')); // Sunday → that week's Monday
    expect(localDow(at('2026-10-10T00:00:00+08:00'))).toBe(6);
    expect(toIsoShanghai(at('2026-10-10T01:02:03.004Z'))).toBe('2026-10-10T09:02:03.004+08:00');
  });

  it('what it does with dates that are not real calendar dates: undefined', () => {
    expect(dayNumberOf('2026-02-29')).toBeUndefined();
    expect(dayNumberOf('2026-13-01')).toBeUndefined();
    expect(dayNumberOf('2026-1-01')).toBeUndefined();
    expect(dayNumberOf('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / DAY);
  });
});

describe('WorkingCalendar', () => {
  it('what it does with an empty calendar: plain Monday–Friday 08:00–18:00', () => {
    const p = WorkingCalendar.PLAIN;
    expect(p.isWorkingTime(at('2026-10-01T08:00:00+08:00'))).toBe(true); // a Thursday
    expect(p.isWorkingTime(at('2026-10-01T07:59:59.999+08:00'))).toBe(false);
    expect(p.isWorkingTime(at('2026-10-01T17:59:59.999+08:00'))).toBe(true);
    expect(p.isWorkingTime(at('2026-10-01T18:00:00+08:00'))).toBe(false);
    expect(p.isWorkingTime(at('2026-10-10T10:00:00+08:00'))).toBe(false); // Saturday
  });

  it('what it does on a holiday and on a make-up working Saturday', () => {
    expect(CN.isWorkingTime(at('2026-10-01T10:00:00+08:00'))).toBe(false); // holiday Thursday
    expect(CN.isWorkingDay(at('2026-10-01T10:00:00+08:00'))).toBe(false);
    expect(CN.isWorkingTime(at('2026-10-10T10:00:00+08:00'))).toBe(true); // 调休 Saturday
    expect(CN.isWorkingTime(at('2026-10-10T18:00:00+08:00'))).toBe(false); // its evening stays off-hours
    expect(CN.isWorkingTime(at('2026-10-08T10:00:00+08:00'))).toBe(true); // positive control: an ordinary Thursday
    expect(CN.isWorkingTime(at('2026-10-11T10:00:00+08:00'))).toBe(false); // an ordinary Sunday
  });

  it('what it does when adding working time across a holiday week: the holiday and nights do not count', () => {
    // Wed 2026-09-30 17:00 + 2 h of working time: 1 h that evening, then the next working day is Thu 10-08
    expect(CN.addWorkingMs(at('2026-09-30T17:00:00+08:00'), 2 * HOUR)).toBe(at('2026-10-08T09:00:00+08:00'));
    expect(WorkingCalendar.PLAIN.addWorkingMs(at('2026-09-30T17:00:00+08:00'), 2 * HOUR)).toBe(at('2026-10-01T09:00:00+08:00'));
    // a span ending exactly at 18:00 ends there
    expect(CN.addWorkingMs(at('2026-10-10T08:00:00+08:00'), 10 * HOUR)).toBe(at('2026-10-10T18:00:00+08:00'));
    // from a night: starts at the next working morning
    expect(CN.addWorkingMs(at('2026-10-09T23:00:00+08:00'), HOUR)).toBe(at('2026-10-10T09:00:00+08:00'));
    expect(CN.workingMsBetween(at('2026-09-30T17:00:00+08:00'), at('2026-10-08T09:00:00+08:00'))).toBe(2 * HOUR);
  });

  it('what it does when every day is declared a holiday: no working time, Infinity instead of a hang', () => {
    const days: string[] = [];
    for (let d = dayNumberOf('2026-01-01')!; d < dayNumberOf('2036-12-31')!; d++) days.push(new Date(d * DAY).toISOString().slice(0, 10));
    const none = new WorkingCalendar({ holidays: days, workdays: [] });
    expect(none.nextWorkingTime(at('2026-01-05T10:00:00+08:00'))).toBe(Infinity);
    expect(none.addWorkingMs(at('2026-01-05T10:00:00+08:00'), HOUR)).toBe(Infinity);
  });
});

describe('the built-in State Council calendar', () => {
  const cal = stateCouncilCalendar();
  it('what it does for each sourced year: every make-up working day is a Saturday or Sunday, every holiday span is real dates', () => {
    expect(STATE_COUNCIL_NOTICES.map((n) => n.year)).toEqual([2023, 2024, 2025, 2026]);
    for (const d of cal.workdays) expect([0, 6]).toContain(localDow(at(`${d}T12:00:00+08:00`)));
    for (const d of cal.holidays) expect(dayNumberOf(d)).toBeDefined();
    expect(new Set(cal.holidays).size).toBe(cal.holidays.length);
    expect(cal.workdays.filter((d) => cal.holidays.includes(d))).toEqual([]);
  });

  it('what it does on dates of the 2026 notice: National Day off, 10-10 worked, Spring Festival 9 days', () => {
    const c = new WorkingCalendar(cal);
    expect(c.isWorkingDay(at('2026-10-07T12:00:00+08:00'))).toBe(false);
    expect(c.isWorkingDay(at('2026-10-10T12:00:00+08:00'))).toBe(true);
    expect(c.isWorkingDay(at('2026-09-20T12:00:00+08:00'))).toBe(true);
    const spring = cal.holidays.filter((d) => d >= '2026-02-15' && d <= '2026-02-23');
    expect(spring).toHaveLength(9);
    expect(c.isWorkingDay(at('2026-02-24T12:00:00+08:00'))).toBe(true);
    expect(c.isWorkingDay(at('2025-10-08T12:00:00+08:00'))).toBe(false); // 2025: National Day and Mid-Autumn together
    expect(c.isWorkingDay(at('2027-10-01T12:00:00+08:00'))).toBe(true); // 2027 not sourced: plain Mon–Fri (a Friday)
  });
});
