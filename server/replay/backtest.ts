/**
 * The backtest on the import's replay code (issue 14): one definition over stored events streamed
 * from ClickHouse in (ts, id) order, the indicator's actions, matters and the time range pushed
 * into the query, evaluated in a worker thread (the server stays responsive), with the reference
 * data as of each event's time. No cap on the range; cancelled through `signal`.
 */
import type { Store } from '../../sql/store.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { DatedReference } from '../../streams/engine/replay.js';
import type { BacktestResult, ResolvedFinding } from '../../streams/engine/replay.js';
import { ReferenceIndex } from '../../streams/reference/index.js';
import { matterMatches } from '../../streams/rules/common.js';
import type { ReferenceVersion } from '../../sql/queries/reference.js';
import { replayStored } from './run.js';

export interface BacktestRun {
  store: Store;
  def: IndicatorDef;
  range: { from: number; to: number };
  /** A bureau leader's backtest reads their bureau's events only. */
  bureau: string | null;
  /** Every stored version by validity start, and the one in force now (for events no dated version covers). */
  references: readonly ReferenceVersion[];
  current: DatedReference;
  /** The indicator's resolved tasks in the range (the closed loop the result is scored against). */
  findings?: ResolvedFinding[];
  signal?: AbortSignal;
  onProgress?: (eventsScanned: number) => void;
}

/**
 * Rows per page read from ClickHouse. The main thread decodes each page and copies it to the worker,
 * a step that holds the event loop for its length: at 20,000 rows a page, health's p99 during a
 * backtest was ~300 ms (npm run bench -- backtest); a quarter of that keeps each step short for a
 * few more queries.
 */
export const BACKTEST_PAGE = 5_000;

export type BacktestOutcome = { ok: true; events: number; result: BacktestResult } | { ok: false; reason: string };

/** Matter codes the definition's filter passes in any reference version; undefined when it passes every matter (unknown ones included). */
export function matterCodesOf(def: IndicatorDef, refs: readonly ReferenceVersion[]): string[] | undefined {
  const f = def.matters;
  if (f.categories === undefined && f.power === undefined && f.platforms === undefined && f.auto === undefined && f.tags === undefined) return f.codes;
  const codes = new Set<string>();
  for (const v of refs) {
    const ix = new ReferenceIndex(v.data, v.version);
    for (const m of v.data.matters) if (matterMatches(f, m.code, ix)) codes.add(m.code);
  }
  return [...codes];
}

/**
 * The versions a replay judges by: each from its validity start; before the first of them, the
 * version in force now (with no dated history, history is judged by today's reference data).
 */
export function datedReferences(versions: readonly ReferenceVersion[], current: DatedReference): DatedReference[] {
  return [{ ...current, validFrom: -Infinity }, ...versions.map((v) => ({ validFrom: v.valid_from ?? v.created_at, version: v.version, data: v.data }))];
}

export async function runBacktest(b: BacktestRun): Promise<BacktestOutcome> {
  const refs = datedReferences(b.references, b.current);
  const def = { ...b.def, enabled: true };
  const out = await replayStored({
    store: b.store,
    filter: { from: b.range.from, to: b.range.to, actions: def.actions, matters: matterCodesOf(def, b.references), bureau: b.bureau },
    init: { catalog: [def], refs, mode: 'tally', range: b.range, findings: b.findings ?? [] },
    end: b.range.to,
    signal: b.signal,
    onProgress: b.onProgress,
    pageSize: BACKTEST_PAGE,
  });
  if (!out.ok) return out;
  return { ok: true, events: out.events, result: out.result! };
}
