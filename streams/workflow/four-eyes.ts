/**
 * Four eyes (双人复核, docs/security.md "Four eyes"): who may propose and who may decide a change of
 * the product's own powers. Pure: no I/O.
 *
 * Proposers and deciders are administrators and leaders of the city bureau (HQ). The decider is never
 * the proposer, never the account being changed, and for changes of what is watched or who
 * investigates (indicators, task reassignment) one of the two is an HQ leader: two administrators
 * together cannot weaken an indicator or move a case.
 */
export const PROPOSAL_KINDS = ['indicator_change', 'task_reassign', 'user_change'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATES = ['pending', 'approved', 'rejected', 'withdrawn', 'expired', 'failed'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export interface Person { username: string; role: string; bureau: string }
export type Check = { ok: true } | { ok: false; error: string };

export const isHqLeader = (p: { role: string; bureau: string }): boolean => p.role === 'leader' && p.bureau === 'HQ';
const mayHold = (p: Person): boolean => p.role === 'admin' || isHqLeader(p);
/** Kinds whose two people include an HQ leader (the business owner), not two administrators. */
const NEEDS_LEADER: ReadonlySet<ProposalKind> = new Set(['indicator_change', 'task_reassign']);

export function mayPropose(_kind: ProposalKind, p: Person): Check {
  return mayHold(p) ? { ok: true } : { ok: false, error: `role ${p.role}${p.role === 'leader' ? ` of ${p.bureau}` : ''} may not propose this change: an administrator or an HQ leader proposes` };
}

/** Whether `decider` may approve or reject a proposal of `proposer`; `targetUser`: the account a user change is about. */
export function mayDecide(kind: ProposalKind, proposer: Person, decider: Person, targetUser?: string): Check {
  if (decider.username === proposer.username) return { ok: false, error: 'the proposer may not decide their own proposal: a second person does' };
  if (!mayHold(decider)) return { ok: false, error: `role ${decider.role}${decider.role === 'leader' ? ` of ${decider.bureau}` : ''} may not decide proposals: an administrator or an HQ leader decides` };
  if (targetUser !== undefined && decider.username === targetUser) return { ok: false, error: 'a change of your own account is decided by someone else' };
  if (NEEDS_LEADER.has(kind) && !isHqLeader(proposer) && !isHqLeader(decider)) return { ok: false, error: `a ${kind.replace('_', ' ')} needs an HQ leader as one of the two people` };
  return { ok: true };
}

export const isExpired = (p: { state: string; expires_at: number }, now: number): boolean => p.state === 'pending' && now >= p.expires_at;
