/** The Cases view's offer rules (lib/cases.ts) against the server's (docs/cases.md, docs/handover.md). */
import { describe, expect, it } from 'vitest';
import type { TaskDTO } from './api';
import { caseStateQuery, followUpsFor, maySignOff, mayWorkOn, stepTargets, type Who } from './cases';

const disc: Who = { username: 'casework', role: 'discipline', bureau: 'HQ', officer: 'D1' };
const other: Who = { username: 'discipline2', role: 'discipline', bureau: 'HQ', officer: 'D2' };
const hq: Who = { username: 'leader', role: 'leader', bureau: 'HQ', officer: 'L0' };
const b01: Who = { username: 'leader_b01', role: 'leader', bureau: 'B01', officer: 'L1' };
const b02: Who = { username: 'leader_b02', role: 'leader', bureau: 'B02', officer: 'L2' };
const admin: Who = { username: 'admin', role: 'admin', bureau: 'HQ', officer: 'D1' };

const task = (id: string, state: TaskDTO['state'], over: Partial<TaskDTO> = {}) =>
  ({ id, state, assignee: 'D1', assigner: 'system', resolver: null, bureau: 'B01', ...over }) as TaskDTO;

describe('case offer rules', () => {
  it('offers work on a task to its assignee only, never to an administrator with the same officer id', () => {
    expect(mayWorkOn(disc, task('a', 'assigned'))).toBe(true);
    expect(mayWorkOn(other, task('a', 'assigned'))).toBe(false);
    expect(mayWorkOn(admin, task('a', 'assigned'))).toBe(false);
    expect(mayWorkOn(null, task('a', 'assigned'))).toBe(false);
  });

  it('offers sign-off to a leader in scope or the assigner, never to the resolver, the assignee or an admin', () => {
    const t = task('a', 'resolved', { resolver: 'casework' });
    expect(maySignOff(hq, t)).toBe(true);
    expect(maySignOff(b01, t)).toBe(true);
    expect(maySignOff(b02, t)).toBe(false);
    expect(maySignOff(disc, t)).toBe(false);
    expect(maySignOff(admin, t)).toBe(false);
    expect(maySignOff(other, t)).toBe(false);
    expect(maySignOff(other, { ...t, assigner: 'discipline2' })).toBe(true);
  });

  it('applies a step to the whole case when nothing is ticked and the user may act on every task in its state, else names the tasks', () => {
    const ts = [task('a', 'investigating'), task('b', 'investigating'), task('c', 'resolved', { resolver: 'casework' }), task('d', 'assigned')];
    expect(stepTargets('resolve', ts, disc, [])).toEqual({ ids: ['a', 'b'], together: true });
    expect(stepTargets('resolve', ts, disc, ['b', 'c'])).toEqual({ ids: ['b'], together: false });
    expect(stepTargets('accept', ts, disc, [])).toEqual({ ids: ['d'], together: true });
    expect(stepTargets('close', ts, disc, [])).toEqual({ ids: [], together: false });
    expect(stepTargets('close', ts, hq, [])).toEqual({ ids: ['c'], together: true });
    // A task drawn for on its own (another assignee): the case's assignee acts on theirs by name.
    const mixed = [task('a', 'assigned'), task('b', 'assigned', { assignee: 'D2' })];
    expect(stepTargets('accept', mixed, disc, [])).toEqual({ ids: ['a'], together: false });
  });

  it('offers the next follow-up states of a handover, the conclusion never to the transferrer, none to admins or other bureaus', () => {
    const h = { state: 'transferred', bureau: 'B01', transferred_by: 'casework' };
    expect(followUpsFor(disc, h)).toEqual(['received']);
    expect(followUpsFor(admin, h)).toEqual([]);
    expect(followUpsFor(b02, h)).toEqual([]);
    expect(followUpsFor(b01, { ...h, state: 'preliminary' })).toEqual(['filed', 'closed']);
    expect(followUpsFor(disc, { ...h, state: 'filed' })).toEqual([]);
    expect(followUpsFor(other, { ...h, state: 'filed' })).toEqual(['sanctioned', 'closed']);
    expect(followUpsFor(hq, { ...h, state: 'sanctioned' })).toEqual([]);
  });

  it('asks the server for every state but closed under "unfinished" and for no state under "all"', () => {
    expect(caseStateQuery('unfinished')).toBe('open,assigned,investigating,resolved');
    expect(caseStateQuery('all')).toBeUndefined();
    expect(caseStateQuery('resolved')).toBe('resolved');
  });
});
