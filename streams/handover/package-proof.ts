/**
 * The evidence package of a handover (docs/handover.md), pure so the offline verifier recomputes it
 * without the server. When a package is produced, the digest of every item in it (each evidence
 * event, each alert, the task, its history) is committed in the audit chain by one `handover_package`
 * record. The package carries that record and the contiguous chain segment from the first record about
 * the task up to it; verification recomputes every digest, every record hash and every link.
 */
import { createHash } from 'node:crypto';
import { auditHash, canonicalJson, type AuditRecord } from '../audit/hash.js';

export const PACKAGE_FORMAT = 'integrity-monitor/evidence-package-v1';

export const digestOf = (v: unknown): string => createHash('sha256').update(canonicalJson(v)).digest('hex');

export interface PackageDigests { task: string; history: string; alerts: Record<string, string>; events: Record<string, string> }

export interface EvidencePackage {
  format: typeof PACKAGE_FORMAT;
  handover: { id: string; task_id: string; case_id: string | null; officer: string; bureau: string; indicator: string; transferred_by: string; created_at: string };
  task: Record<string, unknown>;
  history: unknown[];
  alerts: { id: string; [k: string]: unknown }[];
  events: { id: string; [k: string]: unknown }[];
  /** The `handover_package` record committing the digests, and the chain from the first record about the task up to it. */
  commit: AuditRecord;
  chain: AuditRecord[];
  /** The chain's head when the package was produced (compare with GET /api/audit/verify or a published head). */
  chain_head: { seq: number; hash: string };
}

export function packageDigests(p: Pick<EvidencePackage, 'task' | 'history' | 'alerts' | 'events'>): PackageDigests {
  return {
    task: digestOf(p.task), history: digestOf(p.history),
    alerts: Object.fromEntries(p.alerts.map((a) => [a.id, digestOf(a)])), events: Object.fromEntries(p.events.map((e) => [e.id, digestOf(e)])),
  };
}

export interface Check { name: string; ok: boolean; detail?: string }

export function verifyPackage(p: EvidencePackage): { ok: boolean; checks: Check[] } {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(ok ? {} : { detail }) });
  add('format', p?.format === PACKAGE_FORMAT, `expected ${PACKAGE_FORMAT}, found ${String(p?.format)}`);
  if (!p?.commit || !Array.isArray(p.chain)) { add('commit', false, 'no commit record or chain'); return { ok: false, checks }; }

  let committed: { handover?: string; task?: string; digests?: PackageDigests } = {};
  try { committed = JSON.parse(p.commit.details) as typeof committed; } catch { add('commit details', false, 'not JSON'); }
  add('commit record', p.commit.action === 'handover_package' && committed.handover === p.handover?.id && committed.task === p.handover?.task_id,
    `the commit record is ${p.commit.action} for ${committed.handover ?? '?'}, not this handover's package`);
  add('commit hash', auditHash(p.commit) === p.commit.hash, `record ${p.commit.seq}: content does not match its hash`);

  // Every item against the digest committed in the chain.
  const d = committed.digests;
  const now = packageDigests(p);
  const bad: string[] = [];
  if (!d) bad.push('no digests committed');
  else {
    if (d.task !== now.task) bad.push('task');
    if (d.history !== now.history) bad.push('task history');
    for (const [kind, mine, theirs] of [['alert', now.alerts, d.alerts], ['event', now.events, d.events]] as const) {
      for (const id of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
        if (!(id in mine)) bad.push(`${kind} ${id}: missing from the package`);
        else if (!(id in theirs)) bad.push(`${kind} ${id}: not committed`);
        else if (mine[id] !== theirs[id]) bad.push(`${kind} ${id}: changed (digest ${mine[id]!.slice(0, 12)}…, committed ${theirs[id]!.slice(0, 12)}…)`);
      }
    }
  }
  add('items', bad.length === 0, bad.join('; '));

  // The chain segment: contiguous, each record's hash recomputed, each link, ending at the commit.
  const broken: string[] = [];
  for (const [i, r] of p.chain.entries()) {
    if (auditHash(r) !== r.hash) broken.push(`record ${r.seq}: content does not match its hash`);
    const prev = p.chain[i - 1];
    if (prev && r.seq !== prev.seq + 1) broken.push(`record ${r.seq}: follows ${prev.seq} (a gap)`);
    if (prev && r.prev_hash !== prev.hash) broken.push(`record ${r.seq}: prev_hash does not match record ${prev.seq}`);
  }
  const last = p.chain[p.chain.length - 1];
  if (!last || last.seq !== p.commit.seq || last.hash !== p.commit.hash) broken.push('the segment does not end at the commit record');
  add('chain segment', broken.length === 0, broken.slice(0, 5).join('; '));
  const taskTarget = `task:${p.handover?.task_id}`;
  add('task records in the chain', p.chain.some((r) => r.target === taskTarget && r.action !== 'handover_package'), `no record about ${taskTarget} in the segment`);
  add('chain head', p.chain_head?.seq === p.commit.seq && p.chain_head?.hash === p.commit.hash, 'chain_head is not the commit record');
  return { ok: checks.every((c) => c.ok), checks };
}
