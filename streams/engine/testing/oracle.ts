/**
 * A brute-force reading of the eleven core indicators of indicators.md, written straight from
 * the table over a sorted event list (no watermark, no state machines). Tests compare the
 * engine against it on random streams.
 */
import type { OpEvent } from '../../types.js';
import type { ReferenceIndex } from '../../reference/index.js';

const MIN = 60_000, H = 60 * MIN, D = 24 * H;
const SYS = 'system';
export interface Expected { indicator: string; evidence: string[]; officer: string }

const cmp = (a: OpEvent, b: OpEvent) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function oracle(input: OpEvent[], ref: ReferenceIndex): Expected[] {
  const evs = [...input].sort(cmp);
  const out: Expected[] = [];
  const m = (e: OpEvent) => ref.matters.get(e.matter);
  const power = (e: OpEvent) => m(e)?.power === true;
  const cat = (e: OpEvent) => m(e)?.category;
  const byItem = new Map<string, OpEvent[]>();
  for (const e of evs) (byItem.get(e.item) ?? byItem.set(e.item, []).get(e.item)!).push(e);

  for (const e of evs) {
    if (e.officer === SYS) continue;
    if ((e.action === 'approve' || e.action === 'complete') && power(e) && !ref.calendar.isWorkingTime(e.ts)) out.push({ indicator: 'SVC-01', evidence: [e.id], officer: e.officer });
    if (e.action === 'approve' && e.amount !== undefined) {
      const lim = m(e)?.limits;
      if (lim && e.amount > lim[ref.levelOf(e.officer) - 1]) out.push({ indicator: 'PRC-02', evidence: [e.id], officer: e.officer });
    }
    if (e.action === 'assign' && e.attrs?.mode === 'manual' && power(e)) out.push({ indicator: 'TSK-02', evidence: [e.id], officer: e.officer });
  }

  for (const [, items] of byItem) {
    // PRC-01
    const ah = new Map<string, OpEvent>(), ap = new Map<string, OpEvent>();
    for (const e of items) {
      if (e.officer === SYS) continue;
      if ((e.action === 'accept' || e.action === 'handle') && !ah.has(e.officer)) ah.set(e.officer, e);
      if (e.action === 'approve' && !ap.has(e.officer)) ap.set(e.officer, e);
      if (ah.has(e.officer) && ap.has(e.officer)) { out.push({ indicator: 'PRC-01', evidence: [ah.get(e.officer)!.id, ap.get(e.officer)!.id], officer: e.officer }); break; }
    }
    // PRC-03
    const c = items.find((e) => e.action === 'complete' && e.officer !== SYS);
    if (c && power(c) && !items.some((e) => e.action === 'approve' && e.ts <= c.ts)) out.push({ indicator: 'PRC-03', evidence: [c.id], officer: c.officer });
    // PRC-04
    const f = items.find((e) => e.action === 'complete');
    if (f) for (const e of items) if (e.action === 'modify' && e.officer !== SYS && e.ts > f.ts) out.push({ indicator: 'PRC-04', evidence: [f.id, e.id], officer: e.officer });
    // INS-02
    const issue = items.find((e) => e.action === 'issue');
    if (c && issue && cmp(issue, c) < 0 && cat(c) === 'inspection' && (c.amount === undefined || c.amount === 0) && c.ts - issue.ts < 0.1 * m(c)!.standard_hours * H) {
      out.push({ indicator: 'INS-02', evidence: [issue.id, c.id], officer: c.officer });
    }
    // TSK-01
    if (issue && m(issue)) {
      const dl = issue.ts + m(issue)!.standard_hours * H;
      if (!items.some((e) => (e.action === 'complete' || e.action === 'cancel') && e.ts <= dl)) {
        let subject = issue.officer;
        for (const e of items) if ((e.action === 'accept' || e.action === 'handle') && e.officer !== SYS && e.ts <= dl) subject = e.officer;
        out.push({ indicator: 'TSK-01', evidence: [issue.id], officer: subject });
      }
    }
  }

  // sliding counts with quiet periods
  const sliding = (indicator: string, pick: (e: OpEvent) => string | undefined, n: number, win: number) => {
    const groups = new Map<string, OpEvent[]>();
    for (const e of evs) { const k = pick(e); if (k !== undefined) (groups.get(k) ?? groups.set(k, []).get(k)!).push(e); }
    for (const [, g] of groups) {
      let counted: OpEvent[] = [];
      let quiet = -Infinity;
      for (const e of g) {
        if (e.ts <= quiet) continue;
        counted.push(e);
        counted = counted.filter((x) => e.ts - x.ts <= win);
        if (counted.length >= n) {
          out.push({ indicator, evidence: counted.slice(-n).map((x) => x.id), officer: e.officer });
          counted = [];
          quiet = e.ts + win;
        }
      }
    }
  };
  sliding('PRC-05', (e) => (e.action === 'cancel' && e.officer !== SYS ? e.officer : undefined), 5, 60 * MIN);
  sliding('FIL-01', (e) => (e.action === 'modify' && e.officer !== SYS && cat(e) === 'filing' ? `${e.officer}|${e.item}` : undefined), 3, 24 * H);

  // INS-01
  const pairs = new Map<string, OpEvent[]>();
  for (const e of evs) if (e.action === 'accept' && e.officer !== SYS && e.taxpayer && cat(e) === 'inspection') {
    const k = `${e.officer}|${e.taxpayer}`;
    (pairs.get(k) ?? pairs.set(k, []).get(k)!).push(e);
  }
  for (const [, g] of pairs) {
    let win: OpEvent[] = [];
    let quiet = -Infinity;
    for (const e of g) {
      if (e.ts <= quiet) continue;
      if (win.some((x) => x.item === e.item)) continue;
      win.push(e);
      win = win.filter((x) => e.ts - x.ts <= 90 * D);
      if (win.length >= 3) {
        out.push({ indicator: 'INS-01', evidence: win.slice(-3).map((x) => x.id), officer: e.officer });
        win = [];
        quiet = e.ts + 90 * D;
      }
    }
  }
  return out;
}
