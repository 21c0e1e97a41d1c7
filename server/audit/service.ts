/**
 * The audit trail (docs/workflow.md, "Audit chain"): append-only, hash-chained.
 * hash(n) = sha256(canonicalJSON({seq, ts, actor, action, target, details}) + "\n" + hash(n−1)),
 * hash(0) = "" (the first record's prev_hash). Appends are serialized in-process (a promise
 * chain), so the chain is linear; verify() recomputes it from the stored rows.
 */
import { auditHash, canonicalJson } from '../../streams/audit/hash.js';
import type { Store } from '../../sql/store.js';
import type { AuditEntry, AuditSink } from '../context.js';
import { auditRowsBetween, insertAuditRows, maxAuditSeq, lastAuditRow, listAuditRows, type AuditQuery, type AuditRow } from '../../sql/queries/audit.js';

export { canonicalJson, auditHash } from '../../streams/audit/hash.js';

export interface AuditVerify { ok: boolean; count: number; head: string | null; first_broken?: { seq: number; reason: string; expected?: string; found?: string } }

export interface AuditLog extends AuditSink {
  list(q: AuditQuery): Promise<AuditRow[]>;
  verify(): Promise<AuditVerify>;
  /** Resolves when every record asked for so far is stored. */
  flush(): Promise<void>;
}

/** `onAppended` is told every record once it is stored, in chain order (the oversight indicators read them). */
export async function createAuditLog(store: Store, clock: () => number, onAppended?: (rows: readonly AuditRow[]) => void): Promise<AuditLog> {
  const last = await lastAuditRow(store);
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? '';
  let chain: Promise<void> = Promise.resolve();

  // The chain's head moves only once the rows are stored: a failed insert leaves no gap. An insert
  // that failed may still have landed (the answer was lost): the head is then read back from the
  // store before the next append, so the chain neither repeats a seq nor skips one.
  let stale = false;
  const append = async (entries: readonly AuditEntry[]): Promise<AuditRow[]> => {
    if (entries.length === 0) return [];
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
    onAppended?.(rows);
    return rows;
  };
  const enqueue = (entries: readonly AuditEntry[]): Promise<void> => {
    const done = chain.then(() => append(entries)).then(() => undefined);
    chain = done.catch(() => undefined);
    return done;
  };

  return {
    record: (e) => enqueue([e]),
    // A commitment must be in the chain before the step that depends on it goes on (a draw's seed is
    // derived from it), so it is retried until it lands; an insert that landed but reported a
    // failure is recognised as the head of the chain and not written twice.
    commit(e) {
      const details = e.details === undefined ? '' : canonicalJson(e.details);
      const once = async (): Promise<AuditRow> => {
        for (let attempt = 0; ; attempt++) {
          try {
            return (await append([e]))[0]!;
          } catch {
            const head = await lastAuditRow(store).catch(() => null);
            if (head && head.action === e.action && head.target === e.target && head.details === details) {
              seq = head.seq;
              prev = head.hash;
              stale = false;
              onAppended?.([head]);
              return head;
            }
            await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** attempt)));
          }
        }
      };
      const done = chain.then(once);
      chain = done.then(() => undefined, () => undefined);
      return done;
    },
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
