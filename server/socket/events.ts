/**
 * The one typed socket.io event map, shared by server and client (the client imports these types).
 * Acknowledgements are { ok: true, data } | { ok: false, error }.
 */
import type { Category, Message, Severity } from '../../streams/types.js';

export interface AlertDTO {
  id: string;
  indicator: string;
  indicator_version: number;
  category: Category;
  severity: Severity;
  ts: string;
  detected_at: string;
  bureau: string | null;
  officer: string | null;
  taxpayer: string | null;
  item: string | null;
  matter: string | null;
  evidence: string[];
  message: Message;
  status: string;
  task_id?: string | null;
}

/** A risk task as pushed on change (workflow.md). */
export interface TaskDTO {
  id: string;
  state: 'open' | 'assigned' | 'investigating' | 'resolved' | 'closed';
  indicator: string;
  severity: Severity;
  subject_officer: string;
  bureau: string;
  assignee: string | null;
  result: 'confirmed' | 'dismissed' | 'transferred' | null;
  deadline: string;
  overdue: boolean;
  alert_count: number;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}

/** A KPI snapshot pushed every few seconds (the current day and the live counters). */
export interface KpiSnapshot {
  at: string;
  [kpi: string]: unknown;
}

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: string };
export type Ack<T> = (r: AckResult<T>) => void;

export interface ServerToClientEvents {
  alert: (a: AlertDTO) => void;
  task: (t: TaskDTO) => void;
  kpi: (k: KpiSnapshot) => void;
}

export interface ClientToServerEvents {
  /** What the client missed: alerts detected after the given alert (by id) or time, oldest first. */
  'alerts:since': (q: { since_id?: string; since?: string; limit?: number }, ack: Ack<AlertDTO[]>) => void;
  'kpi:snapshot': (q: Record<string, never>, ack: Ack<KpiSnapshot>) => void;
}

export interface SocketData {
  user: { username: string; role: string; bureau: string; officer: string };
}
