/**
 * Optimisations of the hot path must not change a single alert. The same inputs — a simulated
 * month with every indicator planted (in order, and shuffled within the lateness) and the
 * benchmark's synthetic traffic — must give exactly the alerts recorded in
 * `__snapshots__/alerts-digest.json` before the optimisation: per indicator, the number of
 * alerts and a SHA-256 over every alert (id, officer, ts, evidence, item, taxpayer, matter, bureau,
 * message) in id order. A deliberate change to an indicator's definition changes its line only;
 * update with `npx vitest run streams/engine/equivalence.test.ts -u` and say why in the commit.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/index.js';
import { defaultReference } from '../reference/default-data.js';
import { ReferenceIndex } from '../reference/index.js';
import { generateHistoryDetailed } from '../simulator/generator.js';
import type { Alert, OpEvent } from '../types.js';
import { benchEvents, benchReference } from '../../bench/indicators.js';
import { IndicatorEngine } from './engine.js';
import { jitter } from './testing/harness.js';

const DAY = 86_400_000;
const CFG = { latenessMs: 5000, idleMs: 2000 };
const FROM = Date.parse('2026-09-14T00:00:00+08:00');

function runEngine(ref: ReferenceIndex, arrivals: OpEvent[], end: number): Alert[] {
  const eng = new IndicatorEngine(defaultCatalog, ref, CFG);
  const out: Alert[] = [];
  for (const e of arrivals) { const a = eng.onEvent(e, e.ts); for (let i = 0; i < a.length; i++) out.push(a[i]); }
  out.push(...eng.onTick(end));
  return out;
}

/** per indicator: count and a digest of every alert's content, in id order */
function digest(alerts: Alert[]): Record<string, string> {
  const by = new Map<string, Alert[]>();
  for (const a of alerts) (by.get(a.indicator) ?? by.set(a.indicator, []).get(a.indicator)!).push(a);
  const out: Record<string, string> = {};
  for (const id of [...by.keys()].sort()) {
    const list = by.get(id)!.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const h = createHash('sha256');
    for (const a of list) h.update(JSON.stringify([a.id, a.officer, a.ts, a.evidence, a.item, a.taxpayer, a.matter, a.bureau, a.message, a.severity, a.category, a.indicator_version]) + '\n');
    out[id] = `${list.length} ${h.digest('hex').slice(0, 16)}`;
  }
  return out;
}

describe('alerts before and after hot-path optimisations', () => {
  const sim = generateHistoryDetailed({ reference: defaultReference, from: FROM, days: 30, seed: 3, itemsPerDay: 150 });
  const simRef = new ReferenceIndex(defaultReference, 1);
  const simEnd = FROM + 400 * DAY;
  const inOrder = runEngine(simRef, sim.events, simEnd);

  it('what a simulated month with every indicator planted raises: exactly the recorded alerts', { timeout: 180_000 }, async () => {
    expect(new Set(inOrder.map((a) => a.indicator)).size).toBe(defaultCatalog.length); // the input exercises every indicator
    await expect(JSON.stringify(digest(inOrder), null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/alerts-digest.json');
  });

  it('what the same month raises when its arrival order is shuffled within the lateness: the same alerts', { timeout: 180_000 }, () => {
    const shuffled = runEngine(simRef, jitter(sim.events, 4900, 5), simEnd);
    expect(digest(shuffled)).toEqual(digest(inOrder));
  });

  it('what the benchmark traffic raises: exactly the recorded alerts', { timeout: 180_000 }, async () => {
    const refData = benchReference();
    const events = benchEvents(refData, 8_000);
    const alerts = runEngine(new ReferenceIndex(refData), events, events[events.length - 1].ts + 400 * DAY);
    expect(alerts.length).toBeGreaterThan(0);
    await expect(JSON.stringify(digest(alerts), null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/bench-alerts-digest.json');
  });
});
