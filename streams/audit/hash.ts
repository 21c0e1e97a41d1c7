/**
 * The audit chain's hashing (docs/workflow.md, "Audit chain"), pure so that the offline verifier
 * (scripts/verify.ts) recomputes records without the server:
 * hash(n) = sha256(canonicalJSON({seq, ts, actor, action, target, details}) + "\n" + hash(n−1)).
 */
import { createHash } from 'node:crypto';

export interface AuditRecord { seq: number; ts: number; actor: string; action: string; target: string; details: string; prev_hash: string; hash: string }

/** JSON with object keys sorted at every level: one text per value. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export function auditHash(r: Omit<AuditRecord, 'hash'>): string {
  const body = canonicalJson({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, target: r.target, details: r.details });
  return createHash('sha256').update(`${body}\n${r.prev_hash}`).digest('hex');
}
