/**
 * Password policy: at least 12 characters, not the username, not one of the ~49 000 common
 * passwords of @zxcvbn-ts/language-common (compared case-insensitively).
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export type PasswordCheck = { ok: true } | { ok: false; error: string };

export function checkPassword(password: string, username: string): PasswordCheck {
  if ([...password].length < MIN_PASSWORD_LENGTH) return { ok: false, error: `password: must have at least ${MIN_PASSWORD_LENGTH} characters` };
  const p = password.trim().toLowerCase();
  if (p === username.trim().toLowerCase()) return { ok: false, error: 'password: must not be the username' };
  if (COMMON.has(p)) return { ok: false, error: 'password: is one of the most common passwords' };
  return { ok: true };
}
