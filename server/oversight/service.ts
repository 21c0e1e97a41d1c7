/**
 * Oversight (docs/security.md "Oversight indicators"): the OVS indicators of
 * streams/oversight/indicators.ts over the product's own audit trail, as it is appended. Their
 * alerts go to `oversight_alerts` (never to the business alerts, the wall or any push) and are read
 * by HQ leaders only, never by the people they are about.
 *
 * The evaluator's state lives in memory; at start it is rebuilt by replaying the audit records of
 * the indicators' longest window (90 days), the open tasks' assignees seeded first. Alert ids are
 * the indicator and the raising record's seq, so a replay stores nothing twice.
 */
import type { Store } from '../../sql/store.js';
import type { Logger } from '../log.js';
import type { AuditRow } from '../../sql/queries/audit.js';
import { auditRowsForOversight, insertOversightAlerts, knownOversightIds, openTaskAssignees, type OversightAlertRow } from '../../sql/queries/oversight.js';
import { OVERSIGHT_ACTIONS, OVERSIGHT_HORIZON_MS, OversightEvaluator, type CalendarLike, type OversightAlert } from '../../streams/oversight/indicators.js';

export interface OversightDeps {
  store: Store; log: Logger; clock: () => number;
  /** The actor's current role and officer (users are cached in memory). */
  userOf(username: string): { role: string; officer: string } | null;
  calendar(): CalendarLike;
}

const WANTED = new Set(OVERSIGHT_ACTIONS);

export class OversightService {
  private readonly evaluator = new OversightEvaluator();
  private chain: Promise<unknown> = Promise.resolve();
  private lastSeq = 0;
  private started = false;
  /** Records appended before the replay finished: evaluated after it, in order. */
  private early: AuditRow[] = [];
  raised = 0;

  constructor(private readonly deps: OversightDeps) {}

  /** Wired as the audit log's `onAppended`. */
  readonly onAppended = (rows: readonly AuditRow[]): void => {
    const wanted = rows.filter((r) => WANTED.has(r.action));
    if (!wanted.length) return;
    if (!this.started) { this.early.push(...wanted); return; }
    void this.enqueue(wanted); // failures are logged by the chain
  };

  private enqueue(rows: readonly AuditRow[]): Promise<void> {
    const p = this.chain.then(() => this.apply(rows));
    this.chain = p.catch((err) => this.deps.log.error('oversight evaluation failed', err instanceof Error ? err.message : err));
    return p;
  }

  /** Replays the recent audit trail, then evaluates live records. */
  async start(): Promise<void> {
    try {
      for (const t of await openTaskAssignees(this.deps.store)) this.evaluator.knowAssignee(t.id, t.assignee);
      const rows = await auditRowsForOversight(this.deps.store, this.deps.clock() - OVERSIGHT_HORIZON_MS, OVERSIGHT_ACTIONS);
      await this.apply(rows);
    } catch (err) {
      this.deps.log.warn('oversight replay failed; evaluating live records only:', err instanceof Error ? err.message : err);
    }
    this.started = true;
    const early = this.early;
    this.early = [];
    await this.enqueue(early);
  }

  /** Resolves when every record appended so far is evaluated and its alerts stored. */
  idle(): Promise<unknown> { return this.chain; }

  private async apply(rows: readonly AuditRow[]): Promise<void> {
    const alerts: OversightAlert[] = [];
    const calendar = this.deps.calendar();
    for (const r of rows) {
      if (r.seq <= this.lastSeq) continue;
      this.lastSeq = r.seq;
      const who = this.deps.userOf(r.actor);
      let details: Record<string, unknown> = {};
      try { details = r.details ? JSON.parse(r.details) as Record<string, unknown> : {}; } catch { /* a record without JSON details still counts */ }
      alerts.push(...this.evaluator.evaluate({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, target: r.target, details, actorRole: who?.role ?? '', actorOfficer: who?.officer ?? '' }, calendar));
    }
    if (!alerts.length) return;
    const known = await knownOversightIds(this.deps.store, alerts.map((a) => a.id));
    const fresh: OversightAlertRow[] = alerts.filter((a) => !known.has(a.id)).map((a) => ({ ...a, details: JSON.stringify(a.details) }));
    await insertOversightAlerts(this.deps.store, fresh);
    this.raised += fresh.length;
  }
}
