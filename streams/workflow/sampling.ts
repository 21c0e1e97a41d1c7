/**
 * Sampling review (workflow.md): 10 % of the items completed in a period, stratified by bureau,
 * and the reviewers of each sampled item. Pure: no I/O.
 *
 * Per bureau b with N_b completed items the sample size is n_b = ceil(rate · N_b) (so every bureau
 * with completed work gets at least one review). The items of a bureau are sorted by id and
 * n_b are taken by a partial Fisher–Yates shuffle driven by DrawRng(deriveSeed(seed, b)).
 *
 * Algorithm v2 (issue 13 point 7): the strata are bureau × handling. Items a person acted on form
 * the stratum `B02` and are sampled at the draw's rate (10 %); items only the system touched form
 * `B02/system` and are a separate, smaller audit sample at SYSTEM_AUDIT_RATE (2 %, still at least
 * one per stratum with items). A review's integrity suspicion is about a person, so the 10 % that
 * counts in performance is drawn from human work only. v1 draws (every item in its bureau's stratum
 * at the draw's rate) still verify with v1.
 */
import type { Officer } from '../types.js';
import { DrawRng, deriveSeed, PRNG_ALGORITHM } from './prng.js';

export const SAMPLING_ALGORITHM_V1 = `ceil-stratified-v1/${PRNG_ALGORITHM}`;
export const SAMPLING_ALGORITHM = `ceil-stratified-v2/${PRNG_ALGORITHM}`;
export const SAMPLING_ALGORITHMS: readonly string[] = [SAMPLING_ALGORITHM_V1, SAMPLING_ALGORITHM];
/** v2: the rate of the strata of items only the system touched. */
export const SYSTEM_AUDIT_RATE = 0.02;
const SYSTEM_SUFFIX = '/system';

/** The stratum of an item: its bureau, and under v2 `bureau/system` when no person acted on it. */
export function stratumOf(bureau: string, humanHandled: boolean, algorithm: string = SAMPLING_ALGORITHM): string {
  return algorithm === SAMPLING_ALGORITHM_V1 || humanHandled ? bureau : `${bureau}${SYSTEM_SUFFIX}`;
}
export const isSystemStratum = (stratum: string) => stratum.endsWith(SYSTEM_SUFFIX);
/** The bureau a stratum's items belong to. */
export const stratumBureau = (stratum: string) => (isSystemStratum(stratum) ? stratum.slice(0, -SYSTEM_SUFFIX.length) : stratum);
export function stratumRate(stratum: string, rate: number, algorithm: string = SAMPLING_ALGORITHM): number {
  return algorithm !== SAMPLING_ALGORITHM_V1 && isSystemStratum(stratum) ? SYSTEM_AUDIT_RATE : rate;
}
export const REVIEWER_ROLES: readonly Officer['role'][] = ['tax', 'leader', 'discipline'];
export const REVIEWER_MIN_LEVEL = 3;

export function sampleSize(population: number, rate: number): number {
  if (population <= 0) return 0;
  return Math.min(population, Math.ceil(population * rate - 1e-9));
}

/** Picks k of the ids (sorted first) with a partial Fisher–Yates shuffle. */
export function pickK(ids: readonly string[], k: number, rng: DrawRng): string[] {
  const a = [...ids].sort();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n).sort();
}

/** `bureau` is the stratum key (v2: `B02` or `B02/system`, see stratumOf). */
export interface Stratum { bureau: string; population: number; sample: string[] }

/** items: item id → its stratum (stratumOf). */
export function stratifiedSample(items: ReadonlyMap<string, string>, rate: number, seed: string, algorithm: string = SAMPLING_ALGORITHM): Stratum[] {
  const byBureau = new Map<string, string[]>();
  for (const [item, bureau] of items) {
    const l = byBureau.get(bureau);
    if (l) l.push(item); else byBureau.set(bureau, [item]);
  }
  return [...byBureau.keys()].sort().map((bureau) => {
    const ids = byBureau.get(bureau)!;
    return { bureau, population: ids.length, sample: pickK(ids, sampleSize(ids.length, stratumRate(bureau, rate, algorithm)), new DrawRng(deriveSeed(seed, `bureau:${bureau}`))) };
  });
}

export interface ReviewerInput {
  officers: readonly Officer[];
  itemBureau: string;
  /** Every officer who acted on the item. */
  handlers: ReadonlySet<string>;
  /** Already chosen for this review (a third reviewer must differ from the first two). */
  exclude?: ReadonlySet<string>;
}

export function eligibleReviewers(input: ReviewerInput): Officer[] {
  return input.officers
    .filter((o) => o.active !== false && REVIEWER_ROLES.includes(o.role) && o.level >= REVIEWER_MIN_LEVEL
      && o.bureau !== input.itemBureau && !input.handlers.has(o.id) && !input.exclude?.has(o.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** k distinct reviewers drawn uniformly from the eligible ones (fewer if not enough). */
export function pickReviewers(input: ReviewerInput, k: number, seed: string): string[] {
  return pickK(eligibleReviewers(input).map((o) => o.id), k, new DrawRng(seed));
}

export type ReviewOutcome = 'compliant' | 'non_compliant' | 'integrity_suspicion';
export type ReviewAspect = 'process' | 'policy' | 'fairness';
export interface Submission { reviewer: string; outcome: ReviewOutcome; aspect: ReviewAspect | null; note: string; at: number }

/**
 * The decision of a review from its submissions: a cross review decides with its one submission;
 * a joint review decides when both agree (same outcome and aspect); if they disagree a third
 * reviewer is needed, whose submission decides.
 */
export function decide(kind: 'cross' | 'joint', reviewers: readonly string[], subs: readonly Submission[]):
  { state: 'pending' } | { state: 'needs_third' } | { state: 'decided'; outcome: ReviewOutcome; aspect: ReviewAspect | null } {
  const by = new Map(subs.map((s) => [s.reviewer, s]));
  if (kind === 'cross') {
    const s = by.get(reviewers[0]!);
    return s ? { state: 'decided', outcome: s.outcome, aspect: s.aspect } : { state: 'pending' };
  }
  const [a, b] = [by.get(reviewers[0]!), by.get(reviewers[1]!)];
  if (!a || !b) return { state: 'pending' };
  if (a.outcome === b.outcome && a.aspect === b.aspect) return { state: 'decided', outcome: a.outcome, aspect: a.aspect };
  const third = reviewers[2] ? by.get(reviewers[2]) : undefined;
  if (!third) return { state: 'needs_third' };
  return { state: 'decided', outcome: third.outcome, aspect: third.aspect };
}
