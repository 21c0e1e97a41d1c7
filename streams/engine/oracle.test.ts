import { describe, expect, it } from 'vitest';
import type { Action, OpEvent } from '../types.js';
import { ReferenceIndex } from '../reference/index.js';
import { coreCatalog, defaultCatalog } from '../catalog/index.js';
import { IndicatorEngine } from './engine.js';
import { smallReference, T0 } from './testing/fixtures.js';
import { FAR, jitter } from './testing/harness.js';
import { oracle } from './testing/oracle.js';

const MIN = 60_000;
const CORE = new Set(coreCatalog.map((d) => d.id));
const ACTIONS: Action[] = ['issue', 'assign', 'accept', 'handle', 'approve', 'reject', 'modify', 'cancel', 'complete', 'feedback'];

function reference(): ReferenceIndex {
  const d = smallReference().data;
  // short standard times so deadlines fall inside the generated span
  return new ReferenceIndex({ ...d, matters: d.matters.map((m) => ({ ...m, standard_hours: m.standard_hours / 24 })) });
}

/** a random stream with many ties, boundary offsets, system and unknown officers */
function randomStream(seed: number): OpEvent[] {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const officers = ['B1-O0', 'B1-O1', 'B1-O4', 'system', 'GHOST'];
  const items = ['I1', 'I2', 'I3', 'I4'].map((id) => ({ id, matter: pick(['RF', 'RD', 'IN', 'FL', 'CN']), tp: pick(['TP1', 'TP2', undefined]) }));
  const n = 20 + Math.floor(r() * 40);
  const out: OpEvent[] = [];
  for (let k = 0; k < n; k++) {
    const it = pick(items);
    const action = r() < 0.15 ? 'issue' : pick(ACTIONS);
    // times on a coarse grid (ties), sometimes ±1 ms, spread over ~3 days, starting 07:00 local
    const base = T0 - 2 * 60 * MIN + Math.floor(r() * 300) * 15 * MIN;
    const ts = base + pick([0, 0, 0, 1, -1, 60 * MIN, 24 * 60 * MIN]);
    const e: OpEvent = { id: `e${String(k).padStart(3, '0')}`, ts, platform: 'collection', bureau: 'B1', officer: pick(officers), matter: it.matter, item: it.id, action };
    if (it.tp) e.taxpayer = it.tp;
    if (r() < 0.5) e.amount = pick([0, 500, 1000, 1000.01, 5000, 30_000, 2e6]);
    if (action === 'assign') e.attrs = { mode: pick(['manual', 'random']) };
    out.push(e);
  }
  return out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

/** dense streams for the counting rules: cancels/modifies within hours, or accepts over months */
function burstStream(seed: number): OpEvent[] {
  let s = seed * 7919;
  const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const out: OpEvent[] = [];
  const months = seed % 2 === 0;
  const n = 15 + Math.floor(r() * 25);
  // all events of an item share its matter (events.md)
  const items = ['J1', 'J2', 'J3', 'J4', 'J5', 'J6'].map((id) => ({ id, matter: months ? pick(['IN', 'IN', 'RF']) : pick(['FL', 'FL', 'RF']) }));
  for (let k = 0; k < n; k++) {
    const it = pick(items);
    const ts = months
      ? T0 + Math.floor(r() * 9) * 10 * 86_400_000 + pick([0, 0, 1, -1, 90 * 86_400_000]) // spans < 180 d: inside the state bounds
      : T0 + Math.floor(r() * 24) * 15 * MIN + pick([0, 0, 1, -1, 60 * MIN, 24 * 60 * MIN]);
    const e: OpEvent = {
      id: `b${String(k).padStart(3, '0')}`, ts, platform: 'collection', bureau: 'B1',
      officer: pick(['B1-O1', 'B1-O2', 'system']), matter: it.matter, item: it.id,
      action: months ? pick(['accept', 'accept', 'issue', 'complete'] as Action[]) : pick(['cancel', 'modify', 'modify', 'complete'] as Action[]),
    };
    const tp = pick(['TP1', 'TP1', 'TP2', undefined]);
    if (tp) e.taxpayer = tp;
    out.push(e);
  }
  return out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

const key = (a: { indicator: string; evidence: string[]; officer: string | null }) => `${a.indicator} ${a.evidence.join(',')} ${a.officer}`;

function engineCore(events: OpEvent[], ref: ReferenceIndex, catalog = coreCatalog): string[] {
  const eng = new IndicatorEngine(catalog, ref, { latenessMs: 5000, idleMs: 2000 });
  const out = events.flatMap((e) => eng.onEvent(e, e.ts));
  out.push(...eng.onTick(FAR));
  return out.filter((a) => CORE.has(a.indicator)).map(key).sort();
}

describe('engine against a brute-force reading of the core table', () => {
  it('what it does on 700 random streams (ties, ±1 ms and exact window boundaries, system and unknown officers): the same core alerts and subjects', () => {
    const ref = reference();
    let nonEmpty = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const events = randomStream(seed);
      const want = oracle(events, ref).map(key).sort();
      if (want.length) nonEmpty++;
      expect(engineCore(events, ref), `seed ${seed}`).toEqual(want);
    }
    expect(nonEmpty).toBeGreaterThan(300);
    for (let seed = 1; seed <= 300; seed++) {
      const events = burstStream(seed);
      expect(engineCore(events, ref), `burst seed ${seed}`).toEqual(oracle(events, ref).map(key).sort());
    }
    // every core indicator is exercised
    const seen = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) for (const a of oracle(randomStream(seed), ref)) seen.add(a.indicator);
    for (let seed = 1; seed <= 300; seed++) for (const a of oracle(burstStream(seed), ref)) seen.add(a.indicator);
    expect([...seen].sort()).toEqual([...CORE].sort());
  });

  it('what it does with the full catalog and arrival shuffled within the lateness: the same core alerts', () => {
    const ref = reference();
    for (let seed = 401; seed <= 460; seed++) {
      const events = randomStream(seed);
      const want = oracle(events, ref).map(key).sort();
      expect(engineCore(jitter(events, 4999, seed), ref, defaultCatalog), `seed ${seed}`).toEqual(want);
    }
  });
});
