/** Shared domain types: the operation event (events.md), reference data, the alert record (indicators.md). */
import type { CalendarData } from './time.js';

export const ACTIONS = ['issue', 'assign', 'accept', 'handle', 'approve', 'reject', 'modify', 'cancel', 'complete', 'feedback', 'rate', 'petition'] as const;
export type Action = (typeof ACTIONS)[number];

export const PLATFORMS = ['collection', 'administration', 'service', 'inspection', 'internal'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CATEGORIES = ['service', 'process', 'inspection', 'filing'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AttrValue = string | number | boolean;

/** A validated operation event. `ts` is epoch milliseconds (event time). */
export interface OpEvent {
  id: string;
  ts: number;
  platform: Platform;
  bureau: string;
  officer: string;
  matter: string;
  item: string;
  action: Action;
  taxpayer?: string;
  window?: string;
  amount?: number;
  attrs?: Record<string, AttrValue>;
}

/** An accepted event as it flows from ingestion to the engine: arrival order is `seq`. */
export interface IngestedEvent extends OpEvent {
  /** Monotonic arrival sequence, unique across restarts. */
  seq: number;
  /** Server time (epoch ms) when it was accepted. */
  arrivedAt: number;
  /** 'unknown_bureau' | 'unknown_officer' | 'unknown_matter' */
  flags: string[];
}

export type OfficerRole = 'tax' | 'discipline' | 'leader' | 'analyst';

export interface Bureau { code: string; name: string; name_en: string }
export interface Window { code: string; bureau: string }
export interface Officer { id: string; name: string; bureau: string; level: number; role: OfficerRole; active?: boolean }
export interface Matter {
  code: string;
  name: string;
  name_en: string;
  category: Category;
  platform: Platform;
  power: boolean;
  standard_hours: number;
  difficulty: number;
  limits?: number[];
  /** a routine matter the system handles alone (零插手): a person acting on it is a risk point */
  auto?: boolean;
  /** what the matter is, for indicators that follow a taxpayer across matters (e.g. refund, bank_account) */
  tags?: string[];
  /** penalty discretion band: the lowest and highest penalty as multiples of `attrs.tax_base` */
  penalty_band?: [number, number];
  /** how many documents (`attrs.attachments`) the matter requires at acceptance / case closing */
  required_docs?: number;
}

export interface ReferenceData {
  bureaus: Bureau[];
  windows: Window[];
  officers: Officer[];
  matters: Matter[];
  /** the working calendar (events.md); absent means plain Monday–Friday */
  calendar?: CalendarData;
}

export interface Message { zh: string; en: string }

/** The alert record of indicators.md. Times are epoch ms here; the API renders ISO-8601. */
export interface Alert {
  id: string;
  indicator: string;
  indicator_version: number;
  category: Category;
  severity: Severity;
  ts: number;
  detected_at: number;
  bureau: string | null;
  officer: string | null;
  taxpayer: string | null;
  item: string | null;
  matter: string | null;
  evidence: string[];
  message: Message;
  status: 'open' | 'acknowledged' | 'closed';
  /** Raised by an import's replay over history (server/imports), not by the live stream: never a risk task. */
  historical?: boolean;
}

export type Outcome<T, R = string> = { ok: true; value: T } | { ok: false; reason: R };
export const ok = <T>(value: T): Outcome<T, never> => ({ ok: true, value });
export const rejected = <R>(reason: R): Outcome<never, R> => ({ ok: false, reason });
