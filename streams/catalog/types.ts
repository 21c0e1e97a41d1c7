/**
 * Indicator definitions as plain data (indicators.md "The catalog").
 * A definition names a rule kind (streams/rules/<kind>.ts) and its parameters; the engine
 * compiles it. Changing anything makes a new `version`; alerts record the version.
 */
import type { Action, AttrValue, Category, Message, OfficerRole, Platform, Severity } from '../types.js';

export const RULE_KINDS = ['predicate', 'pair', 'deadline', 'slidingCount', 'distinctCount', 'elapsed', 'peerOutlier', 'sequence', 'amountChange', 'assignmentBias', 'queueJump'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Which matters an indicator applies to; every given field must match (AND). Empty = all matters. */
export interface MatterFilter {
  categories?: Category[];
  codes?: string[];
  power?: boolean;
  platforms?: Platform[];
  /** the matter's `auto` flag (routine matter the system handles alone) */
  auto?: boolean;
  /** the matter carries at least one of these tags */
  tags?: string[];
}

export type CmpOp = '>' | '>=' | '<' | '<=' | '==' | '!=' | 'exists' | 'absent';
export type EventField = 'amount' | 'taxpayer' | 'window' | 'platform' | 'bureau' | 'officer' | 'matter';

/**
 * A condition on one event (uptime-kuma style plain data). A list of conditions is an AND.
 * Numeric comparisons on an absent value are false; `absent` is true for a missing value.
 */
export type Condition =
  | { field: EventField; op: CmpOp; value?: AttrValue }
  | { attr: string; eq?: AttrValue; ne?: AttrValue; op?: CmpOp; value?: AttrValue }
  /** outside working hours of the working calendar (reference data): not a working day, or outside 08:00–18:00 local */
  | { offHours: boolean }
  /** the local date is not a working day of the working calendar (weekend not made up, or public holiday) */
  | { restDay: boolean }
  /** local Saturday/Sunday, whatever the calendar says */
  | { weekend: boolean }
  /** local time in [22:00, 06:00) */
  | { night: boolean }
  /** amount > matter.limits[level-1] of the acting officer (no limits / no amount: false) */
  | { amountAboveLimit: boolean }
  /** amount within [fraction × limit, limit] of the acting officer's limit: "just below authority" */
  | { amountNearLimit: number }
  /** amount ≥ value × matter.limits[4] (the top level's limit) */
  | { amountOfTopLimit: number }
  /** the event's bureau differs from the acting officer's bureau in the reference data (known officers only) */
  | { crossBureau: boolean }
  /** the service window belongs to another bureau than the event's (known windows only) */
  | { windowOtherBureau: boolean }
  /** the acting officer is not in the reference data */
  | { unknownOfficer: boolean }
  /** the acting officer's role is one of these (unknown officers match nothing) */
  | { officerRole: OfficerRole[] }
  /** the acting officer's level is at most / at least */
  | { officerLevelAtMost: number }
  | { officerLevelAtLeast: number }
  /** amount is a positive multiple of value (round-sum payments) */
  | { amountMultipleOf: number }
  /** the named attr equals the acting officer's id (e.g. assignee = assigner) */
  | { attrIsOfficer: string }
  /** the event's matter matches this filter (steps of a sequence across matters) */
  | { matter: MatterFilter }
  /** the acting officer is on record but marked `active: false` (a departed officer's account) */
  | { officerInactive: boolean }
  /** the penalty `attrs.penalty` is below / above the matter's `penalty_band` × `attrs.tax_base` */
  | { penaltyOutsideBand: 'below' | 'above' }
  /** amount compared with factor × a numeric attr (e.g. new invoice quota > 2 × attrs.previous_quota) */
  | { amountVsAttr: { attr: string; op: '>' | '<'; factor: number } }
  /** `attrs.attachments` is below the matter's `required_docs` (attr absent or no requirement: false) */
  | { attachmentsBelowRequired: boolean }
  /** `attrs.recorded_at` (ISO date-time) lies more than this many ms after `ts`: back-dated entry */
  | { recordedLaterThan: number }
  /** OR of conditions */
  | { any: Condition[] };

/** One step of a pattern: the actions that make it, extra conditions, and whether `system` counts. */
export interface Step {
  actions: Action[];
  when?: Condition[];
  /** `system` events count as this step (context only; `system` is never a subject). Default false. */
  includeSystem?: boolean;
}

export interface PredicateParams {
  when: Condition[];
}

export interface PairParams {
  first: Step;
  second: Step;
  /** relation between the officers of the two events */
  officer: 'same' | 'different' | 'any';
  /** the pair may complete in either order (PRC-01); requires once = 'item' */
  eitherOrder?: boolean;
  /** only the item's first `first` event (in ts order) counts (PRC-04) */
  firstOnly?: boolean;
  /** second.ts must be strictly later than first.ts */
  strictlyLater?: boolean;
  /** second.ts − first.ts ≤ withinMs */
  withinMs?: number;
  once: 'item' | 'event';
  /** whose conduct the alert is about: the officer of the first or the second event */
  subject: 'first' | 'second';
  /** per-item state is forgotten after this much event time without activity (default 180 d) */
  stateTtlMs?: number;
}

export interface DeadlineParams {
  start: Step;
  close: Step;
  /** accept/handle events whose officer becomes the subject (latest wins); else the start's officer */
  handler?: Step;
  /** deadline = start.ts + standardHoursFactor × matter.standard_hours h, or + fixedMs */
  standardHoursFactor?: number;
  fixedMs?: number;
  /** the deadline counts working hours of the working calendar, not elapsed time (TSK-01 stays elapsed) */
  workingTime?: boolean;
  /** a close event seen before the start (in ts order) also counts: "the item has no close with ts ≤ deadline" */
  priorCloseCounts?: boolean;
  /** per-item state is forgotten this long (event time) after the item is decided or last seen (default 180 d) */
  stateTtlMs?: number;
}

export type KeyPart = 'officer' | 'item' | 'taxpayer' | 'matter' | 'window' | 'bureau';

export interface SlidingCountParams {
  /** state key; must include 'officer' (the subject) */
  key: KeyPart[];
  count: number;
  windowMs: number;
  /** after an alert, events with ts ≤ alert ts + quietMs (inclusive) are ignored; 0 = none */
  quietMs: number;
  when?: Condition[];
}

export interface DistinctCountParams {
  /** the key pair, must include 'officer' */
  key: KeyPart[];
  /** the field whose distinct values are counted */
  distinct: KeyPart;
  count: number;
  windowMs: number;
  quietMs: number;
  when?: Condition[];
}

export interface ElapsedParams {
  from: Step;
  to: Step;
  /** 'lt': alert when elapsed < threshold (too fast); 'gt': when elapsed > threshold (too slow) */
  op: 'lt' | 'gt';
  thresholdMs?: number;
  /** threshold = fraction × matter.standard_hours */
  standardHoursFraction?: number;
  /** elapsed time counts only working hours of the working calendar */
  workingTime?: boolean;
  /** conditions the (first) `to` event must meet to be evaluated at all */
  toWhen?: Condition[];
}

/** A part of an officer's peer group: bureau (reference data), role (reference data), matter mix (the matter they handled most in the period). */
export type PeerGroupPart = 'bureau' | 'role' | 'mix';

export interface PeerOutlierParams {
  period: 'day' | 'week';
  numerator: Step;
  /** rate = numerator / denominator per officer; absent: a plain count */
  denominator?: Step;
  /** events that make an officer active in the period (a peer with 0) besides numerator/denominator events */
  activity?: Step;
  /**
   * the score's centre and spread, computed over the peers without the subject: 'robust' (default)
   * median and 1.4826 × MAD; 'leaveOneOut' mean and population standard deviation
   */
  statistic?: 'robust' | 'leaveOneOut';
  /** the smallest spread used (default: 1 for counts, 0.05 for rates); counts also use at least √centre (Poisson) */
  minSpread?: number;
  /** score threshold: (x − centre) / spread ≥ z */
  z: number;
  /** the officer needs at least this many numerator events */
  minCount: number;
  /** for rates: the officer needs at least this many denominator events (default 1) */
  minDenominator?: number;
  /** the peer group needs at least this many other active officers in the period */
  minPeers: number;
  /** peer group, most specific first (default ['bureau', 'role']); a group too small falls back by dropping the last part */
  groupBy?: PeerGroupPart[];
  /** 'peers' (default), 'history' (the officer's own previous periods), or 'both' (an outlier against both) */
  compare?: 'peers' | 'history' | 'both';
  /** own-history comparison: the last `periods` active periods, needing at least `minPeriods` of them */
  history?: { periods: number; minPeriods: number };
}

/**
 * An ordered chain of steps on one key (e.g. one taxpayer across platforms), in ts order, the
 * last within windowMs of the first. Each step names its matters through a `matter` condition.
 */
export interface SequenceParams {
  /** e.g. ['taxpayer'] or ['officer', 'taxpayer']; every part must be present */
  key: KeyPart[];
  steps: Step[];
  windowMs: number;
  /** an event of this step clears the chains of its key (e.g. the arrears were paid) */
  reset?: Step;
  /** index of the step whose officer is the subject (that step must not include `system`) */
  subject: number;
  /** after an alert, the key is quiet until alert ts + quietMs (inclusive) */
  quietMs: number;
}

/** An amount cut: a `to` event's amount below `below` × the latest `from` amount of the same key. */
export interface AmountChangeParams {
  key: 'item' | 'taxpayer';
  from: Step;
  to: Step;
  /** fraction: alert when to.amount < below × from.amount */
  below: number;
  /** to.ts − from.ts ≤ withinMs (default 180 d) */
  withinMs?: number;
}

/**
 * A test of the business's own random assignment: per taxpayer, the `assign` events that say
 * `attrs.mode = "random"` within windowMs; an officer (`attrs.assignee`) drawn k of n times when the
 * pool (active officers of the bureau with one of `poolRoles`) gives chance 1/pool, alert when
 * P(X ≥ k) < alpha under Binomial(n, 1/pool) and k ≥ minCount; then quiet for that pair.
 */
export interface AssignmentBiasParams {
  windowMs: number;
  minCount: number;
  alpha: number;
  poolRoles: OfficerRole[];
  quietMs: number;
}

export type RuleParams = PredicateParams | PairParams | DeadlineParams | SlidingCountParams | DistinctCountParams | ElapsedParams | PeerOutlierParams
  | SequenceParams | AmountChangeParams | AssignmentBiasParams | QueueJumpParams;

/** Window acceptances carrying `attrs.ticket`: ticket t served after a ticket ≥ t + gap, same bureau and local day. */
export interface QueueJumpParams {
  gap: number;
}

export interface IndicatorDef {
  id: string;
  version: number;
  name: Message;
  category: Category;
  severity: Severity;
  kind: RuleKind;
  params: RuleParams;
  matters: MatterFilter;
  /** the actions the indicator listens to (routing) */
  actions: Action[];
  enabled: boolean;
  rationale: Message;
  /** optional attrs the indicator relies on, documented for business systems */
  attrs?: string[];
}

export const CORE_IDS = ['SVC-01', 'PRC-01', 'PRC-02', 'PRC-03', 'PRC-04', 'PRC-05', 'INS-01', 'INS-02', 'FIL-01', 'TSK-01', 'TSK-02'] as const;
