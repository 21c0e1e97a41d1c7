/** Drive an engine with a subset of the default catalog in tests. */
import type { Alert, OpEvent } from '../../types.js';
import type { ReferenceIndex } from '../../reference/index.js';
import type { IndicatorDef } from '../../catalog/types.js';
import { defaultCatalog } from '../../catalog/index.js';
import { IndicatorEngine } from '../engine.js';
import { smallReference } from './fixtures.js';

export const FAR = Date.parse('2035-01-01T00:00:00Z');

export function defsOf(...ids: string[]): IndicatorDef[] {
  return ids.map((id) => { const d = defaultCatalog.find((x) => x.id === id); if (!d) throw new Error(id); return d; });
}

export function engineFor(ids: string[] | IndicatorDef[], ref: ReferenceIndex = smallReference(), cfg = { latenessMs: 5000, idleMs: 2000 }): IndicatorEngine {
  const defs = typeof ids[0] === 'string' ? defsOf(...(ids as string[])) : (ids as IndicatorDef[]);
  return new IndicatorEngine(defs, ref, cfg);
}

/** Feed events in the given order (each arriving at its own ts), then let the clock run far ahead. */
export function run(ids: string[] | IndicatorDef[], events: OpEvent[], ref?: ReferenceIndex): Alert[] {
  const eng = engineFor(ids, ref);
  const out: Alert[] = [];
  for (const e of events) out.push(...eng.onEvent(e, e.ts));
  out.push(...eng.onTick(FAR));
  return out;
}

/** evidence lists of the alerts of one indicator */
export function evidence(alerts: Alert[], indicator?: string): string[][] {
  return alerts.filter((a) => !indicator || a.indicator === indicator).map((a) => a.evidence);
}

/** shuffle within a window: arrival order by ts + jitter < maxJitter (deterministic) */
export function jitter(events: OpEvent[], maxJitter: number, seed = 1): OpEvent[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return events.map((e) => ({ e, k: e.ts + rnd() * maxJitter })).sort((a, b) => a.k - b.k).map((x) => x.e);
}
