/**
 * Random weighted assignment of risk tasks (workflow.md, docs/workflow.md). Pure: no I/O.
 *
 * needed level  L = clamp(matter.difficulty + SEVERITY_BUMP[severity], 1, 5)   (unknown matter: difficulty 3)
 * weight        w = 0                                   if level < L
 *               w = 1 / ((1 + (level − L)) · (1 + open)) otherwise
 * where `open` is the candidate's number of unfinished tasks (assigned or investigating).
 * The pick: r = rng.next() · Σw; the first candidate (in candidate-id order) whose cumulative
 * weight exceeds r.
 */
import type { Officer, Severity } from '../types.js';
import { DrawRng, PRNG_ALGORITHM } from './prng.js';

export const ASSIGNMENT_ALGORITHM = `weighted-v1/${PRNG_ALGORITHM}`;
export const SEVERITY_BUMP: Record<Severity, number> = { low: -1, medium: 0, high: 1, critical: 2 };

export function neededLevel(severity: Severity, matterDifficulty: number | undefined): number {
  const d = matterDifficulty ?? 3;
  return Math.min(5, Math.max(1, d + SEVERITY_BUMP[severity]));
}

export interface EligibilityInput {
  officers: readonly Officer[];
  subject: string | null;
  /** The subject's bureau (reference data, else the alert's bureau). */
  subjectBureau: string | null;
  /** Officers who acted on any evidence event. */
  evidenceOfficers: ReadonlySet<string>;
}

export type Exclusion = 'not_discipline' | 'inactive' | 'subject' | 'same_bureau' | 'handled_evidence';

/** Why an officer may not take the task, or null when eligible. */
export function exclusionOf(o: Officer, input: EligibilityInput): Exclusion | null {
  if (o.role !== 'discipline') return 'not_discipline';
  if (o.active === false) return 'inactive';
  if (input.subject && o.id === input.subject) return 'subject';
  if (input.subjectBureau && o.bureau === input.subjectBureau) return 'same_bureau';
  if (input.evidenceOfficers.has(o.id)) return 'handled_evidence';
  return null;
}

/** Eligible candidates, sorted by id (the draw's fixed order). */
export function eligibleCandidates(input: EligibilityInput): Officer[] {
  return input.officers.filter((o) => exclusionOf(o, input) === null).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function candidateWeight(level: number, needed: number, openTasks: number): number {
  if (level < needed) return 0;
  return 1 / ((1 + (level - needed)) * (1 + Math.max(0, openTasks)));
}

/** Index picked with the given weights, or -1 when all are zero. */
export function weightedPick(weights: readonly number[], rng: DrawRng): number {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return -1;
  const r = rng.next() * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! <= 0) continue;
    acc += weights[i]!;
    last = i;
    if (r < acc) return i;
  }
  return last;
}

export interface DrawInput { seed: string; needed: number; candidates: readonly string[]; levels: readonly number[]; loads: readonly number[] }
export interface DrawResult { weights: number[]; pickIndex: number; pick: string | null }

/** The whole draw from its stored inputs: weights, then the weighted pick. Same inputs, same result. */
export function draw(input: DrawInput): DrawResult {
  const weights = input.candidates.map((_, i) => candidateWeight(input.levels[i]!, input.needed, input.loads[i]!));
  const pickIndex = weightedPick(weights, new DrawRng(input.seed));
  return { weights, pickIndex, pick: pickIndex >= 0 ? input.candidates[pickIndex]! : null };
}
