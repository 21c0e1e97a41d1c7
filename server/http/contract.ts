/**
 * The one typed HTTP contract, shared by server and client (as server/socket/events.ts is for
 * socket.io). Every endpoint is a key `'METHOD /path/:param'` of `Endpoints` with its path params,
 * query, body and response. The server answers through `reply(res, key, body)` (server/http/reply.ts),
 * which only compiles when `body` has the endpoint's response type; the client calls
 * `request(key, { params, query, body })` (client/src/lib/api.ts), whose result has that type.
 * Errors are always `ApiErrorBody` with a 4xx/5xx status (see docs/interface.md).
 *
 * How to add an endpoint:
 *  1. Add its key and types below (times are ISO-8601 strings, absent values are null).
 *  2. On the server, register the route and answer with `reply(res, 'GET /api/x', body)`.
 *  3. On the client, call `request('GET /api/x', {...})`; never re-declare or normalise a shape there.
 *  4. Add a row to docs/interface.md (and to the role-matrix test, tests/security-matrix*).
 *
 * Only `import type` of server modules here, and plain constants: the client bundles this file.
 */
import type { AlertDTO, ImportDTO, ReviewDTO, TaskDTO } from '../socket/events.js';
import type { proposalToDTO } from '../proposals/service.js';
import type { Category, IngestedEvent, Message, ReferenceData, Severity } from '../../streams/types.js';
import type { KpiResult } from '../workflow/kpis.js';
import type { IndicatorDef } from '../../streams/catalog/types.js';
import type { InputCoverage } from '../../streams/catalog/coverage.js';
import type { ClosedLoopScore } from '../../streams/engine/replay.js';
import type { IngestResult } from '../ingest/service.js';
import type { PublicUser } from '../users/service.js';
import type { SessionUser } from '../auth/tokens.js';
import type { AuditVerify } from '../audit/service.js';
import type { TaskService } from '../workflow/tasks.js';
import type { CaseDTO, CaseTimelineEntry } from '../workflow/cases.js';
import type { OfficerRisk } from '../risk/service.js';
import type { OfficerProfile } from '../officers/profile.js';
import type { BureauRiskPoint } from '../../sql/queries/risk.js';
import type { PerformanceReport } from '../reports/performance.js';
import type { LeaderReportData, ReportKind } from '../reports/leader.js';
import type { handoverDTO } from '../routes/handovers.js';
import type { ReviewDrawVerification } from '../../streams/workflow/review-draw-proof.js';
import type { OversightIndicator } from '../../streams/oversight/indicators.js';

/** The 202 answer of a guarded change: it waits for a second person. */
export interface ProposalAnswer { proposal: ProposalDTO; message: string }

export type { OfficerProfile };
export type { PeerFigure } from '../../sql/queries/officer-profile.js';
export type { AlertDTO, ImportDTO, ReviewDTO, TaskDTO, KpiResult, Category, Severity, Message, PerformanceReport, CaseDTO, CaseTimelineEntry, LeaderReportData, ReportKind };

/** One case with its tasks, alerts (masked as alerts are) and its timeline (docs/cases.md). */
export interface CaseDetailDTO extends CaseDTO { task_list: TaskDTO[]; alert_list: AlertDTO[]; overdue: boolean; timeline: CaseTimelineEntry[] }
export interface CaseStepResponse { case: CaseDTO; tasks: TaskDTO[] }

/** Every error answer: `{"error":{"code","message"}}`; `message` names the field for a 400. */
export interface ApiErrorBody { error: { code: string; message: string } }

/** A query-string value: lists are comma-separated (`severity=high,critical`). */
type Q = string | number | undefined;

/** A stored event as the API shows it (taxpayer masked for analysts). */
export type EventDTO = Omit<IngestedEvent, 'seq' | 'arrivedAt' | 'ts' | 'taxpayer'> & { ts: string; arrived_at: string; taxpayer?: string | null };

/** Cursor paging: `next` is passed back as `cursor` for the following page; null on the last page. */
export interface Page { next: string | null }

export interface AlertListQuery {
  from?: string; to?: string; limit?: number; cursor?: string;
  indicator?: string; category?: string; severity?: string; bureau?: string; officer?: string; status?: string; item?: string; matter?: string; taxpayer?: string;
  /** Case-insensitive text search over indicator, officer, taxpayer, item and the messages (analysts: indicator, officer, item). */
  q?: string;
  /** 1: only alerts of imported history; 0: only live ones (docs/imports.md). */
  historical?: '0' | '1';
}

/**
 * The wall's counters (GET /api/alerts/counts): distinct alerts over the stated window [from, to)
 * under the list's filters; each facet is counted under the other filters (as search facets are).
 */
export type AlertCountsQuery = Omit<AlertListQuery, 'limit' | 'cursor'>;
export interface AlertCountsResponse {
  from: string; to: string;
  /** Alerts under every filter. */
  total: number;
  by_severity: Record<string, number>; by_category: Record<string, number>; by_bureau: Record<string, number>;
}

/** Orders of GET /api/tasks (sql/queries/tasks.ts TASK_ORDERS) and GET /api/reviews. */
export type TaskSortKey = 'created_desc' | 'created_asc' | 'deadline_asc' | 'deadline_desc' | 'updated_desc';
export type ReviewSortKey = 'created_desc' | 'created_asc';

/** Dimensions `GET /api/alerts/stats` groups and filters by; `section` is the matter's business line (platform). */
export const STAT_DIMS = ['bureau', 'section', 'officer', 'indicator', 'category', 'severity', 'matter'] as const;
export type StatDim = (typeof STAT_DIMS)[number];
/** Time buckets (Asia/Shanghai calendar) a stats query can group by, besides the dimensions. */
export const STAT_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export type StatBucket = (typeof STAT_BUCKETS)[number];

/** `subtotals=1` with two groups: also the counts by the first group alone (`subtotals`), from the same query. */
export type AlertStatsQuery = { from: string; to: string; group?: string; subtotals?: '1' } & Partial<Record<StatDim, string>>;
/** One cell: `keys` line up with `group` (a time bucket as an ISO instant); `high` counts severity high or critical. */
export interface AlertStatsRow { keys: string[]; alerts: number; high: number }
export interface AlertStatsResponse {
  from: string; to: string; as_of: string; timezone: 'Asia/Shanghai';
  group: (StatDim | StatBucket)[];
  filters: Partial<Record<StatDim, string[]>>;
  /** Every non-empty cell, most alerts first (time buckets: in time order, empty buckets included). No cap. */
  rows: AlertStatsRow[];
  /** With `subtotals=1` and two groups: every non-empty value of the first group alone (`keys` of one), most alerts first. */
  subtotals?: AlertStatsRow[];
  total: { alerts: number; high: number };
}

/** `compare`: up to four more periods as ISO-8601 intervals `from/to`, comma-separated (the board: the previous period and a year earlier). */
export type KpiQuery = { from?: string; to?: string; granularity?: 'hour' | 'day' | 'week' | 'month'; bureau?: string; window?: string; officer?: string; compare?: string };
/** The board's settings that shape how a figure is shown (server/config.ts). */
export interface KpiSettings { overdue_rate_target: number; min_sample: number }
/** `compare`: the KPIs of each period asked for in `compare`, in that order (same scope and granularity). */
export type KpiResponse = KpiResult & { as_of: string; settings: KpiSettings; compare?: KpiResult[] };

export interface IndicatorListItem extends IndicatorDef, InputCoverage { hits: number; resolved: number; confirmed: number; confirmed_share: number | null }
/** A four-eyes proposal as the API gives it (server/proposals/service.ts). */
export type ProposalDTO = ReturnType<typeof proposalToDTO>;
/** One step of a review's history (GET /api/reviews/:id). */
export interface ReviewHistoryEntry { seq: number; ts: string; actor: string; action: string; outcome: string | null; aspect: string | null; details: unknown }
export interface IndicatorVersion { version: number; created_at: string; author: string; def: IndicatorDef }

export interface DrawCandidate { officer: string; level: number | undefined; open_tasks: number | undefined; weight: number | undefined }
export interface DrawDTO {
  id: string; ts: string; algorithm: string; seed: string; needed_level: number;
  candidates: DrawCandidate[]; excluded: Record<string, string>; pick: string | null; pick_index: number;
}
export interface TaskHistoryEntry { seq: number; ts: string; actor: string; action: string; from: string | null; to: string; reason: string | null; details: unknown }
export interface TaskDetail extends TaskDTO { alerts: AlertDTO[]; events: EventDTO[]; draw: DrawDTO | null; draws: DrawDTO[]; history: TaskHistoryEntry[] }

/** An alert of an oversight indicator (OVS-*): HQ leaders only, never the people it is about. */
export interface OversightAlertDTO {
  id: string; indicator: string; category: 'oversight'; severity: string; ts: string; subject: string; subject_role: string;
  message: string; details: Record<string, unknown>; audit_seqs: number[];
}

export interface ReviewDrawSummary {
  id: string; ts: string; actor: string; from: string; to: string; algorithm: string; seed: string; rate: number;
  strata: { bureau: string; population: number; sampled: number }[]; items: number; commit_seq: number | null; reference_version: number | null;
}
export interface ReviewDrawResponse {
  draw: { id: string; ts: string; from: string; to: string; algorithm: string; seed: string; rate: number; strata: unknown; items: number };
  reviews: ReviewDTO[];
}

export interface AuditRecordDTO { seq: number; ts: string; actor: string; action: string; target: string; details: unknown; hash: string; prev: string; [k: string]: unknown }

/** A handover to the discipline office (docs/handover.md); states transferred → received → preliminary → filed → sanctioned | closed. */
export type HandoverDTO = ReturnType<typeof handoverDTO>;
export interface HandoverStep { seq: number; ts: string; actor: string; action: string; from: string | null; to: string; note: string | null; details: unknown }

/** A stored leader report's metadata (docs/reports.md); `trigger` is `schedule` or `demand`. */
export interface ReportMeta { id: string; kind: ReportKind; scope: string; from: string; to: string; created_at: string; trigger: string; created_by: string }

export interface LoopDelay { p50_ms: number; p99_ms: number; max_ms: number; window_s: number }
export interface HealthResponse {
  status: 'ok' | 'degraded' | 'unavailable'; reasons?: string[]; store: string; spool_bytes: number; reference_version: number;
  rejects_by_reason: Record<string, number>;
  /** The server's event-loop delay (ms): the last full minute and the minute in progress. */
  event_loop_delay: { last_window: LoopDelay | null; current: LoopDelay };
  /** process memory (MiB): resident (JS heap and the embedded store), JS heap in use and its limit, buffers outside the heap */
  memory: { rss_mib: number; heap_used_mib: number; heap_total_mib: number; heap_limit_mib: number; external_mib: number };
  [k: string]: unknown;
}

type E<P, Qy, B, R> = { params: P; query: Qy; body: B; response: R };
type None = Record<string, never>;
type Id = { id: string };

export interface Endpoints {
  'GET /api/health': E<None, None, never, HealthResponse>;
  'POST /api/auth/login': E<None, None, { username: string; password: string }, { token: string; user: Omit<SessionUser, 'officer'> & { officer?: string } }>;
  'POST /api/auth/logout': E<None, None, never, { ok: true }>;
  'GET /api/auth/me': E<None, None, never, { user: SessionUser }>;

  'POST /api/events': E<None, None, unknown[] | string, IngestResult>;
  'GET /api/events': E<None, { from?: string; to?: string; limit?: number; cursor?: string; count?: '1'; id_prefix?: string; [filter: string]: Q }, never, ({ events: EventDTO[] } & Page) | { count: number }>;
  'GET /api/dead-letters': E<None, { limit?: number }, never, { dead_letters: { received_at: string; [k: string]: unknown }[] }>;

  'GET /api/reference': E<None, None, never, ReferenceData & { version: number }>;
  /** `valid_from`: the version describes the world from then on (default now); an earlier one is history for imports' replays. */
  'PUT /api/reference': E<None, None, Partial<ReferenceData> & { valid_from?: string }, ReferenceData & { version: number }>;
  'GET /api/reference/versions': E<None, None, never, { versions: { version: number; created_at: string; [k: string]: unknown }[] }>;

  'GET /api/users': E<None, None, never, { users: PublicUser[] }>;
  'POST /api/users': E<None, None, { username: string; password: string; role: string; bureau?: string; officer?: string; display_name?: string; active?: boolean }, { user: PublicUser }>;
  'PATCH /api/users/:username': E<{ username: string }, None, Partial<{ password: string; role: string; bureau: string; officer: string; display_name: string; active: boolean; reason: string }>, { user: PublicUser } | ProposalAnswer>;
  'GET /api/proposals': E<None, { state?: string; kind?: string; target?: string; limit?: number }, never, { proposals: ProposalDTO[] }>;
  'GET /api/proposals/:id': E<Id, None, never, { proposal: ProposalDTO }>;
  'POST /api/proposals/:id/approve': E<Id, None, { note?: string }, { proposal: ProposalDTO }>;
  'POST /api/proposals/:id/reject': E<Id, None, { note: string }, { proposal: ProposalDTO }>;
  'POST /api/proposals/:id/withdraw': E<Id, None, Record<string, never>, { proposal: ProposalDTO }>;

  'GET /api/alerts': E<None, AlertListQuery, never, { alerts: AlertDTO[] } & Page>;
  'GET /api/alerts/stats': E<None, AlertStatsQuery, never, AlertStatsResponse>;
  'GET /api/alerts/counts': E<None, AlertCountsQuery, never, AlertCountsResponse>;
  'GET /api/alerts/:id': E<Id, None, never, AlertDTO & { events: EventDTO[] }>;

  'GET /api/kpis': E<None, KpiQuery, never, KpiResponse>;

  'GET /api/indicators': E<None, { inputs_days?: number }, never, { indicators: IndicatorListItem[] }>;
  'GET /api/indicators/:id': E<Id, None, never, IndicatorDef & { versions: IndicatorVersion[] }>;
  'PUT /api/indicators/:id': E<Id, None, Partial<IndicatorDef> & { reason?: string }, { proposal: ProposalDTO; message: string }>;
  'POST /api/indicators/:id/backtest': E<Id, None, { from: string; to: string; definition?: Partial<IndicatorDef> }, {
    indicator: string; version: number; from: string; to: string; events_scanned: number; truncated: boolean;
    days: { day: string; hits: number }[]; total: number; sample: AlertDTO[]; closed_loop: ClosedLoopScore;
  }>;

  'GET /api/tasks': E<None, { limit?: number; cursor?: string; sort?: TaskSortKey; mine?: '1'; state?: string; assignee?: string; bureau?: string; indicator?: string; source?: string; overdue?: '1' | '0' }, never, { tasks: TaskDTO[] } & Page>;
  'GET /api/tasks/:id': E<Id, None, never, TaskDetail>;
  'GET /api/tasks/:id/history': E<Id, None, never, { task_id: string; history: TaskHistoryEntry[] }>;
  'GET /api/tasks/:id/draw/verify': E<Id, None, never, Extract<Awaited<ReturnType<TaskService['verifyDraws']>>, { ok: true }>['value']>;
  'POST /api/tasks/:id/accept': E<Id, None, Record<string, never>, TaskDTO>;
  'POST /api/tasks/:id/resolve': E<Id, None, { result: 'confirmed' | 'dismissed' | 'transferred'; finding: string }, TaskDTO>;
  'POST /api/tasks/:id/reassign': E<Id, None, { assignee: string; reason: string }, ProposalAnswer>;
  'POST /api/tasks/:id/send-back': E<Id, None, { reason: string }, TaskDTO>;
  'POST /api/tasks/:id/close': E<Id, None, { note?: string }, TaskDTO>;

  'GET /api/cases': E<None, { officer?: string; bureau?: string; state?: string; assignee?: string; limit?: number; cursor?: string }, never, { cases: CaseDTO[] } & Page>;
  'GET /api/cases/:id': E<Id, None, never, CaseDetailDTO>;
  'POST /api/cases/:id/accept': E<Id, None, { tasks?: string[] }, CaseStepResponse>;
  'POST /api/cases/:id/resolve': E<Id, None, { tasks?: string[]; result: 'confirmed' | 'dismissed' | 'transferred'; finding: string }, CaseStepResponse>;
  'POST /api/cases/:id/close': E<Id, None, { tasks?: string[]; note?: string }, CaseStepResponse>;

  'GET /api/officers/:id/risk': E<Id, { as_of?: string; from?: string }, never, OfficerRisk & { bureau: string }>;
  /** The officer profile (docs/officer-profile.md): `from`/`to` whole Asia/Shanghai days (default the last 90, today included). */
  'GET /api/officers/:id/profile': E<Id, { from?: string; to?: string }, never, OfficerProfile>;
  'GET /api/risk/bureaus': E<None, { from?: string; bureau?: string }, never, { from: string; months: BureauRiskPoint[] }>;

  'GET /api/reviews': E<None, { limit?: number; offset?: number; cursor?: string; sort?: ReviewSortKey; state?: string; draw?: string; bureau?: string; mine?: '1' }, never, { reviews: ReviewDTO[] } & Page>;
  'GET /api/reviews/:id': E<Id, None, never, ReviewDTO & { history: ReviewHistoryEntry[] }>;
  'POST /api/reviews/:id/submit': E<Id, None, { outcome: 'compliant' | 'non_compliant' | 'integrity_suspicion'; aspect?: 'process' | 'policy' | 'fairness'; note: string }, ReviewDTO>;
  'POST /api/reviews/draw': E<None, None, { from: string; to: string }, ReviewDrawResponse>;
  'GET /api/oversight/alerts': E<None, { from?: string; to?: string; indicator?: string; limit?: number; cursor?: string }, never, {
    alerts: OversightAlertDTO[]; next: string | null; counts: Record<string, number>; total: number;
  }>;
  'GET /api/oversight/indicators': E<None, None, never, { indicators: (OversightIndicator & { category: 'oversight'; hits: number })[] }>;
  'GET /api/review-draws': E<None, { limit?: number }, never, { draws: ReviewDrawSummary[] }>;
  'GET /api/review-draws/:id/verify': E<Id, None, never, ReviewDrawVerification>;

  /** Imports of history (admin; docs/imports.md): the body is the file itself, streamed, any size. */
  'POST /api/imports': E<None, { format: 'ndjson' | 'csv' | 'parquet'; push_alerts?: '0' | '1'; name?: string }, Blob | string, { id: string }>;
  'GET /api/imports': E<None, { limit?: number }, never, { imports: ImportDTO[] }>;
  'GET /api/imports/:id': E<Id, None, never, ImportDTO>;
  'DELETE /api/imports/:id': E<Id, None, never, ImportDTO>;

  'GET /api/audit': E<None, { actor?: string; action?: string; target?: string; from?: string; to?: string; before?: number; limit?: number }, never, { records: AuditRecordDTO[]; next: number | null }>;
  'GET /api/audit/verify': E<None, None, never, AuditVerify>;

  // Reports (docs/reports.md). CSV/XLSX answers are files; the JSON answer is the same figures.
  'GET /api/exports/performance': E<None, { level?: 'officer' | 'window' | 'bureau'; from: string; to: string; bureau?: string; format?: 'json' | 'csv' | 'xlsx'; lang?: 'zh-CN' | 'en' }, never, PerformanceReport>;
  'GET /api/handovers': E<None, { state?: string; bureau?: string; limit?: number }, never, { handovers: HandoverDTO[]; next: null }>;
  'GET /api/handovers/:id': E<Id, None, never, HandoverDTO & { history: HandoverStep[] }>;
  'GET /api/handovers/:id/package': E<Id, None, never, Blob>;
  'POST /api/handovers/:id/progress': E<Id, None, { state: 'received' | 'preliminary' | 'filed' | 'sanctioned' | 'closed'; note?: string; receipt_no?: string }, HandoverDTO>;
  'GET /api/reports': E<None, { kind?: ReportKind; scope?: string; limit?: number }, never, { reports: ReportMeta[] }>;
  'POST /api/reports': E<None, None, { kind: ReportKind; scope?: string; at?: string }, ReportMeta & { report: LeaderReportData }>;
  'GET /api/reports/:id': E<Id, None, never, ReportMeta & { report: LeaderReportData }>;
  'GET /api/reports/:id/pdf': E<Id, { lang?: 'zh-CN' | 'en' }, never, Blob>;
}

export type EndpointKey = keyof Endpoints;
export type ParamsOf<K extends EndpointKey> = Endpoints[K]['params'];
export type QueryOf<K extends EndpointKey> = Endpoints[K]['query'];
export type BodyOf<K extends EndpointKey> = Endpoints[K]['body'];
export type ResponseOf<K extends EndpointKey> = Endpoints[K]['response'];
