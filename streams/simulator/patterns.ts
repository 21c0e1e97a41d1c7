/**
 * Direct checks of the eleven core misconduct patterns (indicators.md) on a list of events,
 * for tests and for measuring the simulator's rates. A plain reading of the rules, not the
 * engine: it counts hits the way the rules define them (including quiet periods).
 */
import type { Matter, OpEvent, ReferenceData } from '../types.js';
import { compareEvents } from './generator.js';
import { HOUR, MIN } from './worktime.js';
import { WorkingCalendar } from '../time.js';
import type { CoreIndicator } from './generator.js';

export type PatternHits = Record<CoreIndicator, string[][]>;

export function findPatterns(events: OpEvent[], ref: ReferenceData, periodEnd = Infinity): PatternHits {
  const ev = events.slice().sort(compareEvents);
  const matters = new Map<string, Matter>(ref.matters.map((m) => [m.code, m]));
  const level = new Map(ref.officers.map((o) => [o.id, o.level]));
  const hits: PatternHits = {
    'SVC-01': [], 'PRC-01': [], 'PRC-02': [], 'PRC-03': [], 'PRC-04': [], 'PRC-05': [],
    'INS-01': [], 'INS-02': [], 'FIL-01': [], 'TSK-01': [], 'TSK-02': [],
  };
  const byItem = new Map<string, OpEvent[]>();
  for (const e of ev) (byItem.get(e.item) ?? byItem.set(e.item, []).get(e.item)!).push(e);
  const human = (e: OpEvent) => e.officer !== 'system';
  const cal = ref.calendar ? new WorkingCalendar(ref.calendar) : WorkingCalendar.PLAIN;

  for (const e of ev) {
    const m = matters.get(e.matter);
    if (!m || !human(e)) continue;
    if (m.power && (e.action === 'approve' || e.action === 'complete') && !cal.isWorkingTime(e.ts)) hits['SVC-01'].push([e.id]);
    if (e.action === 'approve' && m.limits && e.amount !== undefined && e.amount > m.limits[(level.get(e.officer) ?? 1) - 1]!) hits['PRC-02'].push([e.id]);
    if (e.action === 'assign' && m.power && e.attrs?.mode === 'manual') hits['TSK-02'].push([e.id]);
  }

  for (const [, list] of byItem) {
    const m = matters.get(list[0]!.matter);
    if (!m) continue;
    // PRC-01: first officer completing accept/handle + approve pair.
    const hasWork = new Map<string, OpEvent>();
    const hasApp = new Map<string, OpEvent>();
    for (const e of list) {
      if (!human(e)) continue;
      if (e.action === 'accept' || e.action === 'handle') { if (!hasWork.has(e.officer)) hasWork.set(e.officer, e); }
      else if (e.action === 'approve') { if (!hasApp.has(e.officer)) hasApp.set(e.officer, e); }
      else continue;
      const w = hasWork.get(e.officer);
      const a = hasApp.get(e.officer);
      if (w && a) { hits['PRC-01'].push([w.id, a.id]); break; }
    }
    const firstComplete = list.find((e) => e.action === 'complete');
    const firstHumanComplete = list.find((e) => e.action === 'complete' && human(e));
    if (m.power && firstHumanComplete && !list.some((e) => e.action === 'approve' && e.ts <= firstHumanComplete.ts)) hits['PRC-03'].push([firstHumanComplete.id]);
    if (firstComplete) for (const e of list) if (e.action === 'modify' && human(e) && e.ts > firstComplete.ts) hits['PRC-04'].push([firstComplete.id, e.id]);
    const issue = list.find((e) => e.action === 'issue');
    if (m.category === 'inspection' && issue && firstHumanComplete && !(firstHumanComplete.amount ?? 0) && firstHumanComplete.ts - issue.ts < 0.1 * m.standard_hours * HOUR) hits['INS-02'].push([issue.id, firstHumanComplete.id]);
    if (m.category === 'filing') {
      const per = new Map<string, OpEvent[]>();
      for (const e of list) if (e.action === 'modify' && human(e)) (per.get(e.officer) ?? per.set(e.officer, []).get(e.officer)!).push(e);
      for (const [, mods] of per) slidingBursts(mods, 3, 24 * HOUR, hits['FIL-01']);
    }
    if (issue) {
      const deadline = issue.ts + m.standard_hours * HOUR;
      if (deadline < periodEnd && !list.some((e) => (e.action === 'complete' || e.action === 'cancel') && e.ts <= deadline)) hits['TSK-01'].push([issue.id]);
    }
  }

  // PRC-05: per officer cancels.
  const cancels = new Map<string, OpEvent[]>();
  for (const e of ev) if (e.action === 'cancel' && human(e)) (cancels.get(e.officer) ?? cancels.set(e.officer, []).get(e.officer)!).push(e);
  for (const [, list] of cancels) slidingBursts(list, 5, 60 * MIN, hits['PRC-05']);

  // INS-01: per (officer, taxpayer), first accept of each inspection item.
  const pairs = new Map<string, OpEvent[]>();
  const seenItem = new Set<string>();
  for (const e of ev) {
    if (e.action !== 'accept' || !human(e) || e.taxpayer === undefined) continue;
    if (matters.get(e.matter)?.category !== 'inspection') continue;
    const k = `${e.officer}|${e.item}`;
    if (seenItem.has(k)) continue;
    seenItem.add(k);
    const pk = `${e.officer}|${e.taxpayer}`;
    (pairs.get(pk) ?? pairs.set(pk, []).get(pk)!).push(e);
  }
  for (const [, list] of pairs) slidingBursts(list, 3, 90 * 24 * HOUR, hits['INS-01'], false);
  return hits;
}

/** n events within `span` (last − first ≤ span), then quiet until `span` after the hit. */
function slidingBursts(list: OpEvent[], n: number, span: number, out: string[][], quietInclusive = true): void {
  let counted: OpEvent[] = [];
  let quietUntil = -Infinity;
  for (const e of list) {
    if (quietInclusive ? e.ts <= quietUntil : e.ts < quietUntil) continue;
    counted.push(e);
    counted = counted.filter((c) => e.ts - c.ts <= span);
    if (counted.length >= n) {
      out.push(counted.slice(-n).map((c) => c.id));
      quietUntil = e.ts + span;
      counted = [];
    }
  }
}
