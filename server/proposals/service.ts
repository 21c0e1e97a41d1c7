/**
 * Four-eyes proposals (docs/security.md "Four eyes"): a guarded change (an indicator, a task's
 * reassignment, a user's role or scope) is stored as a proposal and takes effect only when a second
 * authorised person approves it. Proposing, approving, rejecting, withdrawing and expiry are each a
 * proposal version and an audit record. The change itself is applied by the area that owns it,
 * through the applier registered for the kind. Decisions are serialized in-process, so one
 * proposal is never applied twice.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../sql/store.js';
import type { AuditSink } from '../context.js';
import { expiredPending, getProposal, insertProposal, listProposals, type ProposalQuery, type ProposalRow } from '../../sql/queries/proposals.js';
import { isExpired, mayDecide, mayPropose, type Person, type ProposalKind } from '../../streams/workflow/four-eyes.js';

import { failure as fail, type Outcome } from '../outcome.js';

export interface ProposalDraft { kind: ProposalKind; target: string; payload: Record<string, unknown>; summary: string; reason: string }
export interface Proposal extends Omit<ProposalRow, 'payload' | 'result'> { kind: ProposalKind; payload: Record<string, unknown>; result: Record<string, unknown> | null }

/** Applies an approved proposal; `decider` is the second person. The value is stored as the proposal's result. */
export type Applier = (p: Proposal, decider: Person) => Promise<Outcome<Record<string, unknown>>>;

export interface ProposalDeps { store: Store; audit: AuditSink; clock: () => number; ttlMs: number }

const toProposal = (r: ProposalRow): Proposal => ({
  ...r, kind: r.kind as ProposalKind, payload: JSON.parse(r.payload || '{}') as Record<string, unknown>,
  result: r.result ? JSON.parse(r.result) as Record<string, unknown> : null,
});
const targetUser = (p: { kind: string; target: string }) => (p.kind === 'user_change' && p.target.startsWith('user:') ? p.target.slice(5) : undefined);

export class ProposalService {
  private readonly appliers = new Map<ProposalKind, Applier>();
  private chain: Promise<unknown> = Promise.resolve();
  private lastVersion = 0;

  constructor(private readonly deps: ProposalDeps) {}

  /** The owner of a kind says how an approved proposal of it is applied. */
  register(kind: ProposalKind, apply: Applier): void { this.appliers.set(kind, apply); }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private version(): number {
    this.lastVersion = Math.max(this.deps.clock() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  private async write(row: ProposalRow, actor: string, action: string, details: Record<string, unknown> = {}): Promise<Proposal> {
    await insertProposal(this.deps.store, row);
    await this.deps.audit.record({ actor, action, target: `proposal:${row.id}`, details: { kind: row.kind, subject: row.target, ...details } });
    return toProposal(row);
  }

  propose(draft: ProposalDraft, proposer: Person): Promise<Outcome<Proposal>> {
    return this.serial(async () => {
      const may = mayPropose(draft.kind, proposer);
      if (!may.ok) return fail('forbidden', may.error);
      if (!draft.reason.trim()) return fail('bad_request', 'reason: a reason is required for a proposal');
      await this.expireDue();
      const [open] = await listProposals(this.deps.store, { state: ['pending'], kind: [draft.kind], target: draft.target, limit: 1 });
      if (open) return fail('conflict', `a proposal for ${draft.target} is already pending (${open.id}): decide or withdraw it first`);
      const now = this.deps.clock();
      const row: ProposalRow = {
        id: `PR-${randomUUID()}`, kind: draft.kind, target: draft.target, payload: JSON.stringify(draft.payload), summary: draft.summary, reason: draft.reason.trim(),
        proposer: proposer.username, proposer_role: proposer.role, proposer_bureau: proposer.bureau, state: 'pending', created_at: now,
        expires_at: now + this.deps.ttlMs, decided_by: '', decided_at: null, decision_note: '', result: '', version: this.version(),
      };
      return { ok: true, value: await this.write(row, proposer.username, 'proposal_create', { summary: draft.summary, reason: row.reason, expires_at: new Date(row.expires_at).toISOString() }) };
    });
  }

  /** A pending proposal, or why it cannot be decided now (expired ones are marked so first). */
  private async pending(id: string): Promise<Outcome<ProposalRow>> {
    const row = await getProposal(this.deps.store, id);
    if (!row) return fail('not_found', 'proposal not found');
    if (isExpired(row, this.deps.clock())) {
      await this.expire(row);
      return fail('conflict', `the proposal expired at ${new Date(row.expires_at).toISOString()}`);
    }
    if (row.state !== 'pending') return fail('conflict', `the proposal is already ${row.state}`);
    return { ok: true, value: row };
  }

  private proposerOf(row: ProposalRow): Person { return { username: row.proposer, role: row.proposer_role, bureau: row.proposer_bureau }; }

  approve(id: string, decider: Person, note: string): Promise<Outcome<Proposal>> {
    return this.serial(async () => {
      const got = await this.pending(id);
      if (!got.ok) return got;
      const row = got.value;
      const may = mayDecide(row.kind as ProposalKind, this.proposerOf(row), decider, targetUser(row));
      if (!may.ok) return fail('forbidden', may.error);
      const apply = this.appliers.get(row.kind as ProposalKind);
      if (!apply) return fail('conflict', `no area applies proposals of kind ${row.kind}`);
      const now = this.deps.clock();
      const applied = await apply(toProposal(row), decider);
      if (!applied.ok) {
        // The world moved on (the task was closed, the indicator changed): this proposal can no longer take effect.
        const failed: ProposalRow = { ...row, state: 'failed', decided_by: decider.username, decided_at: now, decision_note: note, result: JSON.stringify({ error: applied.error }), version: this.version() };
        await this.write(failed, decider.username, 'proposal_fail', { error: applied.error.message });
        return fail(applied.error.code === 'not_found' ? 'conflict' : applied.error.code, `the proposal cannot take effect: ${applied.error.message}`);
      }
      const done: ProposalRow = { ...row, state: 'approved', decided_by: decider.username, decided_at: now, decision_note: note, result: JSON.stringify(applied.value), version: this.version() };
      return { ok: true, value: await this.write(done, decider.username, 'proposal_approve', { proposer: row.proposer, note: note || undefined }) };
    });
  }

  reject(id: string, decider: Person, note: string): Promise<Outcome<Proposal>> {
    return this.serial(async () => {
      if (!note.trim()) return fail('bad_request', 'note: a reason is required to reject a proposal');
      const got = await this.pending(id);
      if (!got.ok) return got;
      const row = got.value;
      const may = mayDecide(row.kind as ProposalKind, this.proposerOf(row), decider, targetUser(row));
      if (!may.ok) return fail('forbidden', may.error);
      const done: ProposalRow = { ...row, state: 'rejected', decided_by: decider.username, decided_at: this.deps.clock(), decision_note: note.trim(), version: this.version() };
      return { ok: true, value: await this.write(done, decider.username, 'proposal_reject', { proposer: row.proposer, note: done.decision_note }) };
    });
  }

  /** The proposer takes their own proposal back. */
  withdraw(id: string, user: Person): Promise<Outcome<Proposal>> {
    return this.serial(async () => {
      const got = await this.pending(id);
      if (!got.ok) return got;
      const row = got.value;
      if (row.proposer !== user.username) return fail('forbidden', 'only the proposer may withdraw a proposal');
      const done: ProposalRow = { ...row, state: 'withdrawn', decided_by: user.username, decided_at: this.deps.clock(), version: this.version() };
      return { ok: true, value: await this.write(done, user.username, 'proposal_withdraw') };
    });
  }

  private expire(row: ProposalRow): Promise<Proposal> {
    const done: ProposalRow = { ...row, state: 'expired', decided_by: 'system', decided_at: this.deps.clock(), version: this.version() };
    return this.write(done, 'system', 'proposal_expire', { expired_at: new Date(row.expires_at).toISOString() });
  }

  /** Marks every pending proposal past its expiry as expired (audited). Runs before lists and proposals. */
  private async expireDue(): Promise<void> {
    for (const row of await expiredPending(this.deps.store, this.deps.clock())) await this.expire(row);
  }

  list(q: ProposalQuery): Promise<Proposal[]> {
    return this.serial(async () => {
      await this.expireDue();
      return (await listProposals(this.deps.store, q)).map(toProposal);
    });
  }

  get(id: string): Promise<Proposal | null> {
    return this.serial(async () => {
      const row = await getProposal(this.deps.store, id);
      if (row && isExpired(row, this.deps.clock())) return this.expire(row);
      return row ? toProposal(row) : null;
    });
  }
}

export function proposalToDTO(p: Proposal) {
  return {
    id: p.id, kind: p.kind, target: p.target, summary: p.summary, reason: p.reason, payload: p.payload, proposer: p.proposer, state: p.state,
    created_at: new Date(p.created_at).toISOString(), expires_at: new Date(p.expires_at).toISOString(),
    decided_by: p.decided_by || null, decided_at: p.decided_at === null ? null : new Date(p.decided_at).toISOString(), decision_note: p.decision_note || null,
    result: p.result,
  };
}
