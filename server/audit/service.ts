// PLACEHOLDER until the closed-loop work lands: the hash-chained audit log replaces this file.
import type { Store } from '../../sql/store.js';
import type { AuditEntry, AuditSink } from '../context.js';

export async function createAuditLog(_store: Store, _clock: () => number): Promise<AuditSink> {
  return { async record(_e: AuditEntry) {} };
}
