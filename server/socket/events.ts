/**
 * The one typed socket.io event map, shared by server and client (the client imports these types).
 * Acknowledgements are { ok: true, data } | { ok: false, error }.
 */
import type { Alert, Severity } from '../../streams/types.js';

/** The alert record of indicators.md as sent: times as ISO-8601 strings, plus the risk task it belongs to. */
export interface AlertDTO extends Omit<Alert, 'ts' | 'detected_at' | 'status'> {
  ts: string;
  detected_at: string;
  status: string;
  task_id?: string | null;
  /** Raised by an import's replay over history (docs/imports.md): stored and counted, never a risk task. */
  historical?: boolean;
  /** Analysts only: the taxpayer's token (taxpayer itself is masked), to follow and filter by. */
  taxpayer_token?: string | null;
}

/** A risk task as the API returns it and as pushed on every change (workflow.md, docs/workflow.md). */
export interface TaskDTO {
  id: string;
  /** 'alert': opened by an alert; 'review': opened by an integrity suspicion of a sampling review. */
  source: 'alert' | 'review';
  state: 'open' | 'assigned' | 'investigating' | 'resolved' | 'closed';
  indicator: string;
  category: string;
  severity: Severity;
  subject_officer: string;
  bureau: string;
  item: string | null;
  matter: string | null;
  review_id: string | null;
  /** Reference officer id of the investigating discipline officer. */
  assignee: string | null;
  /** 'system' for a random draw, the admin's username for a manual reassignment. */
  assigner: string | null;
  draw_id: string | null;
  /** The case the task belongs to (docs/cases.md). */
  case_id: string | null;
  /** True once an admin reassigned the task by hand. */
  override: boolean;
  result: 'confirmed' | 'dismissed' | 'transferred' | null;
  finding: string | null;
  resolver: string | null;
  closer: string | null;
  close_note: string | null;
  deadline: string;
  /** Unresolved and past the deadline, computed at the time of the answer or push. */
  overdue: boolean;
  alert_count: number;
  alert_ids: string[];
  evidence: string[];
  created_at: string;
  assigned_at: string | null;
  accepted_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  updated_at: string;
}

/**
 * A task as pushed live: everything but the evidence ids. The evidence grows with every alert
 * attached, and a storm would otherwise send it again, whole, to every socket on each attach.
 */
export type TaskChangeDTO = Omit<TaskDTO, 'evidence'>;

/** A sampling review (workflow.md). */
export interface ReviewDTO {
  id: string;
  draw_id: string;
  item: string;
  bureau: string;
  window: string | null;
  matter: string;
  power: boolean;
  handler: string;
  handlers: string[];
  kind: 'cross' | 'joint';
  reviewers: string[];
  state: 'pending' | 'escalated' | 'decided';
  submissions: { reviewer: string; outcome: string; aspect: string | null; note: string; at: string }[];
  outcome: 'compliant' | 'non_compliant' | 'integrity_suspicion' | null;
  aspect: 'process' | 'policy' | 'fairness' | null;
  task_id: string | null;
  created_at: string;
  decided_at: string | null;
  updated_at: string;
}

/** A KPI snapshot pushed every KPI_PUSH_MS: today's (Asia/Shanghai) numbers in the user's scope, and live task counters. */
export interface KpiSnapshot {
  at: string;
  day: string;
  scope: { bureau: string | null };
  events: number;
  alerts: number;
  alerts_per_1000_events: number | null;
  overdue_rate: number | null;
  satisfaction_mean: number | null;
  petitions: number;
  tasks_unfinished: number;
  tasks_overdue: number;
  reviews_pending: number;
}

/** An import of history (docs/imports.md) as GET /api/imports/:id answers and as pushed to admins while it runs. */
export interface ImportDTO {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** staged → load (rows read, validated, stored) → replay (the isolated engine over them) → finished */
  phase: 'staged' | 'load' | 'replay' | 'finished';
  format: 'ndjson' | 'csv' | 'parquet';
  file_name: string; bytes: number; author: string;
  created_at: string; updated_at: string; finished_at: string | null;
  /** The import's alerts are pushed to the wall as they are stored (default: not). */
  push_alerts: boolean;
  rows_read: number; accepted: number; duplicates: number; rejected: number;
  /** Distinct historical alerts the replay stored. */
  alerts: number;
  error: string | null;
  /** Rows (load) or events (replay) per second in this run, and the seconds left; null when unknown. */
  rate: number | null; eta_s: number | null;
  /** Events the replay has evaluated. */
  replayed: number;
  /** How far the current phase is, 0–1 (load: bytes read of the file; replay: events evaluated); null when unknown. */
  phase_progress: number | null;
}

/** Events a running backtest has evaluated so far (sent to the user who runs it). */
export interface BacktestProgress { indicator: string; events_scanned: number; done: boolean }

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: string };
export type Ack<T> = (r: AckResult<T>) => void;

export interface ServerToClientEvents {
  alert: (a: AlertDTO) => void;
  /** A task change, without its evidence ids (GET /api/tasks/:id has them, and audits the read). */
  task: (t: TaskChangeDTO) => void;
  review: (r: ReviewDTO) => void;
  kpi: (k: KpiSnapshot) => void;
  /** Progress of a running import (admins only), at most every 250 ms and at its end. */
  import: (p: ImportDTO) => void;
  /** Progress of the caller's own backtest (it runs in a worker; closing the request cancels it). */
  backtest: (p: BacktestProgress) => void;
}

export interface ClientToServerEvents {
  /** What the client missed: alerts detected after the given alert (by id) or time, oldest first. */
  'alerts:since': (q: { since_id?: string; since?: string; limit?: number }, ack: Ack<AlertDTO[]>) => void;
  /** Today's snapshot for a bureau (leaders of a bureau: always theirs), or the city without one. */
  'kpi:snapshot': (q: { bureau?: string }, ack: Ack<KpiSnapshot>) => void;
  /** The caller's tasks (assignee = their officer id; administrators are never assignees: none), newest first. */
  'tasks:mine': (q: { include_closed?: boolean }, ack: Ack<TaskDTO[]>) => void;
  /** The caller's reviews still waiting for their submission. */
  'reviews:mine': (q: Record<string, never>, ack: Ack<ReviewDTO[]>) => void;
}

export interface SocketData {
  /** The user as of the last check: re-read on every client event and ended with the session. */
  user: { username: string; role: string; bureau: string; officer: string };
  /** The SHA-256 of the session token the socket authenticated with. */
  sessionId: string;
}
