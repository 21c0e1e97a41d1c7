/** What route and socket handlers are given: services, never the ClickHouse client itself. */
import type { EventLoopDelayMonitor } from './health/event-loop.js';
import type { Config } from './config.js';
import type { Store } from '../sql/store.js';
import type { Logger } from './log.js';
import type { IngestService } from './ingest/service.js';
import type { ReferenceService } from './reference/service.js';
import type { UserService } from './users/service.js';
import type { SessionService } from './auth/sessions.js';
import type { LoginGuard } from './auth/login-guard.js';
import type { TaxpayerTokens } from './auth/taxpayer-tokens.js';
import type { Secrets } from './secrets.js';
import type { ProposalService } from './proposals/service.js';
import type { WriteHealth } from '../sql/isolate.js';
import type { EngineService } from './engine/service.js';
import type { AlertSink } from './engine/alert-sink.js';
import type { TaskService } from './workflow/tasks.js';
import type { ReviewService } from './workflow/reviews.js';
import type { ReportService } from './reports/service.js';
import type { CaseService } from './workflow/cases.js';
import type { RiskService } from './risk/service.js';
import type { ImportService } from './imports/service.js';
import type { BacktestProgress } from './socket/events.js';
import type { OversightService } from './oversight/service.js';
import type { HandoverService } from './handover/service.js';

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
  /** One record stored now, answered with its place in the chain (seq, prev_hash, hash): a commitment others can check. */
  commit(entry: AuditEntry): Promise<{ seq: number; ts: number; actor: string; action: string; target: string; details: string; prev_hash: string; hash: string }>;
}

/** What every service is built from. */
export interface CoreContext {
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
  /** Taxpayer tokens analysts see instead of ids. */
  taxpayers: TaxpayerTokens;
  ingest: IngestService;
  reference: ReferenceService;
  users: UserService;
  audit: AuditSink;
  /** Four-eyes proposals (server/proposals): the owners of guarded changes register how to apply them. */
  proposals: ProposalService;
  /** Outcome of the last batch writes per table (poison isolation, health `degraded`). */
  storeWrites: WriteHealth;
}

/** The services the server wires (server/app.ts), typed, for routes and tests. */
export interface AppServices {
  engine: EngineService;
  sink: AlertSink;
  tasks: TaskService;
  reviews: ReviewService;
  /** Leader reports, scheduled and on demand (server/reports). */
  reports: ReportService;
  /** Cases per subject officer (docs/cases.md). */
  cases: CaseService;
  /** Risk scores per officer and bureau (docs/risk.md). */
  risk: RiskService;
  /** Imports of history (server/imports). */
  imports: ImportService;
  /** Pushes to one user's sockets. */
  notify: { backtest(username: string, p: BacktestProgress): void };
  /** The oversight indicators over the audit trail (HQ leaders only). */
  oversight: OversightService;
  /** Handovers to the discipline office (server/handover). */
  handovers: HandoverService;
  kpis: { refresh(): Promise<void> };
  /** Per indicator: resolved tasks and how many were confirmed (the indicators page). */
  confirmedShare(): Promise<Map<string, { resolved: number; confirmed: number }>>;
  /** Extra fields of GET /api/health. */
  health(): Record<string, unknown>;
  /** The event-loop delay health reports (stopped with the server). */
  loopDelay: EventLoopDelayMonitor;
}

/** What routes are given: the core and the wired services. */
export interface AppContext extends CoreContext {
  services: AppServices;
}
