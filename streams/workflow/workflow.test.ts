import { describe, expect, it } from 'vitest';
import { DrawRng, deriveSeed } from './prng.js';
import { candidateWeight, draw, eligibleCandidates, exclusionOf, neededLevel, weightedPick, type EligibilityInput } from './assignment.js';
import { SAMPLING_ALGORITHM_V1, decide, eligibleReviewers, pickReviewers, sampleSize, stratifiedSample, stratumBureau, stratumOf } from './sampling.js';
import { deadlineFor, isOverdue, transition } from './tasks.js';
import { defaultReference } from '../reference/default-data.js';
import type { Officer } from '../types.js';

describe('DrawRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new DrawRng('00ff'), b = new DrawRng('00ff'), c = new DrawRng('00fe');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
  it('is roughly uniform', () => {
    const r = new DrawRng('1234abcd');
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(r.next() * 10)]++;
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
  it('derives distinct sub-seeds', () => {
    expect(deriveSeed('ab', 'x')).toBe(deriveSeed('ab', 'x'));
    expect(deriveSeed('ab', 'x')).not.toBe(deriveSeed('ab', 'y'));
  });
});

describe('assignment', () => {
  const officers = defaultReference.officers;
  it('needed level from severity and difficulty', () => {
    expect(neededLevel('medium', 3)).toBe(3);
    expect(neededLevel('critical', 4)).toBe(5);
    expect(neededLevel('low', 1)).toBe(1);
    expect(neededLevel('high', undefined)).toBe(4);
  });
  it('weights: zero below the level, higher for a closer match, lower for more load', () => {
    expect(candidateWeight(2, 3, 0)).toBe(0);
    expect(candidateWeight(3, 3, 0)).toBe(1);
    expect(candidateWeight(4, 3, 0)).toBe(0.5);
    expect(candidateWeight(3, 3, 1)).toBe(0.5);
    expect(candidateWeight(5, 3, 2)).toBeCloseTo(1 / 9);
  });

  it('never picks an ineligible officer (property, 5,000 random draws)', () => {
    const r = new DrawRng('5eed0001');
    const taxOfficers = officers.filter((o) => o.role === 'tax');
    for (let k = 0; k < 5000; k++) {
      const subject = taxOfficers[r.int(taxOfficers.length)]!;
      // Random evidence handlers, sometimes including discipline officers themselves.
      const evidence = new Set<string>();
      for (let j = 0; j < 1 + r.int(4); j++) evidence.add(officers[r.int(officers.length)]!.id);
      const roster: Officer[] = officers.map((o) => (r.next() < 0.05 ? { ...o, active: false } : o));
      const input: EligibilityInput = { officers: roster, subject: subject.id, subjectBureau: subject.bureau, evidenceOfficers: evidence };
      const cands = eligibleCandidates(input);
      const needed = 1 + r.int(5);
      const loads = cands.map(() => r.int(6));
      const seed = r.nextU32().toString(16);
      const res = draw({ seed, needed, candidates: cands.map((c) => c.id), levels: cands.map((c) => c.level), loads });
      if (res.pick === null) {
        expect(res.weights.every((w) => w === 0)).toBe(true);
        continue;
      }
      const o = roster.find((x) => x.id === res.pick)!;
      expect(exclusionOf(o, input)).toBeNull();
      expect(o.role).toBe('discipline');
      expect(o.id).not.toBe(subject.id);
      expect(o.bureau).not.toBe(subject.bureau);
      expect(evidence.has(o.id)).toBe(false);
      expect(o.level).toBeGreaterThanOrEqual(needed);
    }
  });

  it('follows the weights (chi-square, fixed seed)', () => {
    const weights = [1, 0.5, 0, 1 / 3, 0.25, 1];
    const total = weights.reduce((s, w) => s + w, 0);
    const rng = new DrawRng('c0ffee00');
    const N = 200_000;
    const counts = new Array(weights.length).fill(0);
    for (let i = 0; i < N; i++) counts[weightedPick(weights, rng)]++;
    expect(counts[2]).toBe(0);
    let chi = 0;
    weights.forEach((w, i) => { if (w > 0) { const e = (N * w) / total; chi += (counts[i] - e) ** 2 / e; } });
    // 4 degrees of freedom: p = 0.001 critical value is 18.47.
    expect(chi).toBeLessThan(18.47);
  });

  it('recomputes identically from stored inputs', () => {
    const input = { seed: 'deadbeef01', needed: 3, candidates: ['A', 'B', 'C'], levels: [3, 4, 5], loads: [2, 0, 1] };
    expect(draw(input)).toEqual(draw({ ...input }));
  });
});

describe('sampling', () => {
  it('draws ceil(10 %) per bureau, reproducibly', () => {
    const items = new Map<string, string>();
    const sizes: Record<string, number> = { B01: 25, B02: 10, B03: 1, B04: 0, B05: 99 };
    for (const [b, n] of Object.entries(sizes)) for (let i = 0; i < n; i++) items.set(`${b}-I${i}`, b);
    const s = stratifiedSample(items, 0.1, 'aa55');
    expect(s.map((x) => [x.bureau, x.population, x.sample.length])).toEqual([['B01', 25, 3], ['B02', 10, 1], ['B03', 1, 1], ['B05', 99, 10]]);
    for (const st of s) for (const it of st.sample) expect(items.get(it)).toBe(st.bureau);
    expect(stratifiedSample(items, 0.1, 'aa55')).toEqual(s);
    expect(sampleSize(20, 0.1)).toBe(2);
  });
  it('draws 10 % of the items a person handled and a separate 2 % audit sample of those only the system touched (v2), and v1 draws stay as they were', () => {
    const items = new Map<string, string>();
    for (let i = 0; i < 100; i++) items.set(`B02-H${i}`, stratumOf('B02', true));
    for (let i = 0; i < 100; i++) items.set(`B02-S${i}`, stratumOf('B02', false));
    const s = stratifiedSample(items, 0.1, 'aa55');
    expect(s.map((x) => [x.bureau, x.population, x.sample.length])).toEqual([['B02', 100, 10], ['B02/system', 100, 2]]);
    expect(s[0]!.sample.every((i) => i.includes('-H'))).toBe(true);
    expect(s[1]!.sample.every((i) => i.includes('-S'))).toBe(true);
    expect(stratumBureau('B02/system')).toBe('B02');
    // v1: one stratum per bureau at the draw's rate, whoever handled the items
    const v1 = new Map([...items.keys()].map((i) => [i, stratumOf('B02', i.includes('-H'), SAMPLING_ALGORITHM_V1)]));
    expect(stratifiedSample(v1, 0.1, 'aa55', SAMPLING_ALGORITHM_V1).map((x) => [x.bureau, x.population, x.sample.length])).toEqual([['B02', 200, 20]]);
  });
  it('never assigns a handler or someone of the item bureau', () => {
    const officers = defaultReference.officers;
    const r = new DrawRng('77');
    for (let k = 0; k < 2000; k++) {
      const bureau = `B${String(1 + r.int(21)).padStart(2, '0')}`;
      const handlers = new Set<string>();
      for (let j = 0; j < 3; j++) handlers.add(officers[r.int(officers.length)]!.id);
      const picked = pickReviewers({ officers, itemBureau: bureau, handlers }, 2, r.nextU32().toString(16));
      expect(picked.length).toBe(2);
      expect(new Set(picked).size).toBe(2);
      for (const id of picked) {
        const o = officers.find((x) => x.id === id)!;
        expect(handlers.has(id)).toBe(false);
        expect(o.bureau).not.toBe(bureau);
        expect(o.level).toBeGreaterThanOrEqual(3);
      }
    }
    expect(eligibleReviewers({ officers, itemBureau: 'B01', handlers: new Set() }).every((o) => o.role !== 'analyst')).toBe(true);
  });
  it('decides cross and joint reviews; disagreement needs a third', () => {
    const s = (reviewer: string, outcome: 'compliant' | 'non_compliant', aspect: 'process' | null = null) => ({ reviewer, outcome, aspect, note: '', at: 0 });
    expect(decide('cross', ['A'], [])).toEqual({ state: 'pending' });
    expect(decide('cross', ['A'], [s('A', 'compliant')])).toMatchObject({ state: 'decided', outcome: 'compliant' });
    expect(decide('joint', ['A', 'B'], [s('A', 'compliant')])).toEqual({ state: 'pending' });
    expect(decide('joint', ['A', 'B'], [s('A', 'compliant'), s('B', 'compliant')])).toMatchObject({ state: 'decided' });
    expect(decide('joint', ['A', 'B'], [s('A', 'compliant'), s('B', 'non_compliant', 'process')])).toEqual({ state: 'needs_third' });
    expect(decide('joint', ['A', 'B', 'C'], [s('A', 'compliant'), s('B', 'non_compliant', 'process'), s('C', 'non_compliant', 'process')]))
      .toMatchObject({ state: 'decided', outcome: 'non_compliant', aspect: 'process' });
  });
});

describe('task rules', () => {
  it('deadlines, overdue, transitions', () => {
    expect(deadlineFor(0, 'critical')).toBe(24 * 3600_000);
    expect(isOverdue({ state: 'assigned', deadline: 10 }, 11)).toBe(true);
    expect(isOverdue({ state: 'resolved', deadline: 10 }, 11)).toBe(false);
    expect(transition('open', 'accept')).toMatchObject({ ok: false });
    expect(transition('assigned', 'accept')).toEqual({ ok: true, to: 'investigating' });
    expect(transition('resolved', 'close')).toEqual({ ok: true, to: 'closed' });
  });
});
