/**
 * Verifiable sampling-review draws (docs/draws.md, "Review draws"). Pure: no I/O, used by the
 * server's verify endpoint and by the offline verifier (scripts/verify.ts) alike.
 *
 * Before a review draw the server appends a `review_draw_commit` record to the audit chain with
 * everything the draw depends on except the seed: the period, the rate, the reference data version,
 * the arrival sequence of the newest stored event (the population is the items completed in the
 * period among the events stored up to it), and the population itself as a count per bureau and a
 * SHA-256 over its sorted `item\tbureau` lines. The seed is derived from that record's place in the
 * chain — sha256("review-draw-seed-v1\n" + prev_hash + "\n" + draw id), first 128 bits — so nobody
 * picks it. Verification checks the population against the commitment (and, on the server, against
 * the population re-derived from the stored events), recomputes the stratified sample and each
 * item's reviewers from the reference data version the commit names.
 */
import { createHash } from 'node:crypto';
import { auditHash, type AuditRecord } from '../audit/hash.js';
import { deriveSeed } from './prng.js';
import { SAMPLING_ALGORITHMS, SAMPLING_ALGORITHM_V1, isSystemStratum, pickReviewers, stratifiedSample, stratumBureau } from './sampling.js';
import type { Officer } from '../types.js';

export const REVIEW_DRAW_EXPORT_FORMAT = 'integrity-monitor/review-draw-export-v1';
export const REVIEW_DRAW_COMMIT_ACTION = 'review_draw_commit';

export function deriveReviewDrawSeed(chainHead: string, drawId: string): string {
  return createHash('sha256').update(`review-draw-seed-v1\n${chainHead}\n${drawId}`).digest('hex').slice(0, 32);
}

/** [item, stratum] pairs sorted by item: the canonical population (the stratum: the bureau, v2 `bureau/system` for items only the system touched). */
export type Population = [string, string][];

export function canonicalPopulation(items: ReadonlyMap<string, string>): Population {
  return [...items].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function populationDigest(pop: Population): string {
  const h = createHash('sha256');
  for (const [item, bureau] of pop) h.update(`${item}\t${bureau}\n`);
  return h.digest('hex');
}

export function populationStrata(pop: Population): { bureau: string; population: number }[] {
  const n = new Map<string, number>();
  for (const [, b] of pop) n.set(b, (n.get(b) ?? 0) + 1);
  return [...n.keys()].sort().map((bureau) => ({ bureau, population: n.get(bureau)! }));
}

/** What the commit record holds (its `details`). */
export interface ReviewDrawCommitDetails {
  draw: string; algorithm: string; rate: number; from: string; to: string; reference_version: number;
  /** Arrival sequence of the newest stored event at the commit: the population is read from events up to it. */
  events_seq: number;
  population: number; population_sha256: string; strata: { bureau: string; population: number }[];
}

export interface ReviewDrawExport {
  format: string;
  draw: { id: string; algorithm: string; seed: string; rate: number; from: string; to: string; items: string[]; commit_seq: number; reference_version: number };
  commit: AuditRecord | null;
  population: Population;
  /** The reviews the draw created: the reviewers first drawn (a third reviewer, drawn later on disagreement, is not part of the draw). */
  reviews: { item: string; bureau: string; matter: string; kind: string; handlers: string[]; reviewers: string[] }[];
  reference: { version: number; officers: Officer[]; matters: { code: string; power: boolean }[] };
}

export interface ReviewDrawCheck { name: string; ok: boolean; detail?: string }
export interface ReviewDrawVerification {
  draw: string; ok: boolean; checks: ReviewDrawCheck[]; seed: string | null;
  /** Items the re-derived population has and the stored one lacks (left out), and the reverse. */
  missing: string[]; unexpected: string[]; recomputed_items: string[];
}

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const list = (xs: readonly string[], n = 5) => `${xs.slice(0, n).join(', ')}${xs.length > n ? ` and ${xs.length - n} more` : ''}`;

/**
 * Checks an exported review draw. `rederived`, when given (the server), is the population as the
 * stored events make it: the stored population must equal it, so an item left out of both the
 * stored list and the commitment is still found.
 */
export function verifyReviewDrawExport(x: ReviewDrawExport, rederived?: Population): ReviewDrawVerification {
  const checks: ReviewDrawCheck[] = [];
  const check = (name: string, ok: boolean, detail?: string) => { checks.push(ok ? { name, ok } : { name, ok, detail }); return ok; };
  const d = x.draw;
  const out: ReviewDrawVerification = { draw: d.id, ok: false, checks, seed: null, missing: [], unexpected: [], recomputed_items: [] };
  check('format', x.format === REVIEW_DRAW_EXPORT_FORMAT, `unknown format ${x.format}`);
  check('algorithm', SAMPLING_ALGORITHMS.includes(d.algorithm), `draw uses ${d.algorithm}, this verifier knows ${SAMPLING_ALGORITHMS.join(', ')}`);
  const c = x.commit;
  if (!check('commit_present', !!c && d.commit_seq > 0, 'the draw has no commitment in the audit chain (made before commitments existed, or removed)') || !c) return out;
  const { hash, ...body } = c;
  check('commit_hash', auditHash(body) === hash, 'the commit record does not match its hash: it was altered');
  let det: ReviewDrawCommitDetails;
  try { det = JSON.parse(c.details) as ReviewDrawCommitDetails; } catch { check('commit_details', false, 'the commit record details are not JSON'); return out; }
  check('commit_is_this_draw', c.action === REVIEW_DRAW_COMMIT_ACTION && c.target === `review_draw:${d.id}` && det.draw === d.id && c.seq === d.commit_seq,
    `commit seq ${c.seq} (${c.action} ${c.target}) is not the commitment of review draw ${d.id}`);
  check('period', det.from === d.from && det.to === d.to && det.rate === d.rate, `commit names ${det.from}–${det.to} at ${det.rate}, the draw ${d.from}–${d.to} at ${d.rate}`);
  check('reference_version', det.reference_version === d.reference_version && det.reference_version === x.reference.version,
    `commit names reference version ${det.reference_version}, draw ${d.reference_version}, export carries ${x.reference.version}`);
  const seed = deriveReviewDrawSeed(c.prev_hash, d.id);
  out.seed = seed;
  check('seed', seed === d.seed, `seed derived from the chain head is ${seed}, the stored seed is ${d.seed}`);

  const pop = canonicalPopulation(new Map(x.population));
  check('population_committed', pop.length === det.population && populationDigest(pop) === det.population_sha256 && JSON.stringify(populationStrata(pop)) === JSON.stringify(det.strata),
    `the population (${pop.length} items) does not match the committed one (${det.population} items, sha256 ${det.population_sha256.slice(0, 12)}…)`);
  if (rederived) {
    const have = new Set(pop.map(([i]) => i));
    const want = canonicalPopulation(new Map(rederived));
    const wantIds = new Set(want.map(([i]) => i));
    out.missing = want.map(([i]) => i).filter((i) => !have.has(i));
    out.unexpected = pop.map(([i]) => i).filter((i) => !wantIds.has(i));
    check('population_rederived', populationDigest(want) === populationDigest(pop),
      [out.missing.length ? `left out: ${list(out.missing)}` : '', out.unexpected.length ? `not eligible: ${list(out.unexpected)}` : ''].filter(Boolean).join('; ') || 'bureaus differ');
  }
  const strata = stratifiedSample(new Map(pop), d.rate, seed, d.algorithm);
  out.recomputed_items = strata.flatMap((s) => s.sample);
  check('sample', same([...out.recomputed_items].sort(), [...d.items].sort()), `recomputed sample (${out.recomputed_items.length} items) differs from the stored one (${d.items.length})`);

  const power = new Map(x.reference.matters.map((m) => [m.code, m.power]));
  const byItem = new Map(x.reviews.map((r) => [r.item, r]));
  const bad: string[] = [];
  for (const s of strata) {
    for (const item of s.sample) {
      const r = byItem.get(item);
      if (!r) { bad.push(`${item}: no review`); continue; }
      const joint = power.get(r.matter) === true;
      const want = pickReviewers({ officers: x.reference.officers, itemBureau: stratumBureau(s.bureau), handlers: new Set(r.handlers) }, joint ? 2 : 1, deriveSeed(seed, `review:${item}`));
      if (r.kind !== (joint ? 'joint' : 'cross') || !same(r.reviewers.slice(0, want.length), want)) bad.push(`${item}: reviewers ${r.reviewers.join('+') || 'none'}, recomputed ${want.join('+') || 'none'}`);
      // v2: the audit strata hold items no person acted on, the others items a person did
      if (d.algorithm !== SAMPLING_ALGORITHM_V1 && isSystemStratum(s.bureau) !== (r.handlers.length === 0)) bad.push(`${item}: in stratum ${s.bureau} with handlers ${r.handlers.join('+') || 'none'}`);
    }
  }
  check('reviewers', bad.length === 0, list(bad, 3));
  out.ok = checks.every((k) => k.ok);
  return out;
}
