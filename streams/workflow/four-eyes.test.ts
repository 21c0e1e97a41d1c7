import { describe, expect, it } from 'vitest';
import { isExpired, mayDecide, mayPropose } from './four-eyes.js';

const admin = { username: 'admin', role: 'admin', bureau: 'HQ' };
const admin2 = { username: 'admin2', role: 'admin', bureau: 'HQ' };
const hq = { username: 'leader', role: 'leader', bureau: 'HQ' };
const b01 = { username: 'leader_b01', role: 'leader', bureau: 'B01' };
const disc = { username: 'discipline1', role: 'discipline', bureau: 'HQ' };

describe('four-eyes rules', () => {
  it('lets administrators and HQ leaders propose, nobody else', () => {
    expect(mayPropose('indicator_change', admin).ok).toBe(true);
    expect(mayPropose('task_reassign', hq).ok).toBe(true);
    expect(mayPropose('user_change', b01).ok).toBe(false);
    expect(mayPropose('user_change', disc).ok).toBe(false);
  });
  it('never lets the proposer decide, and lets a second authorised person', () => {
    expect(mayDecide('user_change', admin, admin)).toMatchObject({ ok: false, error: expect.stringMatching(/proposer/) });
    expect(mayDecide('user_change', admin, admin2).ok).toBe(true);
    expect(mayDecide('indicator_change', admin, hq).ok).toBe(true);
    expect(mayDecide('indicator_change', hq, admin).ok).toBe(true);
  });
  it('refuses a decider who is not authorised, or the account being changed', () => {
    expect(mayDecide('user_change', admin, b01).ok).toBe(false);
    expect(mayDecide('task_reassign', admin, disc).ok).toBe(false);
    expect(mayDecide('user_change', admin, hq, 'leader')).toMatchObject({ ok: false, error: expect.stringMatching(/own account/) });
    expect(mayDecide('user_change', admin, hq, 'someone').ok).toBe(true);
  });
  it('does not let two administrators change an indicator or reassign a task, but lets them change a user', () => {
    expect(mayDecide('indicator_change', admin, admin2).ok).toBe(false);
    expect(mayDecide('task_reassign', admin, admin2).ok).toBe(false);
    expect(mayDecide('user_change', admin, admin2).ok).toBe(true);
  });
  it('expires a pending proposal at its expiry time and not before', () => {
    expect(isExpired({ state: 'pending', expires_at: 1000 }, 999)).toBe(false);
    expect(isExpired({ state: 'pending', expires_at: 1000 }, 1000)).toBe(true);
    expect(isExpired({ state: 'approved', expires_at: 1000 }, 5000)).toBe(false);
  });
});
