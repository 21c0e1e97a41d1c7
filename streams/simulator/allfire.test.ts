/**
 * The simulator's planted patterns against the real catalog and the real engine: a 30-day history
 * fires every indicator (the API-level run over the default volume is `npm run bench -- allfire`).
 */
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/index.js';
import { defaultReference } from '../reference/default-data.js';
import { ReferenceIndex } from '../reference/index.js';
import { IndicatorEngine } from '../engine/engine.js';
import type { Alert } from '../types.js';
import { generateHistoryDetailed } from './generator.js';
import { DAY } from './worktime.js';

const FROM = Date.parse('2026-09-14T00:00:00+08:00'); // across the 2026 National Day holiday and its make-up Saturday

function run(plantsPer30Days?: number) {
  const h = generateHistoryDetailed({ reference: defaultReference, from: FROM, days: 30, seed: 3, itemsPerDay: 150, plantsPer30Days });
  const eng = new IndicatorEngine(defaultCatalog, new ReferenceIndex(defaultReference, 1), { latenessMs: 5000, idleMs: 2000 });
  const alerts: Alert[] = [];
  for (const e of h.events) alerts.push(...eng.onEvent(e, e.ts));
  alerts.push(...eng.onTick(FROM + 31 * DAY));
  const hits = new Map<string, number>();
  for (const a of alerts) hits.set(a.indicator, (hits.get(a.indicator) ?? 0) + 1);
  return { h, alerts, hits };
}

describe('a 30-day simulation with the catalog planted', () => {
  it('what the engine raises over it: every one of the 109 indicators, alerts a small share of events', { timeout: 180_000 }, () => {
    const { h, alerts, hits } = run();
    expect(h.stats.unplanted).toEqual([]);
    expect(defaultCatalog).toHaveLength(109);
    expect(defaultCatalog.filter((d) => !hits.get(d.id)).map((d) => d.id)).toEqual([]);
    expect((1000 * alerts.length) / h.events.length).toBeLessThan(40);
  });

  it('what it raises without the plants (control): far fewer indicators fire', { timeout: 180_000 }, () => {
    const { hits } = run(0);
    expect(hits.size).toBeLessThan(80);
  });
});
