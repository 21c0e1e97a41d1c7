/** Messages between the server and a replay worker (worker.ts). */
import type { Alert, OpEvent } from '../../streams/types.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { BacktestResult, DatedReference, ResolvedFinding } from '../../streams/engine/replay.js';

export interface ReplayInit {
  catalog: IndicatorDef[];
  refs: DatedReference[];
  /** alerts: every alert goes back with its page (an import); tally: hits are counted in the worker (a backtest). */
  mode: 'alerts' | 'tally';
  /** tally only: hits with ts in [from, to) count. */
  range?: { from: number; to: number };
  /** tally only: the resolved tasks the backtest is scored against. */
  findings?: ResolvedFinding[];
}

export type ToWorker =
  | { type: 'events'; events: OpEvent[] }
  /**
   * An import's events as it stores them (sql/queries/events.ts storedForm: as the store gives them
   * back), in non-decreasing ts: each ts group put in id order (streams/engine/tie-order.ts) before
   * it is evaluated.
   */
  | { type: 'rows'; events: OpEvent[] }
  | { type: 'finish'; end: number };

export type FromWorker =
  | { type: 'page'; alerts: Alert[]; events: number }
  | { type: 'finished'; alerts: Alert[]; result: BacktestResult | null; events: number }
  | { type: 'error'; message: string };
