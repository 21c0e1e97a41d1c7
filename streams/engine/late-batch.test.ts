import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { IndicatorEngine } from './engine.js';
import { coreCatalog } from '../catalog/index.js';
import { ReferenceIndex } from '../reference/index.js';
import type { OpEvent } from '../types.js';

const ref = new ReferenceIndex(JSON.parse(readFileSync(new URL('../../../shared/spec/examples/reference.json', import.meta.url), 'utf8')));
const config = { latenessMs: 5000, idleMs: 2000 };
const T = Date.parse('2026-09-01T01:00:00Z');
const H = 3600_000;
const ev = (id: string, officer: string, action: OpEvent['action'], ts: number, extra: Partial<OpEvent> = {}): OpEvent =>
  ({ id, ts, platform: 'collection', bureau: 'B02', officer, matter: 'RF1', item: 'late-1', action, ...extra });

/** The watermark is far past T, so everything below is late. */
function engineAhead(): IndicatorEngine {
  const e = new IndicatorEngine(coreCatalog, ref, config);
  e.onEvent(ev('ahead', 'B02-T1', 'handle', T + 30 * 24 * H, { item: 'elsewhere' }), 1_000);
  return e;
}

const backfill = [
  ev('l1', 'system', 'issue', T),
  ev('l2', 'B02-T1', 'accept', T + H),
  ev('l3', 'B02-T4', 'approve', T + 2 * H, { amount: 10 }),
  ev('l4', 'B02-T1', 'complete', T + 3 * H, { amount: 10 }),
];

describe('a late (back-filled) batch', () => {
  it('does not judge an item before the rest of its batch is seen: no TSK-01 for an item completed in time', () => {
    const e = engineAhead();
    const raised = backfill.flatMap((x) => e.onEvent(x, 2_000));
    raised.push(...e.onTick(2_001), ...e.onTick(10_000));
    expect(raised.map((a) => a.indicator)).not.toContain('TSK-01');
  });

  it('raises TSK-01 for a late item that was never completed, once the batch is over', () => {
    const e = engineAhead();
    const during = backfill.slice(0, 3).flatMap((x) => e.onEvent(x, 2_000));
    expect(during.map((a) => a.indicator)).not.toContain('TSK-01');
    const after = e.onTick(2_001);
    expect(after.filter((a) => a.indicator === 'TSK-01').map((a) => a.evidence)).toEqual([['l1']]);
  });

  it('decides the waiting time points when the next batch arrives, and keeps them across a snapshot', () => {
    const e = engineAhead();
    backfill.slice(0, 3).forEach((x) => e.onEvent(x, 2_000));
    const restored = IndicatorEngine.restore(JSON.parse(JSON.stringify(e.snapshot())), coreCatalog, ref, config);
    const next = restored.onEvent(ev('n1', 'B02-T1', 'handle', T + 30 * 24 * H + 1, { item: 'elsewhere' }), 3_000);
    expect(next.filter((a) => a.indicator === 'TSK-01').map((a) => a.evidence)).toEqual([['l1']]);
  });
});
