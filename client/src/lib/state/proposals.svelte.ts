/**
 * Four-eyes proposals (双人复核, docs/security.md "Four eyes"): the pending ones to decide, the
 * recently decided ones, and proposing a change of a user's rights. Who may decide is the
 * server's rule; the page only never offers a person their own proposal to approve.
 */
import { request, type ProposalDTO } from '../api';
import type { PublicUser } from '../../../../server/users/service';
import { errorText } from '../errors';

export const DECIDED_STATES = 'approved,rejected,withdrawn,expired,failed';

/** Whether `username` may be offered approve/reject on `p` (never their own; the server checks the rest). */
export const mayDecide = (p: ProposalDTO, username: string): boolean => p.state === 'pending' && p.proposer !== username;

export class ProposalsState {
  pending = $state.raw<ProposalDTO[]>([]);
  decided = $state.raw<ProposalDTO[]>([]);
  users = $state.raw<PublicUser[]>([]);
  busy = $state(false);
  error = $state('');
  notice = $state('');

  async load(): Promise<void> {
    try {
      const [p, d] = await Promise.all([
        request('GET /api/proposals', { query: { state: 'pending', limit: 200 } }),
        request('GET /api/proposals', { query: { state: DECIDED_STATES, limit: 50 } }),
      ]);
      this.pending = p.proposals;
      this.decided = d.proposals;
    } catch (e) { this.error = errorText(e); }
  }

  /** Administrators only (the server answers 403 to others): the accounts a change can be proposed for. */
  async loadUsers(): Promise<void> {
    try { this.users = (await request('GET /api/users')).users; } catch { this.users = []; }
  }

  private async run(fn: () => Promise<unknown>, done: string): Promise<boolean> {
    this.busy = true; this.error = ''; this.notice = '';
    try {
      await fn();
      this.notice = done;
      await this.load();
      return true;
    } catch (e) { this.error = errorText(e); return false; }
    finally { this.busy = false; }
  }

  approve(id: string, note: string, done: string) { return this.run(() => request('POST /api/proposals/:id/approve', { params: { id }, body: { note } }), done); }
  reject(id: string, note: string, done: string) { return this.run(() => request('POST /api/proposals/:id/reject', { params: { id }, body: { note } }), done); }
  withdraw(id: string, done: string) { return this.run(() => request('POST /api/proposals/:id/withdraw', { params: { id }, body: {} }), done); }

  /** A change of role or bureau is a proposal (202): it takes effect when a second person approves it. */
  proposeUserChange(username: string, patch: { role?: string; bureau?: string }, reason: string, done: string) {
    return this.run(() => request('PATCH /api/users/:username', { params: { username }, body: { ...patch, reason } }), done);
  }
}
