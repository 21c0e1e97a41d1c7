import { describe, expect, it } from 'vitest';
import type { Alert } from '../../streams/types.js';
import type { SessionUser } from '../auth/tokens.js';
import { TaxpayerTokens } from '../auth/taxpayer-tokens.js';
import { alertToDTO, alertViewKey, canSeeAlert } from './dto.js';

const alert = (bureau: string, taxpayer: string | null): Alert => ({
  id: `a-${bureau}-${taxpayer}`, indicator: 'PRC-01', indicator_version: 1, category: 'process', severity: 'high', ts: 1, detected_at: 2,
  bureau, officer: 'O1', taxpayer, item: 'I1', matter: 'M1', evidence: ['e1'],
  message: { zh: `纳税人 ${taxpayer ?? ''}`, en: `taxpayer ${taxpayer ?? ''}` }, status: 'open',
});

describe('alertViewKey', () => {
  it('what the key groups: users with one key see the same alerts, shaped alike; users who see them differently have different keys', () => {
    const tokens = new TaxpayerTokens('k');
    const users: SessionUser[] = [];
    for (const role of ['admin', 'leader', 'discipline', 'analyst', 'tax'] as const) {
      for (const bureau of ['HQ', 'B01', 'B02']) users.push({ username: `${role}-${bureau}`, role, bureau, officer: '' });
    }
    const alerts = [alert('B01', '91330000MA12345678'), alert('B02', null), alert('B03', '91330000MA87654321')];
    const view = (u: SessionUser) => JSON.stringify(alerts.filter((a) => canSeeAlert(u, a)).map((a) => alertToDTO(a, u, tokens)));
    const byKey = new Map<string, string>();
    const keys = new Set<string>();
    for (const u of users) {
      const key = alertViewKey(u);
      if (key === null) { expect(view(u)).toBe('[]'); continue; }
      keys.add(key);
      const seen = byKey.get(key);
      if (seen === undefined) byKey.set(key, view(u)); else expect(view(u)).toBe(seen);
    }
    // positive control: distinct views exist and get distinct keys (plain all, two bureau leaders, masked)
    expect(new Set(byKey.values()).size).toBe(byKey.size);
    expect(keys.size).toBe(4);
    expect(alertViewKey({ username: 'x', role: 'tax', bureau: 'B01', officer: 'O1' })).toBeNull();
  });
});
