/**
 * The audit trail (docs/workflow.md, "Audit chain"): append-only, hash-chained.
 * hash(n) = sha256(canonicalJSON({seq, ts, actor, action, target, details}) + "\n" + hash(n−1)),
 * hash(0) = "" (the first record's prev_hash). Appends are serialized in-process (a promise
 * chain), so the chain is linear; verify() recomputes it from the stored rows.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../../sql/store.js';
import type { AuditEntry, AuditSink } from '../context.js';
import { auditRowsBetween, insertAuditRows, maxAuditSeq, lastAuditRow, listAuditRows, type AuditQuery, type AuditRow } from '../../sql/queries/audit.js';

/** JSON with object keys sorted at every level: one text per value. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export function auditHash(r: Omit<AuditRow, 'hash'>): string {
  const body = canonicalJson({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, target: r.target, details: r.details });
  return createHash('sha256').update(`${body}\n${r.prev_hash}`).digest('hex');
}

export interface AuditVerify { ok: boolean; count: number; head: string | null; first_broken?: { seq: number; reason: string; expected?: string; found?: string } }

export interface AuditLog extends AuditSink {
  list(q: AuditQuery): Promise<AuditRow[]>;
  verify(): Promise<AuditVerify>;
  /** Resolves when every record asked for so far is stored. */
  flush(): Promise<void>;
}

export async function createAuditLog(store: Store, clock: () => number): Promise<AuditLog> {
  const last = await lastAuditRow(store);
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? '';
  let chain: Promise<void> = Promise.resolve();

  // The chain's head moves only once the rows are stored: a failed insert leaves no gap. An insert
  // that failed may still have landed (the answer was lost): the head is then read back from the
  // store before the next append, so the chain neither repeats a seq nor skips one.
  let stale = false;
  const append = async (entries: readonly AuditEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    if (stale) {
      const head = await lastAuditRow(store);
      seq = head?.seq ?? 0;
      prev = head?.hash ?? '';
      stale = false;
    }
    const rows: AuditRow[] = [];
    let s = seq;
    let p = prev;
    for (const e of entries) {
      const row: Omit<AuditRow, 'hash'> = {
        seq: s + 1, ts: Math.floor(clock()), actor: e.actor, action: e.action, target: e.target,
        details: e.details === undefined ? '' : canonicalJson(e.details), prev_hash: p,
      };
      const full: AuditRow = { ...row, hash: auditHash(row) };
      rows.push(full);
      s = full.seq;
      p = full.hash;
    }
    try {
      await insertAuditRows(store, rows);
    } catch (err) {
      stale = true;
      throw err;
    }
    seq = s;
    prev = p;
  };
  const enqueue = (entries: readonly AuditEntry[]): Promise<void> => {
    const done = chain.then(() => append(entries));
    chain = done.catch(() => undefined);
    return done;
  };

  return {
    record: (e) => enqueue([e]),
    recordAll: (entries) => enqueue(entries),
    list: (q) => listAuditRows(store, q),
    flush: () => chain,
    async verify(): Promise<AuditVerify> {
      await chain;
      let expectSeq = 1;
      let prevHash = '';
      let count = 0;
      const PAGE = 50_000;
      const top = await maxAuditSeq(store);
      for (let after = 0; after < top; after += PAGE) {
        const rows = await auditRowsBetween(store, after, after + PAGE);
        for (const r of rows) {
          const broken = (reason: string, extra: object = {}) => ({ ok: false, count, head: prevHash || null, first_broken: { seq: r.seq, reason, ...extra } });
          if (r.seq !== expectSeq) return broken(r.seq < expectSeq ? 'duplicate sequence number' : `missing record(s) before this one (expected seq ${expectSeq})`);
          if (r.prev_hash !== prevHash) return broken('prev_hash does not match the previous record', { expected: prevHash, found: r.prev_hash });
          const h = auditHash(r);
          if (h !== r.hash) return broken('record content does not match its hash', { expected: h, found: r.hash });
          prevHash = r.hash;
          expectSeq++;
          count++;
        }
      }
      return { ok: true, count, head: prevHash || null };
    },
  };
}
