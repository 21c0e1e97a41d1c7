/**
 * Backtest one definition over stored history (sorted by ts, id) without raising anything: the
 * isolated replay (replay.ts) with that one definition, then time moves to range.to so deadlines
 * and period ends inside the range are decided. Only hits with ts in [from, to) count.
 * The server runs it in a worker over events streamed from ClickHouse (server/replay).
 */
import type { Alert, OpEvent } from '../types.js';
import type { ReferenceIndex } from '../reference/index.js';
import type { IndicatorDef } from '../catalog/types.js';
import { BacktestTally, Replay, type BacktestResult, type DatedReference, type ResolvedFinding } from './replay.js';

export type { BacktestResult };

export function backtest(def: IndicatorDef, events: Iterable<OpEvent>, reference: ReferenceIndex | readonly DatedReference[], range: { from: number; to: number }, findings: readonly ResolvedFinding[] = []): BacktestResult {
  const refs = Array.isArray(reference) ? reference as readonly DatedReference[] : [{ validFrom: -Infinity, version: (reference as ReferenceIndex).version, data: (reference as ReferenceIndex).data }];
  const replay = new Replay([{ ...def, enabled: true }], refs);
  const tally = new BacktestTally(range, findings);
  const out: Alert[] = [];
  const batch: OpEvent[] = [];
  for (const ev of events) {
    if (ev.ts >= range.to) break;
    batch.push(ev);
    if (batch.length === 1000) { replay.push(batch, out); batch.length = 0; tally.add(out); out.length = 0; }
  }
  replay.push(batch, out);
  replay.finish(range.to, out);
  tally.add(out);
  return tally.result();
}
