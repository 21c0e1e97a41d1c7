/** What route and socket handlers are given: services, never the ClickHouse client itself. */
import type { Config } from './config.js';
import type { Store } from '../sql/store.js';
import type { Logger } from './log.js';
import type { IngestService } from './ingest/service.js';
import type { ReferenceService } from './reference/service.js';
import type { UserService } from './users/service.js';
import type { SessionService } from './auth/sessions.js';
import type { LoginGuard } from './auth/login-guard.js';
import type { Secrets } from './secrets.js';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** Append-only audit trail with a hash chain (server/audit). */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
  /** Several records in order, stored with one insert. */
  recordAll(entries: readonly AuditEntry[]): Promise<void>;
}

export interface AppContext {
  config: Config;
  store: Store;
  log: Logger;
  clock: () => number;
  secrets: Secrets;
  /** Server-side sessions: every route authenticates with requireUser(ctx.sessions, roles). */
  sessions: SessionService;
  /** @deprecated the same object as `sessions`, kept so branches written against it still merge. */
  signer: SessionService;
  loginGuard: LoginGuard;
  ingest: IngestService;
  reference: ReferenceService;
  users: UserService;
  audit: AuditSink;
  /** Filled in by the areas that the server wires (engine, tasks, kpis…). */
  areas: Record<string, unknown>;
}
