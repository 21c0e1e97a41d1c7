/**
 * Verifiable draws (docs/draws.md). Pure: no I/O, used by the server's verify endpoint and by the
 * offline verifier (scripts/verify.ts) alike.
 *
 * Before a draw the server appends a `draw_commit` record to the audit chain holding everything the
 * draw depends on except the seed: the task, the reference data version, the subject, the evidence
 * officers, the candidates' open-task loads. The seed is then derived from that record's place in
 * the chain — sha256("draw-seed-v1\n" + prev_hash + "\n" + task id), first 128 bits — so nobody
 * picks it. Verification re-derives the candidate list from the reference data version the commit
 * names (eligibility rules of streams/workflow/assignment.ts), not from the stored list.
 */
import { createHash } from 'node:crypto';
import { auditHash, type AuditRecord } from '../audit/hash.js';
import { ASSIGNMENT_ALGORITHM, draw, eligibleCandidates, neededLevel } from './assignment.js';
import type { Officer, Severity } from '../types.js';

export const DRAW_EXPORT_FORMAT = 'integrity-monitor/draw-export-v1';
export const DRAW_COMMIT_ACTION = 'draw_commit';

export function deriveDrawSeed(chainHead: string, taskId: string): string {
  return createHash('sha256').update(`draw-seed-v1\n${chainHead}\n${taskId}`).digest('hex').slice(0, 32);
}

/** What the commit record holds (its `details`). */
export interface DrawCommitDetails {
  draw: string; task: string; algorithm: string; reference_version: number;
  subject: string | null; alert_bureau: string | null; severity: Severity; matter: string | null;
  evidence_officers: string[]; loads: Record<string, number>;
}

export interface StoredDraw {
  id: string; task_id: string; algorithm: string; seed: string; needed_level: number; candidates: string[]; levels: number[]; loads: number[];
  weights: number[]; pick: string; pick_index: number; commit_seq: number; reference_version: number;
}

/** A self-contained draw: everything the offline verifier needs. */
export interface DrawExport {
  format: string;
  task: { id: string; assignee: string | null; override: boolean; draw_id: string | null };
  draw: StoredDraw;
  commit: AuditRecord | null;
  reference: { version: number; officers: Officer[]; matters: { code: string; difficulty: number }[] };
}

export interface DrawCheck { name: string; ok: boolean; detail?: string }
export interface DrawVerification {
  draw: string; ok: boolean; checks: DrawCheck[];
  derived_candidates: string[]; missing: string[]; unexpected: string[]; seed: string | null; recomputed_pick: string | null;
}

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function verifyDrawExport(x: DrawExport): DrawVerification {
  const checks: DrawCheck[] = [];
  const check = (name: string, ok: boolean, detail?: string) => { checks.push(ok ? { name, ok } : { name, ok, detail }); return ok; };
  const d = x.draw;
  const out: DrawVerification = { draw: d.id, ok: false, checks, derived_candidates: [], missing: [], unexpected: [], seed: null, recomputed_pick: null };
  check('format', x.format === DRAW_EXPORT_FORMAT, `unknown format ${x.format}`);
  check('algorithm', d.algorithm === ASSIGNMENT_ALGORITHM, `draw uses ${d.algorithm}, this verifier knows ${ASSIGNMENT_ALGORITHM}`);
  const c = x.commit;
  if (!check('commit_present', !!c && d.commit_seq > 0, 'the draw has no commitment in the audit chain (made before commitments existed, or removed)') || !c) return out;
  const { hash, ...body } = c;
  check('commit_hash', auditHash(body) === hash, 'the commit record does not match its hash: it was altered');
  let det: DrawCommitDetails;
  try { det = JSON.parse(c.details) as DrawCommitDetails; } catch { check('commit_details', false, 'the commit record details are not JSON'); return out; }
  check('commit_is_this_draw', c.action === DRAW_COMMIT_ACTION && c.target === `task:${d.task_id}` && det.draw === d.id && det.task === d.task_id && c.seq === d.commit_seq,
    `commit seq ${c.seq} (${c.action} ${c.target}, draw ${det.draw}) is not the commitment of draw ${d.id} of ${d.task_id}`);
  check('reference_version', det.reference_version === d.reference_version && det.reference_version === x.reference.version,
    `commit names reference version ${det.reference_version}, draw ${d.reference_version}, export carries ${x.reference.version}`);
  const seed = deriveDrawSeed(c.prev_hash, d.task_id);
  out.seed = seed;
  check('seed', seed === d.seed, `seed derived from the chain head is ${seed}, the stored seed is ${d.seed}`);

  // The candidate list as the reference data of that version and the documented rules make it.
  const officers = x.reference.officers;
  const subjectBureau = det.subject ? officers.find((o) => o.id === det.subject)?.bureau ?? det.alert_bureau : det.alert_bureau;
  const cands = eligibleCandidates({ officers, subject: det.subject, subjectBureau, evidenceOfficers: new Set(det.evidence_officers) });
  const ids = cands.map((o) => o.id);
  out.derived_candidates = ids;
  out.missing = ids.filter((id) => !d.candidates.includes(id));
  out.unexpected = d.candidates.filter((id) => !ids.includes(id));
  check('candidates', same(ids, d.candidates), `${out.missing.length ? `left out: ${out.missing.join(', ')}` : ''}${out.missing.length && out.unexpected.length ? '; ' : ''}${out.unexpected.length ? `not eligible: ${out.unexpected.join(', ')}` : ''}` || 'order differs');
  const levels = cands.map((o) => o.level);
  const loads = ids.map((id) => det.loads[id] ?? 0);
  check('levels', same(levels, d.levels), 'stored levels differ from the reference data');
  check('loads', same(loads, d.loads), 'stored open-task loads differ from the committed ones');
  const difficulty = det.matter ? x.reference.matters.find((m) => m.code === det.matter)?.difficulty : undefined;
  const needed = neededLevel(det.severity, difficulty);
  check('needed_level', needed === d.needed_level, `needed level is ${needed}, stored ${d.needed_level}`);
  const res = draw({ seed, needed, candidates: ids, levels, loads });
  out.recomputed_pick = res.pick;
  check('weights', same(res.weights, d.weights), 'stored weights differ from the recomputed ones');
  check('pick', (res.pick ?? '') === d.pick && res.pickIndex === d.pick_index, `recomputed pick ${res.pick ?? 'none'}, stored ${d.pick || 'none'}`);
  if (x.task.draw_id === d.id && !x.task.override) check('assignee', (x.task.assignee ?? '') === (res.pick ?? ''), `task assignee ${x.task.assignee ?? 'none'} is not the drawn ${res.pick ?? 'none'}`);
  out.ok = checks.every((k) => k.ok);
  return out;
}
