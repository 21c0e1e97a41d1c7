/**
 * Which user changes need four eyes (docs/security.md): what grants access or moves power — a role,
 * a bureau (the scope), the officer a user acts as, reactivation — is a proposal; the rest
 * (display name, deactivation, a password) takes effect at once. Administrators are never linked to
 * an officer: they administer and never investigate.
 */
import type { AuditSink } from '../context.js';
import type { UserService } from './service.js';
import type { Role, UserRow } from '../../sql/queries/users.js';
import type { Applier, ProposalDraft } from '../proposals/service.js';
import { failure as fail, type Outcome } from '../outcome.js';
import { isHqLeader } from '../../streams/workflow/four-eyes.js';

export interface UserPatch { password?: string; role?: Role; bureau?: string; officer?: string; display_name?: string; active?: boolean }
type Guarded = Pick<UserPatch, 'role' | 'bureau' | 'officer' | 'active'>;

/** May hold or decide four-eyes powers (an administrator or an HQ leader). */
export const holdsPower = (u: { role: string; bureau: string }) => u.role === 'admin' || isHqLeader(u);

/** The part of a patch that needs a second person, given the user as they are now. */
export function guardedPart(u: UserRow, patch: UserPatch): Guarded {
  const g: Guarded = {};
  if (patch.role !== undefined && patch.role !== u.role) g.role = patch.role;
  if (patch.bureau !== undefined && patch.bureau !== u.bureau) g.bureau = patch.bureau;
  if (patch.officer !== undefined && patch.officer !== u.officer) g.officer = patch.officer;
  if (patch.active === true && u.active !== 1) g.active = true;
  return g;
}

/** Why the resulting user is not allowed, or null. */
export function invalidResult(u: { role: string; officer: string }): string | null {
  return u.role === 'admin' && u.officer ? 'officer: an administrator is not linked to an officer (administrators never investigate)' : null;
}

export function userChangeDraft(username: string, patch: Guarded & { display_name?: string }, reason: string, created = false): ProposalDraft {
  const parts = Object.entries(patch).map(([k, v]) => `${k} → ${JSON.stringify(v)}`);
  return { kind: 'user_change', target: `user:${username}`, payload: { username, patch }, summary: `${created ? 'new user ' : ''}${username}: ${parts.join(', ')}`, reason };
}

export interface UserChangeDeps { users: UserService; audit: AuditSink }

export function userChangeApplier(deps: UserChangeDeps): Applier {
  return async (p, decider): Promise<Outcome<Record<string, unknown>>> => {
    const username = String(p.payload.username);
    const patch = p.payload.patch as Guarded & { display_name?: string };
    const cur = await deps.users.get(username);
    if (!cur) return fail('not_found', `user ${username} no longer exists`);
    const bad = invalidResult({ role: patch.role ?? cur.role, officer: patch.officer ?? cur.officer });
    if (bad) return fail('bad_request', bad);
    const u = await deps.users.update(username, patch);
    if (!u) return fail('not_found', `user ${username} no longer exists`);
    await deps.audit.record({ actor: decider.username, action: 'user_update', target: `user:${username}`, details: { ...patch, proposal: p.id, proposer: p.proposer, approved_by: decider.username } });
    return { ok: true, value: { username, role: u.role, bureau: u.bureau, officer: u.officer, active: u.active === 1 } };
  };
}
