import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy.js';

describe('password policy', () => {
  it('refuses short, common and username passwords, naming the field', () => {
    for (const [pw, user] of [['12345678', 'ana'], ['password', 'ana'], ['shortpw', 'ana'], ['password1234', 'ana'], ['qwertyuiop123', 'ana'], ['Analyst-Chen1', 'analyst-chen1']]) {
      const r = checkPassword(pw!, user!);
      expect(r.ok, pw).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^password: /);
    }
  });
  it('accepts a long uncommon password (the test helpers\' and demo users\' one included)', () => {
    expect(checkPassword('admin-pass-123', 'admin')).toEqual({ ok: true });
    expect(checkPassword('admin-pass-123', 'leader_b01')).toEqual({ ok: true });
    expect(checkPassword('correct horse battery', 'ana')).toEqual({ ok: true });
  });
});
