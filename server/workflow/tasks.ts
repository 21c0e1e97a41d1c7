/**
 * Risk tasks (workflow.md): opened from alerts (or review suspicions), assigned by a reproducible
 * weighted draw, then accepted, resolved and closed with a second person's sign-off. Every change is
 * a new row version in `tasks`, an appended row in `task_events` (who, when, why), an audit record
 * and a `task` push. Changes are serialized in-process; the working set (tasks not closed) is cached
 * and rebuilt from ClickHouse at start.
 */
import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import type { CoreContext } from '../context.js';
import type { SessionUser } from '../auth/tokens.js';
import { failure, success, type Outcome } from '../outcome.js';
import {
  activeTasks, drawById, drawsForTask, getTask, insertDraws, insertTaskEvents, insertTaskVersions, lastTaskSeqs, storedDrawIds, storedTaskEventKeys, storedTaskVersions,
  type DrawRow, type TaskEventRow, type TaskRow,
} from '../../sql/queries/tasks.js';
import { countAuditOfBatch } from '../../sql/queries/audit.js';
import { activeCases, insertCaseVersions, storedCaseVersions, type CaseRow } from '../../sql/queries/cases.js';
import { CaseBook } from './case-book.js';
import { join } from 'node:path';
import { IntentLog, type WorkflowIntent } from './intents.js';
import { referenceVersion } from '../../sql/queries/reference.js';
import { auditRowAt } from '../../sql/queries/audit.js';
import { DRAW_COMMIT_ACTION, DRAW_EXPORT_FORMAT, deriveDrawSeed, verifyDrawExport, type DrawCommitDetails, type DrawExport } from '../../streams/workflow/draw-proof.js';
import { alertsByIds, alertsWithoutTask, updateAlerts, type StoredAlert } from '../../sql/queries/alerts.js';
import { eventsByIds, storeDeadLetters } from '../../sql/queries/events.js';
import { insertIsolating } from '../../sql/isolate.js';
import { SEVERITIES, type Alert, type IngestedEvent, type Severity } from '../../streams/types.js';
import type { AuditEntry } from '../context.js';
import type { Applier, Proposal } from '../proposals/service.js';
import { ASSIGNMENT_ALGORITHM, candidateWeight, draw, eligibleCandidates, exclusionOf, neededLevel } from '../../streams/workflow/assignment.js';
import {
  DEFAULT_DEADLINE_HOURS, TASK_RESULTS, deadlineFor, isUnfinished, maxSeverity, severityAtLeast, transition, type TaskResult, type TaskState,
} from '../../streams/workflow/tasks.js';

export interface TaskSettings {
  minSeverity: Severity; deadlineHours: Record<Severity, number>;
  /** A subject's new task joins their unfinished case only if the case was opened within this (docs/cases.md). */
  caseWindowMs?: number;
  /**
   * An open task takes new alerts at most once per this interval: alerts for a task attached to less
   * than this ago wait for its next attach (docs/workflow.md, "one open task under a long storm"). 0: every batch attaches.
   */
  attachEveryMs?: number;
}

export const DEFAULT_ATTACH_EVERY_MS = 5_000;
/** A task or case of this many alerts waits `attachEveryMs` between attaches; twice as many, twice as long. */
export const ATTACH_ALERTS_PER_WAIT = 100;
/** The longest wait between two attaches to one task, however large. */
export const ATTACH_WAIT_MAX_MS = 10 * 60_000;

export const DEFAULT_CASE_WINDOW_MS = 30 * 86_400_000;

type Change = { action: string; actor: string; reason?: string; details?: Record<string, unknown>; firstAssign?: boolean };

const subjectKey = (subject: string, indicator: string): string => `${subject}\u0000${indicator}`;
/** The load of the weighting: tasks assigned to an officer and not yet resolved. */
const countsAsLoad = (t: TaskRow): boolean => t.assignee !== '' && (t.state === 'assigned' || t.state === 'investigating');

/**
 * The writes of one batch (of alerts, or of one user action), kept until the batch is done and then
 * stored with one insert per table, behind a write-ahead intent (intents.ts): a storm of alerts over
 * many subjects would otherwise cost 4–10 store round trips per task and fall behind, and a crash
 * between the inserts would leave the batch half stored. The evidence events the draws need are read
 * once for the batch.
 */
interface BatchWrites {
  tasks: TaskRow[];
  events: TaskEventRow[];
  draws: DrawRow[];
  alerts: StoredAlert[];
  cases: CaseRow[];
  audit: AuditEntry[];
  changed: TaskRow[];
  evidence: Map<string, IngestedEvent> | null;
}

export class TaskService {
  /** Every task change, after it is stored. */
  readonly changes$ = new Subject<TaskRow>();
  /** Every case change, after it is stored. */
  readonly caseChanges$ = new Subject<CaseRow>();
  /** Cases not closed: which case a subject's new task joins, and each case's task states. */
  readonly cases: CaseBook;
  private readonly active = new Map<string, TaskRow>();
  private readonly seqs = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private lastVersion = 0;
  /** Set while a batch of alerts is handled: writes wait there (see BatchWrites). */
  private batch: BatchWrites | null = null;
  /** Indexes over `active`, kept by `track`: the open alert task per subject and indicator, and each officer's load. */
  private readonly openBySubject = new Map<string, string>();
  private readonly loads = new Map<string, number>();
  /** Alerts handed to `onAlerts` and not yet taken by a batch. */
  private waiting: Alert[] = [];
  /**
   * Alerts held for their open task's next attach (task id → alerts, in the order raised), and when
   * each open task last took alerts. Held alerts are stored and have no task link yet: after a crash
   * they are orphans, which the next start attaches (`adoptOrphans`).
   */
  private readonly held = new Map<string, { alerts: Alert[]; due: number }>();
  private readonly lastAttach = new Map<string, number>();
  private heldTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly intents: IntentLog;
  /** Intents of a previous run completed at start (GET /api/health, the crash tests). */
  recovered = 0;

  constructor(private readonly ctx: CoreContext, readonly settings: TaskSettings = { minSeverity: 'medium', deadlineHours: DEFAULT_DEADLINE_HOURS }) {
    this.intents = new IntentLog(join(ctx.config.DATA_DIR, 'workflow-intents'));
    this.cases = new CaseBook(settings.caseWindowMs ?? DEFAULT_CASE_WINDOW_MS);
  }

  private stopped = false;

  /**
   * Loads the working set (and runs `first` once, e.g. seeding), retrying while the store is down;
   * every change queues behind it. Does not block the start of the product.
   */
  init(first: () => Promise<void> = async () => {}): Promise<void> {
    return this.serial(async () => {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          await first();
          // What a previous run began and did not finish is completed before the working set is read.
          for (const intent of this.intents.pending()) {
            await this.applyIntent(intent, true);
            this.intents.done(intent.id);
            this.recovered++;
          }
          if (this.recovered) this.ctx.log.info(`risk tasks: ${this.recovered} interrupted write batches completed`);
          const rows = await activeTasks(this.ctx.store);
          for (const t of rows) this.track(t);
          this.cases.load(await activeCases(this.ctx.store), rows);
          for (const [id, s] of await lastTaskSeqs(this.ctx.store, rows.map((t) => t.id))) this.seqs.set(id, s);
          return;
        } catch (err) {
          if (attempt % 10 === 0) this.ctx.log.warn('risk tasks: store not ready, retrying', err instanceof Error ? err.message : err);
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
  }

  /**
   * Alerts stored but never turned into a task (the process stopped or died in between) get their
   * task now: the alert is durable first, the task follows, so none is lost.
   */
  async adoptOrphans(): Promise<number> {
    const sev = SEVERITIES.filter((s) => severityAtLeast(s, this.settings.minSeverity));
    const orphans = await alertsWithoutTask(this.ctx.store, sev);
    if (orphans.length) await this.onAlerts(orphans);
    return orphans.length;
  }

  /** Runs changes one at a time (the state machine and the loads must not race). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every change asked for so far is done (alerts held for an attach are attached now). */
  idle(): Promise<void> {
    if (this.held.size) void this.releaseHeld(true);
    return this.chain.then(() => undefined);
  }

  private version(): number {
    this.lastVersion = Math.max(this.ctx.clock() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  unfinished(): TaskRow[] { return [...this.active.values()].filter((t) => isUnfinished(t.state as TaskState)); }

  /** Unfinished tasks per assignee (the load of the weighting). */
  loadOf(officer: string): number { return this.loads.get(officer) ?? 0; }

  /** Puts a task version into the working set (closed tasks leave it) and keeps the indexes in step. */
  private track(row: TaskRow): void {
    const prev = this.active.get(row.id);
    if (prev) this.untrack(prev);
    if (row.state === 'closed') { this.lastAttach.delete(row.id); return; }
    this.active.set(row.id, row);
    if (row.source === 'alert' && isUnfinished(row.state as TaskState)) this.openBySubject.set(subjectKey(row.subject_officer, row.indicator), row.id);
    if (countsAsLoad(row)) this.loads.set(row.assignee, (this.loads.get(row.assignee) ?? 0) + 1);
  }

  private untrack(row: TaskRow): void {
    this.active.delete(row.id);
    const key = subjectKey(row.subject_officer, row.indicator);
    if (this.openBySubject.get(key) === row.id) this.openBySubject.delete(key);
    if (countsAsLoad(row)) {
      const n = (this.loads.get(row.assignee) ?? 0) - 1;
      if (n > 0) this.loads.set(row.assignee, n); else this.loads.delete(row.assignee);
    }
  }

  /** The task from the working set (not closed), without asking the store. */
  activeTask(id: string): TaskRow | undefined { return this.active.get(id); }

  async get(id: string): Promise<TaskRow | null> {
    return this.active.get(id) ?? (await getTask(this.ctx.store, id));
  }

  private async save(t: TaskRow, from: string, c: Change): Promise<TaskRow> {
    const now = this.ctx.clock();
    const row: TaskRow = { ...t, updated_at: now, version: this.version() };
    const seq = (this.seqs.get(t.id) ?? 0) + 1;
    const ev: TaskEventRow = {
      task_id: t.id, seq, ts: now, actor: c.actor, action: c.action, from_state: from, to_state: row.state, reason: c.reason ?? '',
      details: c.details ? JSON.stringify(c.details) : '', indicator: row.indicator, severity: row.severity, bureau: row.bureau,
      subject_officer: row.subject_officer, result: row.result, task_created_at: row.created_at, deadline: row.deadline, first_assign: c.firstAssign ? 1 : 0,
    };
    const audit: AuditEntry = { actor: c.actor, action: `task_${c.action}`, target: `task:${t.id}`, details: { from, to: row.state, reason: c.reason, ...c.details } };
    const b = this.current();
    const caseRow = this.cases.apply(row, now, this.version());
    if (caseRow) b.cases.push(caseRow);
    b.tasks.push(row);
    b.events.push(ev);
    b.audit.push(audit);
    b.changed.push(row);
    this.keep(row, seq);
    return row;
  }

  /** The batch being collected: every write goes through one (see BatchWrites). */
  private current(): BatchWrites {
    if (!this.batch) throw new Error('risk tasks: a write outside a batch');
    return this.batch;
  }

  /** Runs `fn` collecting its writes, then stores them as one batch. */
  private async inBatch<T>(fn: () => Promise<T>): Promise<T> {
    const batch: BatchWrites = { tasks: [], events: [], draws: [], alerts: [], cases: [], audit: [], changed: [], evidence: null };
    this.batch = batch;
    let out: T;
    try {
      out = await fn();
    } finally {
      this.batch = null;
    }
    await this.storeBatch(batch);
    return out;
  }

  /** The working set and the history counter after a change. */
  private keep(row: TaskRow, seq: number): void {
    this.track(row);
    if (row.state === 'closed') this.seqs.delete(row.id); else this.seqs.set(row.id, seq);
  }

  private async linkAlerts(alerts: readonly Alert[], taskId: string, status: Alert['status']): Promise<void> {
    if (!alerts.length) return;
    this.current().alerts.push(...alerts.map((a) => ({ ...a, status, task_id: taskId })));
  }

  /**
   * New alerts: open a task, or attach to the unfinished task of the same subject and indicator.
   * Alerts of one subject and indicator are handled together: a storm becomes one attach, not one write per alert.
   */
  onAlerts(alerts: readonly Alert[]): Promise<void> {
    for (const a of alerts) this.waiting.push(a);
    return this.serial(async () => {
      // Whoever runs first takes every alert waiting by then: under a storm batches grow instead of queueing.
      const taken = this.waiting;
      if (taken.length === 0) return;
      this.waiting = [];
      const groups = new Map<string, Alert[]>();
      for (const a of taken) {
        if (!severityAtLeast(a.severity, this.settings.minSeverity)) continue;
        const key = subjectKey(a.officer ?? '', a.indicator);
        const g = groups.get(key);
        if (g) g.push(a); else groups.set(key, [a]);
      }
      await this.handle(this.holdStorms(groups));
    });
  }

  /**
   * The wait between two attaches to a task: `attachEveryMs`, and longer for a large task or case,
   * in proportion to the alerts its next version rewrites (the task's lists, and its case's, are
   * written whole), so that a long storm costs the same each minute instead of more and more; at
   * most ATTACH_WAIT_MAX_MS.
   */
  private attachWait(t: TaskRow): number {
    const every = this.settings.attachEveryMs ?? DEFAULT_ATTACH_EVERY_MS;
    if (every <= 0) return 0;
    const size = Math.max(t.alert_ids.length, (t.case_id ? this.cases.get(t.case_id)?.alert_ids.length : 0) ?? 0);
    return Math.min(ATTACH_WAIT_MAX_MS, Math.max(every, (size / ATTACH_ALERTS_PER_WAIT) * every));
  }

  /**
   * Takes out the groups whose open task took alerts more recently than its wait (`attachWait`):
   * they are held for its next attach, so that a storm rewrites a task (its alert and evidence
   * lists, its case) a few times a minute at most, not with every batch of alerts.
   */
  private holdStorms(groups: Map<string, Alert[]>): Alert[][] {
    const now = this.ctx.clock();
    const rest: Alert[][] = [];
    for (const [key, g] of groups) {
      const taskId = this.openBySubject.get(key);
      const task = taskId === undefined ? undefined : this.active.get(taskId);
      const last = taskId === undefined ? undefined : this.lastAttach.get(taskId);
      const due = task && last !== undefined ? last + this.attachWait(task) : -Infinity;
      if (!task || now >= due) {
        // Alerts still held for this task go first, in the order raised.
        const before = task ? this.held.get(task.id) : undefined;
        if (before) this.held.delete(task!.id);
        rest.push(before ? [...before.alerts, ...g] : g);
        continue;
      }
      const h = this.held.get(task.id);
      if (h) h.alerts.push(...g); else this.held.set(task.id, { alerts: [...g], due });
    }
    this.scheduleRelease();
    return rest;
  }

  /** A timer for the earliest held group's attach. */
  private scheduleRelease(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    if (!this.held.size || this.stopped) return;
    let first = Infinity;
    for (const h of this.held.values()) first = Math.min(first, h.due);
    this.heldTimer = setTimeout(() => { this.heldTimer = null; void this.releaseHeld(false); }, Math.max(0, first - this.ctx.clock()));
    this.heldTimer.unref?.();
  }

  /** Alerts held for their task's next attach (GET /api/health). */
  get heldAlerts(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.alerts.length;
    return n;
  }

  /** Attaches the held alerts now: those due, or all of them. */
  private releaseHeld(all: boolean): Promise<void> {
    return this.serial(async () => {
      const now = this.ctx.clock();
      const groups: Alert[][] = [];
      for (const [id, h] of this.held) {
        if (!all && h.due > now) continue;
        groups.push(h.alerts);
        this.held.delete(id);
      }
      this.scheduleRelease();
      await this.handle(groups);
    });
  }

  /** Opens or attaches each group (one subject and indicator, in the order raised) in one batch. */
  private async handle(groups: readonly Alert[][]): Promise<void> {
    if (groups.length === 0) return;
    // The evidence of the groups that open a task (an attach draws nobody). Read at once: without it
    // each draw reads its own evidence (and fails on its own if the store is down).
    const opening = groups.filter((g) => !this.openBySubject.has(subjectKey(g[0]!.officer ?? '', g[0]!.indicator)));
    const evidenceIds = [...new Set(opening.flatMap((g) => g.flatMap((a) => a.evidence)))];
    const evidence = await eventsByIds(this.ctx.store, evidenceIds).then((evs) => new Map(evs.map((e) => [e.id, e])), () => null);
    const batch: BatchWrites = { tasks: [], events: [], draws: [], alerts: [], cases: [], audit: [], changed: [], evidence };
    this.batch = batch;
    try {
      for (const group of groups) {
        // Stopping: what is left stays an alert without a task, picked up by `adoptOrphans` at the next start.
        if (this.stopped) break;
        try {
          await this.openOrAttach(group);
        } catch (err) {
          this.ctx.log.error('risk task for alerts failed', group[0]!.id, err instanceof Error ? err.message : err);
        }
      }
    } finally {
      this.batch = null;
    }
    await this.storeBatch(batch);
  }

  /**
   * The intent first (durable), then tasks and their history, draws, the alerts' links, the audit
   * records, then the intent is removed. The working set already holds the batch, so a store that is
   * down is retried until it answers (the next changes queue behind); on stop or a crash the intent
   * stays and the next start completes it.
   */
  private async storeBatch(b: BatchWrites): Promise<void> {
    if (b.tasks.length === 0 && b.alerts.length === 0 && b.draws.length === 0 && b.cases.length === 0) return;
    const now = this.ctx.clock();
    const id = this.intents.nextId(now);
    const intent: WorkflowIntent = {
      id, created_at: now, tasks: b.tasks, events: b.events, draws: b.draws, alerts: b.alerts, cases: b.cases, alert_version: now + 1,
      audit: b.audit.map((e) => ({ ...e, details: { ...e.details, batch: id } })),
    };
    let logged = true;
    try {
      this.intents.write(intent);
    } catch (err) {
      // No room for the intent (disk full): the batch is still stored, only without crash protection.
      logged = false;
      this.ctx.log.error('risk tasks: write-ahead intent not written', err instanceof Error ? err.message : err);
    }
    if (!(await this.applyIntent(intent, false))) return;
    if (logged) this.intents.done(id);
    for (const row of b.changed) this.changes$.next(row);
    for (const row of b.cases) this.caseChanges$.next(row);
  }

  /**
   * Stores an intent's rows, step by step. A step that failed (it may still have landed: "stored
   * but reported failed") and every step of a recovered intent (`careful`) first asks the store what
   * it already has and inserts only the rest, so no retry writes a row twice. Returns false when
   * stopped before the end (the intent stays for the next start).
   */
  private async applyIntent(i: WorkflowIntent, careful: boolean): Promise<boolean> {
    const { store, audit } = this.ctx;
    const taskIds = [...new Set([...i.tasks.map((t) => t.id), ...i.events.map((e) => e.task_id), ...i.draws.map((d) => d.task_id)])];
    const steps: ((careful: boolean) => Promise<void>)[] = [
      async (c) => {
        const have = c ? await storedTaskVersions(store, taskIds) : new Map<string, number>();
        const rows = i.tasks.filter((t) => t.version > (have.get(t.id) ?? -1));
        await this.isolated('tasks', rows, (part) => insertTaskVersions(store, part), (t) => t.id);
      },
      async (c) => {
        const have = c ? await storedTaskEventKeys(store, taskIds) : new Set<string>();
        const rows = i.events.filter((e) => !have.has(`${e.task_id}|${e.seq}`));
        await this.isolated('task_events', rows, (part) => insertTaskEvents(store, part), (e) => e.task_id);
      },
      async (c) => {
        const have = c ? await storedDrawIds(store, taskIds) : new Set<string>();
        const rows = i.draws.filter((d) => !have.has(d.id));
        await this.isolated('draws', rows, (part) => insertDraws(store, part), (d) => d.task_id);
      },
      async (c) => {
        const cases = i.cases ?? [];
        if (!cases.length) return;
        const have = c ? await storedCaseVersions(store, [...new Set(cases.map((x) => x.id))]) : new Map<string, number>();
        const rows = cases.filter((x) => x.version > (have.get(x.id) ?? -1));
        await this.isolated('cases', rows, (part) => insertCaseVersions(store, part), (x) => x.id);
      },
      // Same rows at the same version would replace each other (ReplacingMergeTree, read FINAL); still, only what differs is written.
      async (c) => {
        const have = c ? new Map((await alertsByIds(store, i.alerts.map((a) => a.id))).map((a) => [a.id, a])) : new Map<string, StoredAlert>();
        const rows = i.alerts.filter((a) => { const h = have.get(a.id); return !h || h.task_id !== a.task_id || h.status !== a.status; });
        await this.isolated('alerts', rows, (part) => updateAlerts(store, part, i.alert_version), (a) => a.id);
      },
      async (c) => {
        if (!i.audit.length) return;
        // One insert per batch: all of its records are stored or none (a single insert block).
        if (c && (await countAuditOfBatch(store, i.id, i.created_at - 60_000)) > 0) return;
        await audit.recordAll(i.audit);
      },
    ];
    for (const step of steps) {
      for (let attempt = 0; ; attempt++) {
        try {
          await step(careful || attempt > 0);
          break;
        } catch (err) {
          if (this.stopped) return false;
          if (attempt % 10 === 0) this.ctx.log.warn('risk tasks: store not answering, retrying', err instanceof Error ? err.message : err);
          await new Promise((r) => setTimeout(r, Math.min(5000, 200 * (attempt + 1))));
        }
      }
    }
    return true;
  }

  /**
   * One workflow insert, poison-isolated (sql/isolate.ts): rows the store refuses are kept as dead
   * letters with its error and the rest is stored, so one bad row cannot hold back every later batch.
   * Throws when the store itself is failing (the step is retried).
   */
  private async isolated<T>(table: string, rows: readonly T[], insert: (part: readonly T[]) => Promise<void>, keyOf: (row: T) => string): Promise<void> {
    if (!rows.length) return;
    const health = this.ctx.storeWrites;
    const out = await insertIsolating(this.ctx.store, rows, insert, { table, health });
    if (!out.ok) throw new Error(out.error);
    if (!out.refused.length) return;
    const now = this.ctx.clock();
    const kept = await storeDeadLetters(this.ctx.store, out.refused.map(({ row, error }) => ({
      received_at: now, source: `workflow:${table}`, idx: -1, event_id: keyOf(row), reason: `store: refused the ${table} row: ${error.slice(0, 500)}`, raw: JSON.stringify(row), raw_base64: 0,
    })), health);
    this.ctx.log.error(`risk tasks: the store refused ${out.refused.length} ${table} row(s); ${kept ? 'kept as dead letters' : 'dead letters not stored'}:`, out.refused[0]!.error.slice(0, 200));
  }

  /** `alerts`: one subject and indicator, in the order raised. */
  private async openOrAttach(alerts: readonly Alert[]): Promise<void> {
    const first = alerts[0]!;
    const subject = first.officer ?? '';
    const openId = this.openBySubject.get(subjectKey(subject, first.indicator));
    let task = openId ? this.active.get(openId) : undefined;
    let rest = alerts;
    if (!task) {
      task = await this.open(first);
      rest = alerts.slice(1);
    }
    this.lastAttach.set(task.id, this.ctx.clock());
    const cur = this.active.get(task.id) ?? task;
    const fresh = rest.filter((a) => !cur.alert_ids.includes(a.id));
    if (!fresh.length) return;
    const next: TaskRow = {
      ...cur, alert_ids: [...cur.alert_ids, ...fresh.map((a) => a.id)],
      evidence: [...new Set([...cur.evidence, ...fresh.flatMap((a) => a.evidence)])],
      severity: fresh.reduce((s, a) => maxSeverity(s, a.severity), cur.severity as Severity),
    };
    await this.save(next, cur.state, { action: 'attach', actor: 'system', details: fresh.length === 1 ? { alert: fresh[0]!.id } : { alerts: fresh.map((a) => a.id) } });
    await this.linkAlerts(fresh, cur.id, 'open');
  }

  private async open(a: Alert): Promise<TaskRow> {
    const subject = a.officer ?? '';
    const now = this.ctx.clock();
    const ref = this.ctx.reference.current;
    const t: TaskRow = {
      id: `TK-${randomUUID()}`, source: 'alert', state: 'open', indicator: a.indicator, category: a.category, severity: a.severity,
      subject_officer: subject, bureau: subject ? ref.bureauOf(subject, a.bureau ?? '') : a.bureau ?? '', item: a.item ?? '', matter: a.matter ?? '',
      alert_ids: [a.id], evidence: [...a.evidence], review_id: '', assignee: '', assigner: '', draw_id: '', override: 0, resolver: '', result: '',
      finding: '', closer: '', close_note: '', created_at: now, deadline: deadlineFor(now, a.severity, this.settings.deadlineHours),
      assigned_at: null, accepted_at: null, resolved_at: null, closed_at: null, updated_at: now, version: 0, case_id: '',
    };
    const joined = this.placeInCase(t);
    const created = await this.save(t, '', { action: 'create', actor: 'system', details: { alert: a.id, case: t.case_id || undefined } });
    await this.linkAlerts([a], t.id, 'open');
    return this.assignInCase(created, joined);
  }

  /** A risk task from a review's integrity suspicion (source 'review'). */
  createFromReview(r: { id: string; item: string; bureau: string; matter: string; handler: string; category: string }, actor: string): Promise<TaskRow> {
    return this.serial(() => this.inBatch(async () => {
      const now = this.ctx.clock();
      const severity: Severity = 'high';
      const t: TaskRow = {
        id: `TK-${randomUUID()}`, source: 'review', state: 'open', indicator: 'REVIEW', category: r.category, severity, subject_officer: r.handler,
        bureau: this.ctx.reference.current.bureauOf(r.handler, r.bureau), item: r.item, matter: r.matter, alert_ids: [], evidence: [], review_id: r.id,
        assignee: '', assigner: '', draw_id: '', override: 0, resolver: '', result: '', finding: '', closer: '', close_note: '', created_at: now,
        deadline: deadlineFor(now, severity, this.settings.deadlineHours), assigned_at: null, accepted_at: null, resolved_at: null, closed_at: null,
        updated_at: now, version: 0, case_id: '',
      };
      const joined = this.placeInCase(t);
      const created = await this.save(t, '', { action: 'create', actor, details: { review: r.id, case: t.case_id || undefined } });
      return this.assignInCase(created, joined);
    }));
  }

  /**
   * Sets the task's case: the subject's unfinished case opened within the grouping window, else a new
   * one (audited). Tasks without a subject officer have no case. Returns the case joined, if any.
   */
  private placeInCase(t: TaskRow): CaseRow | null {
    if (!t.subject_officer) return null;
    const now = this.ctx.clock();
    const joined = this.cases.joinable(t.subject_officer, now);
    if (joined) {
      t.case_id = joined.id;
      this.current().audit.push({ actor: 'system', action: 'case_join', target: `case:${joined.id}`, details: { task: t.id, indicator: t.indicator } });
      return joined;
    }
    t.case_id = `CS-${randomUUID()}`;
    this.cases.open({ id: t.case_id, subject_officer: t.subject_officer, bureau: t.bureau, created_at: now });
    this.current().audit.push({ actor: 'system', action: 'case_open', target: `case:${t.case_id}`, details: { task: t.id, subject: t.subject_officer, bureau: t.bureau } });
    return null;
  }

  /**
   * A case is investigated by one person: a task joining a case that a draw has assigned goes to the
   * case's assignee (carrying the case's draw), provided they are still eligible for it (not
   * excluded, level high enough); otherwise, and for a new case, the task is drawn for.
   */
  private async assignInCase(t: TaskRow, joined: CaseRow | null): Promise<TaskRow> {
    const c = joined ? this.cases.get(joined.id) ?? joined : null;
    if (c && c.assignee) {
      const o = this.ctx.reference.current.officers.get(c.assignee);
      const needed = neededLevel(t.severity as Severity, t.matter ? this.ctx.reference.current.matters.get(t.matter)?.difficulty : undefined);
      if (o && !exclusionOf(o, this.eligibility(t, await this.evidenceOfficers(t))) && candidateWeight(o.level, needed, 0) > 0) {
        const next: TaskRow = { ...t, state: 'assigned', assignee: c.assignee, assigner: 'system', draw_id: c.draw_id, assigned_at: this.ctx.clock() };
        return this.save(next, t.state, { action: 'assign', actor: 'system', details: { case: c.id, draw: c.draw_id, assignee: c.assignee, by: 'case' }, firstAssign: true });
      }
    }
    return this.assignByDraw(t);
  }

  private async evidenceOfficers(t: TaskRow): Promise<Set<string>> {
    const known = this.batch?.evidence ?? new Map<string, IngestedEvent>();
    const missing = t.evidence.filter((id) => !known.has(id));
    const evs = [...t.evidence.flatMap((id) => known.get(id) ?? []), ...(missing.length ? await eventsByIds(this.ctx.store, missing) : [])];
    return new Set(evs.map((e) => e.officer));
  }

  private eligibility(t: TaskRow, evidenceOfficers: Set<string>) {
    const ref = this.ctx.reference.current;
    return {
      officers: ref.data.officers, subject: t.subject_officer || null,
      subjectBureau: t.subject_officer ? ref.bureauOf(t.subject_officer, t.bureau) : t.bureau || null, evidenceOfficers,
    };
  }

  private async assignByDraw(t: TaskRow): Promise<TaskRow> {
    const ref = this.ctx.reference.current;
    const input = this.eligibility(t, await this.evidenceOfficers(t));
    const cands = eligibleCandidates(input);
    const excluded: Record<string, string> = {};
    for (const o of ref.data.officers) {
      if (o.role !== 'discipline') continue;
      const why = exclusionOf(o, input);
      if (why) excluded[o.id] = why;
    }
    const needed = neededLevel(t.severity as Severity, t.matter ? ref.matters.get(t.matter)?.difficulty : undefined);
    const drawId = `DR-${randomUUID()}`;
    const loadsNow = cands.map((c) => this.loadOf(c.id));
    // Commit first (stored now, in the chain), then derive the seed from the chain's head at the commit: nobody picks it.
    const details: DrawCommitDetails = {
      draw: drawId, task: t.id, algorithm: ASSIGNMENT_ALGORITHM, reference_version: ref.version, subject: input.subject, alert_bureau: t.bureau || null,
      severity: t.severity as Severity, matter: t.matter || null, evidence_officers: [...input.evidenceOfficers].sort(),
      loads: Object.fromEntries(cands.map((c, i) => [c.id, loadsNow[i]!]).filter(([, n]) => n !== 0)),
    };
    const commit = await this.ctx.audit.commit({ actor: 'system', action: DRAW_COMMIT_ACTION, target: `task:${t.id}`, details: details as unknown as Record<string, unknown> });
    const seed = deriveDrawSeed(commit.prev_hash, t.id);
    const inputs = { seed, needed, candidates: cands.map((c) => c.id), levels: cands.map((c) => c.level), loads: loadsNow };
    const res = draw(inputs);
    const row: DrawRow = {
      id: drawId, task_id: t.id, ts: this.ctx.clock(), algorithm: ASSIGNMENT_ALGORITHM, seed, needed_level: needed,
      candidates: inputs.candidates, levels: inputs.levels, loads: inputs.loads, weights: res.weights, excluded: JSON.stringify(excluded),
      pick: res.pick ?? '', pick_index: res.pickIndex, commit_seq: commit.seq, reference_version: ref.version,
    };
    const audit: AuditEntry = { actor: 'system', action: 'assignment_draw', target: `task:${t.id}`, details: { draw: row.id, seed, pick: row.pick, candidates: row.candidates.length, commit_seq: commit.seq } };
    const b = this.current();
    b.draws.push(row);
    b.audit.push(audit);
    if (!res.pick) {
      return this.save(t, t.state, { action: 'assign_failed', actor: 'system', reason: 'no eligible candidate with a positive weight', details: { draw: row.id } });
    }
    const next: TaskRow = { ...t, state: 'assigned', assignee: res.pick, assigner: 'system', draw_id: row.id, assigned_at: this.ctx.clock() };
    return this.save(next, t.state, { action: 'assign', actor: 'system', details: { draw: row.id, assignee: res.pick }, firstAssign: !t.assigned_at });
  }

  /** The task and the state `action` takes it to, or why not. */
  private async stepOf(id: string, action: 'accept' | 'resolve' | 'reassign' | 'close' | 'send_back'): Promise<Outcome<{ t: TaskRow; to: TaskState }>> {
    const t = await this.get(id);
    if (!t) return failure('not_found', 'task not found');
    const tr = transition(t.state as TaskState, action);
    if (!tr.ok) return failure('conflict', tr.error);
    return success({ t, to: tr.to });
  }

  /** Administrators are never assignees (they administer and never investigate). */
  private isAssignee(user: SessionUser, t: TaskRow): boolean {
    return user.role !== 'admin' && !!user.officer && user.officer === t.assignee;
  }

  accept(id: string, user: SessionUser): Promise<Outcome<TaskRow>> {
    return this.serial(() => this.inBatch(async () => {
      const s = await this.stepOf(id, 'accept');
      if (!s.ok) return s;
      const { t, to } = s.value;
      if (!this.isAssignee(user, t)) return failure('forbidden', 'only the assignee may accept this task');
      return success(await this.save({ ...t, state: to, accepted_at: this.ctx.clock() }, t.state, { action: 'accept', actor: user.username }));
    }));
  }

  resolve(id: string, user: SessionUser, body: { result?: unknown; finding?: unknown }): Promise<Outcome<TaskRow>> {
    return this.serial(() => this.inBatch(async () => {
      if (typeof body.result !== 'string' || !(TASK_RESULTS as readonly string[]).includes(body.result)) return failure('bad_request', `result: must be one of ${TASK_RESULTS.join(', ')}`);
      if (typeof body.finding !== 'string' || !body.finding.trim()) return failure('bad_request', 'finding: a written finding is required');
      if (body.finding.length > 20_000) return failure('bad_request', 'finding: at most 20,000 characters');
      const s = await this.stepOf(id, 'resolve');
      if (!s.ok) return s;
      const { t, to } = s.value;
      if (!this.isAssignee(user, t)) return failure('forbidden', 'only the assignee may resolve this task');
      const next: TaskRow = { ...t, state: to, result: body.result as TaskResult, finding: body.finding.trim(), resolver: user.username, resolved_at: this.ctx.clock() };
      return success(await this.save(next, t.state, { action: 'resolve', actor: user.username, details: { result: body.result } }));
    }));
  }

  /** Why `assignee` may not take task `id` now, or the task and its next state (checked when proposed and again when approved). */
  private async reassignable(id: string, assignee: string): Promise<Outcome<{ t: TaskRow; to: TaskState }>> {
    const s = await this.stepOf(id, 'reassign');
    if (!s.ok) return s;
    const { t } = s.value;
    const o = this.ctx.reference.current.officers.get(assignee);
    if (!o) return failure('bad_request', `assignee: unknown officer ${assignee}`);
    const why = exclusionOf(o, this.eligibility(t, await this.evidenceOfficers(t)));
    if (why) return failure('bad_request', `assignee: not eligible (${why})`);
    if (o.id === t.assignee && t.state !== 'open') return failure('conflict', 'the task is already assigned to this officer');
    return s;
  }

  /** A reassignment as a four-eyes proposal (it takes effect on approval, see `applyReassign`). */
  proposeReassign(id: string, user: SessionUser, body: { assignee?: unknown; reason?: unknown }): Promise<Outcome<Proposal>> {
    return this.serial(async () => {
      if (typeof body.assignee !== 'string' || !body.assignee) return failure('bad_request', 'assignee: an officer id is required');
      if (typeof body.reason !== 'string' || !body.reason.trim()) return failure('bad_request', 'reason: a reason is required');
      const ok = await this.reassignable(id, body.assignee);
      if (!ok.ok) return ok;
      const { t } = ok.value;
      return this.ctx.proposals.propose({
        kind: 'task_reassign', target: `task:${t.id}`, reason: body.reason,
        payload: { task: t.id, assignee: body.assignee, from_assignee: t.assignee || null, subject: t.subject_officer, bureau: t.bureau },
        summary: `${t.id} (${t.indicator}, subject ${t.subject_officer || '—'}): ${t.assignee || 'unassigned'} → ${body.assignee}`,
      }, user);
    });
  }

  /** The approved reassignment: the proposer is the assigner, the approver is recorded beside them. */
  readonly applyReassign: Applier = (p, decider) => this.serial(() => this.inBatch(async () => {
    const assignee = String(p.payload.assignee);
    const ok = await this.reassignable(String(p.payload.task), assignee);
    if (!ok.ok) return ok;
    const { t, to } = ok.value;
    const next: TaskRow = { ...t, state: to, assignee, assigner: p.proposer, override: 1, assigned_at: this.ctx.clock(), accepted_at: null };
    await this.save(next, t.state, {
      action: 'reassign', actor: p.proposer, reason: p.reason,
      details: { from_assignee: t.assignee || null, assignee, override: true, proposal: p.id, approved_by: decider.username, subject: t.subject_officer },
      firstAssign: !t.assigned_at,
    });
    return success({ task: t.id, assignee });
  }));

  /** Who may sign off (close or send back): a leader in scope, or the assigner; never the resolver, never an administrator. */
  private signOff(user: SessionUser, t: TaskRow): Outcome<null> {
    if (user.role === 'admin') return failure('forbidden', 'administrators do not sign off investigations: the assigner or a leader does');
    if (user.username === t.resolver || (!!user.officer && user.officer === t.assignee)) return failure('forbidden', 'the resolver may not sign off their own task: a second person does');
    const leaderInScope = user.role === 'leader' && (user.bureau === 'HQ' || user.bureau === t.bureau);
    if (!(leaderInScope || user.username === t.assigner)) return failure('forbidden', 'only the assigner or a leader may sign off a task');
    return success(null);
  }

  /** Sign-off refuses the resolution: back to investigating, with the reason; the previous finding stays in the history. */
  sendBack(id: string, user: SessionUser, body: { reason?: unknown }): Promise<Outcome<TaskRow>> {
    return this.serial(() => this.inBatch(async () => {
      if (typeof body.reason !== 'string' || !body.reason.trim()) return failure('bad_request', 'reason: a reason is required to send a task back');
      if (body.reason.length > 20_000) return failure('bad_request', 'reason: at most 20,000 characters');
      const s = await this.stepOf(id, 'send_back');
      if (!s.ok) return s;
      const { t, to } = s.value;
      const may = this.signOff(user, t);
      if (!may.ok) return may;
      const next: TaskRow = { ...t, state: to, result: '', finding: '', resolver: '', resolved_at: null };
      return success(await this.save(next, t.state, {
        action: 'send_back', actor: user.username, reason: body.reason.trim(),
        details: { previous_result: t.result, previous_finding: t.finding, previous_resolver: t.resolver },
      }));
    }));
  }

  close(id: string, user: SessionUser, body: { note?: unknown }): Promise<Outcome<TaskRow>> {
    return this.serial(() => this.inBatch(async () => {
      if (body.note !== undefined && typeof body.note !== 'string') return failure('bad_request', 'note: must be a string');
      const s = await this.stepOf(id, 'close');
      if (!s.ok) return s;
      const { t, to } = s.value;
      const may = this.signOff(user, t);
      if (!may.ok) return may;
      const next: TaskRow = { ...t, state: to, closer: user.username, close_note: (body.note ?? '').trim(), closed_at: this.ctx.clock() };
      const saved = await this.save(next, t.state, { action: 'close', actor: user.username, details: { note: next.close_note || undefined } });
      await this.linkAlerts(await alertsByIds(this.ctx.store, t.alert_ids), t.id, 'closed');
      return success(saved);
    }));
  }

  /**
   * A case's tasks moved together (docs/cases.md): every task is checked first (state, person, body)
   * and then all are changed in one batch, so either all of them move or none does.
   */
  acceptMany(ids: readonly string[], user: SessionUser): Promise<Outcome<TaskRow[]>> {
    return this.serial(() => this.inBatch(async () => {
      const steps: { t: TaskRow; to: TaskState }[] = [];
      for (const id of ids) {
        const s = await this.stepOf(id, 'accept');
        if (!s.ok) return failure(s.error.code, `${id}: ${s.error.message}`);
        if (!this.isAssignee(user, s.value.t)) return failure('forbidden', `${id}: only the assignee may accept this task`);
        steps.push(s.value);
      }
      const out: TaskRow[] = [];
      for (const { t, to } of steps) out.push(await this.save({ ...t, state: to, accepted_at: this.ctx.clock() }, t.state, { action: 'accept', actor: user.username, details: { case: t.case_id || undefined } }));
      return success(out);
    }));
  }

  resolveMany(ids: readonly string[], user: SessionUser, body: { result?: unknown; finding?: unknown }): Promise<Outcome<TaskRow[]>> {
    return this.serial(() => this.inBatch(async () => {
      if (typeof body.result !== 'string' || !(TASK_RESULTS as readonly string[]).includes(body.result)) return failure('bad_request', `result: must be one of ${TASK_RESULTS.join(', ')}`);
      if (typeof body.finding !== 'string' || !body.finding.trim()) return failure('bad_request', 'finding: a written finding is required');
      if (body.finding.length > 20_000) return failure('bad_request', 'finding: at most 20,000 characters');
      const steps: { t: TaskRow; to: TaskState }[] = [];
      for (const id of ids) {
        const s = await this.stepOf(id, 'resolve');
        if (!s.ok) return failure(s.error.code, `${id}: ${s.error.message}`);
        if (!this.isAssignee(user, s.value.t)) return failure('forbidden', `${id}: only the assignee may resolve this task`);
        steps.push(s.value);
      }
      const out: TaskRow[] = [];
      for (const { t, to } of steps) {
        const next: TaskRow = { ...t, state: to, result: body.result as TaskResult, finding: body.finding.trim(), resolver: user.username, resolved_at: this.ctx.clock() };
        out.push(await this.save(next, t.state, { action: 'resolve', actor: user.username, details: { result: body.result, case: t.case_id || undefined } }));
      }
      return success(out);
    }));
  }

  closeMany(ids: readonly string[], user: SessionUser, body: { note?: unknown }): Promise<Outcome<TaskRow[]>> {
    return this.serial(() => this.inBatch(async () => {
      if (body.note !== undefined && typeof body.note !== 'string') return failure('bad_request', 'note: must be a string');
      const steps: { t: TaskRow; to: TaskState }[] = [];
      for (const id of ids) {
        const s = await this.stepOf(id, 'close');
        if (!s.ok) return failure(s.error.code, `${id}: ${s.error.message}`);
        const may = this.signOff(user, s.value.t);
        if (!may.ok) return failure(may.error.code, `${id}: ${may.error.message}`);
        steps.push(s.value);
      }
      const out: TaskRow[] = [];
      for (const { t, to } of steps) {
        const next: TaskRow = { ...t, state: to, closer: user.username, close_note: (body.note ?? '').trim(), closed_at: this.ctx.clock() };
        out.push(await this.save(next, t.state, { action: 'close', actor: user.username, details: { note: next.close_note || undefined, case: t.case_id || undefined } }));
        await this.linkAlerts(await alertsByIds(this.ctx.store, t.alert_ids), t.id, 'closed');
      }
      return success(out);
    }));
  }

  /** The task's draws; a task assigned through its case has none of its own and shows the case's draw. */
  async draws(taskId: string): Promise<DrawRow[]> {
    const own = await drawsForTask(this.ctx.store, taskId);
    if (own.length) return own;
    const t = await this.get(taskId);
    const d = t?.draw_id ? await drawById(this.ctx.store, t.draw_id) : null;
    return d ? [d] : [];
  }

  /**
   * Every stored draw of a task as a self-contained export (docs/draws.md): the draw, its commit record
   * and the reference data version it names; what the offline verifier checks without the server.
   */
  async drawExports(taskId: string): Promise<Outcome<DrawExport[]>> {
    const t = await this.get(taskId);
    if (!t) return failure('not_found', 'task not found');
    let rows = await drawsForTask(this.ctx.store, taskId);
    // Assigned through its case: the case's draw (made for the case's first task) is this task's draw.
    if (!rows.length && t.draw_id) {
      const d = await drawById(this.ctx.store, t.draw_id);
      if (d) rows = [d];
    }
    const refs = new Map<number, Awaited<ReturnType<typeof referenceVersion>>>();
    const out: DrawExport[] = [];
    for (const d of rows) {
      if (!refs.has(d.reference_version)) refs.set(d.reference_version, d.reference_version ? await referenceVersion(this.ctx.store, d.reference_version) : null);
      const ref = refs.get(d.reference_version) ?? null;
      const commit = d.commit_seq ? await auditRowAt(this.ctx.store, d.commit_seq) : null;
      const { ts: _ts, excluded: _ex, ...stored } = d;
      out.push({
        format: DRAW_EXPORT_FORMAT,
        task: { id: t.id, assignee: t.assignee || null, override: t.override === 1, draw_id: t.draw_id || null },
        draw: stored, commit,
        reference: { version: ref?.version ?? 0, officers: ref?.data.officers ?? [], matters: (ref?.data.matters ?? []).map((m) => ({ code: m.code, difficulty: m.difficulty })) },
      });
    }
    return success(out);
  }

  /** Verifies every stored draw of a task against its commitment and the reference data as it stood (not the stored list). */
  async verifyDraws(taskId: string) {
    const exp = await this.drawExports(taskId);
    if (!exp.ok) return exp;
    const draws = exp.value.map((x) => {
      const v = verifyDrawExport(x);
      const passed = (name: string) => v.checks.some((c) => c.name === name && c.ok);
      return { ...v, id: x.draw.id, seed: x.draw.seed, pick: x.draw.pick || null, weights_match: passed('weights'), pick_match: passed('pick'), candidates_match: passed('candidates'), seed_match: passed('seed') };
    });
    const t = (await this.get(taskId))!;
    const first = draws[0];
    return success({
      task_id: t.id, ok: draws.length > 0 && draws.every((d) => d.ok), draws,
      assigned_by_draw: !!first && t.override === 0 ? t.assignee === first.recomputed_pick : null,
    });
  }

}
