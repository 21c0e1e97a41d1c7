/**
 * Handover to the discipline office (移送纪检, docs/handover.md). A task resolved `transferred` gets a
 * handover and its evidence package at once (the package's digests committed in the audit chain);
 * the office's receipt and follow-up states are recorded step by step, each audited:
 *   transferred → received (接收) → preliminary (初核) → filed (立案) → sanctioned (处分) | closed (了结)
 * (a preliminary check may also end in 了结). 处分 is a confirmed finding and feeds the confirmed share
 * (migration 091's views into the task rollups); 了结 without a finding does not.
 */
import type { CoreContext } from '../context.js';
import type { SessionUser } from '../auth/tokens.js';
import type { TaskService } from '../workflow/tasks.js';
import type { TaskRow } from '../../sql/queries/tasks.js';
import { taskHistory } from '../../sql/queries/tasks.js';
import { alertsByIds } from '../../sql/queries/alerts.js';
import { eventsByIds } from '../../sql/queries/events.js';
import { auditRowsBetween } from '../../sql/queries/audit.js';
import { getCase } from '../../sql/queries/cases.js';
import {
  firstAuditSeqOf, getHandover, handoverHistory, handoverPackage, insertHandover, insertHandoverEvent, insertHandoverPackage, listHandovers,
  transferredWithoutHandover, type HandoverEventRow, type HandoverRow,
} from '../../sql/queries/handovers.js';
import { alertToDTO, eventToDTO } from '../engine/dto.js';
import { taskToDTO } from '../workflow/dto.js';
import { PACKAGE_FORMAT, packageDigests, type EvidencePackage } from '../../streams/handover/package-proof.js';
import { failure, success, type Outcome } from '../outcome.js';
import type { Subscription } from 'rxjs';

export const HANDOVER_STATES = ['transferred', 'received', 'preliminary', 'filed', 'sanctioned', 'closed'] as const;
export type HandoverState = (typeof HANDOVER_STATES)[number];
/** Which follow-up states may follow which. */
const NEXT: Record<HandoverState, readonly HandoverState[]> = {
  transferred: ['received'], received: ['preliminary'], preliminary: ['filed', 'closed'], filed: ['sanctioned', 'closed'], sanctioned: [], closed: [],
};
const FINAL: ReadonlySet<HandoverState> = new Set(['sanctioned', 'closed']);

export const handoverIdOf = (taskId: string) => `ho-${taskId}`;

export class HandoverService {
  private chain: Promise<unknown> = Promise.resolve();
  private sub: Subscription | null = null;

  constructor(private readonly ctx: CoreContext, private readonly tasks: TaskService) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every handover asked for so far is made. */
  idle(): Promise<void> { return this.chain.then(() => undefined); }

  /** Watches task changes; transferred tasks a previous run left without a handover are taken up. */
  async start(): Promise<void> {
    this.sub = this.tasks.changes$.subscribe((t) => {
      if (t.state === 'resolved' && t.result === 'transferred') void this.ensureFor(t.id).catch((err) => this.ctx.log.error('handover failed', t.id, err instanceof Error ? err.message : err));
    });
    for (const id of await transferredWithoutHandover(this.ctx.store).catch(() => [])) await this.ensureFor(id).catch(() => undefined);
  }

  stop(): void { this.sub?.unsubscribe(); }

  /** The handover of a transferred task, made (with its package) if it does not exist yet. */
  ensureFor(taskId: string): Promise<HandoverRow | null> {
    return this.serial(async () => {
      const existing = await getHandover(this.ctx.store, handoverIdOf(taskId));
      if (existing) return existing;
      const t = await this.tasks.get(taskId);
      if (!t || t.result !== 'transferred') return null;
      return this.create(t);
    });
  }

  private async create(t: TaskRow): Promise<HandoverRow> {
    const { store, audit, clock } = this.ctx;
    const id = handoverIdOf(t.id);
    const now = clock();
    const [alerts, events, history, kase] = await Promise.all([
      alertsByIds(store, t.alert_ids), eventsByIds(store, t.evidence), taskHistory(store, t.id), t.case_id ? getCase(store, t.case_id) : Promise.resolve(null),
    ]);
    const body = {
      // The case the task belongs to (docs/cases.md) rides along with the task, so its digest covers it.
      task: { ...taskToDTO(t, t.resolved_at ?? now), finding: t.finding, resolver: t.resolver, case: kase ? { id: kase.id, state: kase.state, task_ids: kase.task_ids, alert_ids: kase.alert_ids, assignee: kase.assignee } : null } as Record<string, unknown>,
      history: history.map((h) => ({ seq: h.seq, ts: new Date(h.ts).toISOString(), actor: h.actor, action: h.action, from: h.from_state || null, to: h.to_state, reason: h.reason || null, details: h.details || null })),
      alerts: alerts.map((a) => alertToDTO(a) as unknown as { id: string }),
      events: events.map((e) => eventToDTO(e) as unknown as { id: string }),
    };
    const commit = await audit.commit({ actor: 'system', action: 'handover_package', target: `task:${t.id}`, details: { handover: id, task: t.id, digests: packageDigests(body) } });
    // The segment starts at the first record about the task or its case (case_open precedes the task's records).
    const firsts = await Promise.all([firstAuditSeqOf(store, `task:${t.id}`), kase ? firstAuditSeqOf(store, `case:${kase.id}`) : Promise.resolve(null)]);
    const first = Math.min(commit.seq, ...firsts.filter((x): x is number => x !== null));
    const chain = await auditRowsBetween(store, first - 1, commit.seq);
    const pkg: EvidencePackage = {
      format: PACKAGE_FORMAT,
      handover: { id, task_id: t.id, case_id: kase?.id ?? null, officer: t.subject_officer, bureau: t.bureau, indicator: t.indicator, transferred_by: t.resolver, created_at: new Date(now).toISOString() },
      ...body, commit, chain, chain_head: { seq: commit.seq, hash: commit.hash },
    };
    await insertHandoverPackage(store, { handover_id: id, created_at: now, json: JSON.stringify(pkg) });
    const row: HandoverRow = {
      id, task_id: t.id, case_id: kase?.id ?? '', indicator: t.indicator, subject_officer: t.subject_officer, bureau: t.bureau, state: 'transferred', outcome: '',
      transferred_by: t.resolver, receipt_no: '', package_seq: commit.seq, package_hash: commit.hash, task_resolved_at: t.resolved_at ?? now,
      created_at: now, updated_at: now, version: 1,
    };
    await insertHandover(store, row);
    await insertHandoverEvent(store, this.eventRow(row, 1, 'system', 'transfer', '', 'transferred', '', { package_seq: commit.seq }));
    return row;
  }

  private eventRow(h: HandoverRow, seq: number, actor: string, action: string, from: string, to: string, note: string, details: object): HandoverEventRow {
    return {
      handover_id: h.id, seq, ts: this.ctx.clock(), actor, action, from_state: from, to_state: to, note, details: JSON.stringify(details),
      task_id: h.task_id, indicator: h.indicator, bureau: h.bureau, subject_officer: h.subject_officer, outcome: h.outcome, task_resolved_at: h.task_resolved_at,
    };
  }

  /**
   * One follow-up step. Receipt: `{state: 'received', receipt_no}`; others `{state, note}`. Who: a
   * discipline officer or a leader in scope (administrators never investigate); the conclusion
   * (处分 or 了结) never by the person who transferred the task (four eyes).
   */
  advance(id: string, user: SessionUser, body: { state?: unknown; note?: unknown; receipt_no?: unknown }): Promise<Outcome<HandoverRow>> {
    return this.serial(async () => {
      if (user.role === 'admin') return failure('forbidden', 'administrators do not record follow-ups (they never investigate)');
      const h = await getHandover(this.ctx.store, id);
      if (!h) return failure('not_found', 'handover not found');
      if (typeof body.state !== 'string' || !(HANDOVER_STATES as readonly string[]).includes(body.state)) return failure('bad_request', `state: one of ${HANDOVER_STATES.slice(1).join(', ')}`);
      const to = body.state as HandoverState;
      if (body.note !== undefined && typeof body.note !== 'string') return failure('bad_request', 'note: must be a string');
      const note = ((body.note as string | undefined) ?? '').trim();
      if (note.length > 20_000) return failure('bad_request', 'note: at most 20,000 characters');
      let receipt = h.receipt_no;
      if (to === 'received') {
        if (typeof body.receipt_no !== 'string' || !body.receipt_no.trim()) return failure('bad_request', 'receipt_no: the discipline office\'s receipt number is required');
        receipt = body.receipt_no.trim().slice(0, 200);
      } else if (!note) return failure('bad_request', 'note: a written note is required');
      if (!NEXT[h.state as HandoverState].includes(to)) return failure('conflict', `a handover in state ${h.state} cannot go to ${to}${NEXT[h.state as HandoverState].length ? ` (next: ${NEXT[h.state as HandoverState].join(', ')})` : ''}`);
      if (FINAL.has(to) && user.username === h.transferred_by) return failure('forbidden', 'the conclusion is recorded by a second person, not by whoever transferred the task');
      const outcome = to === 'sanctioned' ? 'confirmed' : to === 'closed' ? 'not_confirmed' : '';
      const next: HandoverRow = { ...h, state: to, outcome: outcome || h.outcome, receipt_no: receipt, updated_at: this.ctx.clock(), version: h.version + 1 };
      const history = await handoverHistory(this.ctx.store, id);
      const action = to === 'received' ? 'receipt' : FINAL.has(to) ? 'conclude' : 'advance';
      await insertHandoverEvent(this.ctx.store, this.eventRow(next, history.length + 1, user.username, action, h.state, to, note, to === 'received' ? { receipt_no: receipt } : {}));
      await insertHandover(this.ctx.store, next);
      await this.ctx.audit.record({ actor: user.username, action: `handover_${action}`, target: `handover:${id}`, details: { task: h.task_id, from: h.state, to, ...(outcome ? { outcome } : {}), ...(to === 'received' ? { receipt_no: receipt } : {}) } });
      return success(next);
    });
  }

  get(id: string): Promise<HandoverRow | null> { return getHandover(this.ctx.store, id); }
  history(id: string): Promise<HandoverEventRow[]> { return handoverHistory(this.ctx.store, id); }
  list(q: { state?: readonly string[]; bureau?: readonly string[]; limit: number }): Promise<HandoverRow[]> { return listHandovers(this.ctx.store, q); }
  async package(id: string): Promise<EvidencePackage | null> {
    const json = await handoverPackage(this.ctx.store, id);
    return json ? (JSON.parse(json) as EvidencePackage) : null;
  }
}
