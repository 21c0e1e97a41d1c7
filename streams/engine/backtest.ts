/**
 * Backtest one definition over stored history (sorted by ts, id) without raising anything:
 * hits per local day (Asia/Shanghai), the total, and the first 50 alerts as a sample.
 * Events are replayed at their own event time with no lateness, then time moves to range.to so
 * deadlines and period ends inside the range are decided. Only hits with ts in [from, to) count.
 */
import type { Alert, OpEvent } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import type { IndicatorDef } from '../catalog/types.js';
import { localDate } from '../rules/common.js';
import { IndicatorEngine } from './engine.js';

export interface BacktestResult { days: { day: string; hits: number }[]; total: number; sample: Alert[] }

export function backtest(def: IndicatorDef, events: Iterable<OpEvent>, reference: ReferenceIndex, range: { from: number; to: number }): BacktestResult {
  const engine = new IndicatorEngine([{ ...def, enabled: true }], reference, { latenessMs: 0, idleMs: 0 });
  const days = new Map<string, number>();
  const sample: Alert[] = [];
  let total = 0;
  const take = (alerts: Alert[]) => {
    for (const a of alerts) {
      if (a.ts < range.from || a.ts >= range.to) continue;
      total++;
      const d = localDate(a.ts);
      days.set(d, (days.get(d) ?? 0) + 1);
      if (sample.length < 50) sample.push(a);
    }
  };
  for (const ev of events) {
    if (ev.ts >= range.to) break;
    take(engine.onEvent(ev, ev.ts));
  }
  take(engine.onTick(range.to));
  return { days: Array.from(days, ([day, hits]) => ({ day, hits })).sort((a, b) => a.day.localeCompare(b.day)), total, sample };
}
