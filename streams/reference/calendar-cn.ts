/**
 * The built-in working calendar: public holidays and make-up working days (调休) as published
 * by the General Office of the State Council (国务院办公厅关于 YYYY 年部分节假日安排的通知).
 * Only years whose notice could be read are here; a year not listed is plain Monday–Friday
 * (no guesses). Where each year was read from is in docs/calendar.md. Holiday ranges are the
 * notice's "放假" spans, weekend days included (harmless: a weekend is no working day anyway).
 */
import { DAY, dayNumberOf, type CalendarData } from '../time.js';

interface YearNotice {
  year: number;
  /** the notice's document number and date */
  notice: string;
  /** [first, last] days off, inclusive */
  off: [string, string][];
  /** make-up working days (weekend dates worked) */
  work: string[];
}

export const STATE_COUNCIL_NOTICES: readonly YearNotice[] = [
  {
    year: 2023, notice: '国办发明电〔2022〕16号, 2022-12-08',
    off: [['2022-12-31', '2023-01-02'], ['2023-01-21', '2023-01-27'], ['2023-04-05', '2023-04-05'], ['2023-04-29', '2023-05-03'],
      ['2023-06-22', '2023-06-24'], ['2023-09-29', '2023-10-06']],
    work: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  {
    year: 2024, notice: '国办发明电〔2023〕7号, 2023-10-25',
    off: [['2024-01-01', '2024-01-01'], ['2024-02-10', '2024-02-17'], ['2024-04-04', '2024-04-06'], ['2024-05-01', '2024-05-05'],
      ['2024-06-10', '2024-06-10'], ['2024-09-15', '2024-09-17'], ['2024-10-01', '2024-10-07']],
    work: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  {
    year: 2025, notice: '国办发明电〔2024〕12号, 2024-11-12',
    off: [['2025-01-01', '2025-01-01'], ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08']],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026, notice: '国务院办公厅 2025-11-04',
    off: [['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07']],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

function expand([a, b]: [string, string]): string[] {
  const out: string[] = [];
  const from = dayNumberOf(a)!, to = dayNumberOf(b)!;
  for (let d = from; d <= to; d++) out.push(new Date(d * DAY).toISOString().slice(0, 10));
  return out;
}

export function stateCouncilCalendar(): CalendarData {
  return {
    holidays: STATE_COUNCIL_NOTICES.flatMap((y) => y.off.flatMap(expand)),
    workdays: STATE_COUNCIL_NOTICES.flatMap((y) => y.work),
  };
}
