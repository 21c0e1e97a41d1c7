/**
 * Alerts and events as the API and socket.io show them: ISO-8601 times; for analysts the taxpayer
 * masked and given as a token (server/auth/taxpayer-tokens.ts) they can follow and filter by.
 */
import type { Alert, IngestedEvent } from '../../streams/types.js';
import type { AlertDTO } from '../socket/events.js';
import type { SessionUser } from '../auth/tokens.js';
import type { TaxpayerTokens } from '../auth/taxpayer-tokens.js';

/** Shows at most a quarter of an id (4 characters at most, none of an id under 4): `9*************34`. */
export function maskTaxpayer(t: string | null | undefined): string | null {
  if (!t) return t ?? null;
  const chars = [...t];
  const shown = Math.min(4, Math.floor(chars.length / 4));
  const head = Math.floor(shown / 2);
  const tail = shown - head;
  return `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - shown)}${tail ? chars.slice(-tail).join('') : ''}`;
}

/** The taxpayer fields a user sees: the id itself, or (analysts) the masked id and its token. */
function taxpayerView(t: string | null | undefined, user: SessionUser | undefined, tokens: TaxpayerTokens | undefined): { taxpayer: string | null; taxpayer_token?: string | null } {
  if (user?.role !== 'analyst') return { taxpayer: t ?? null };
  return { taxpayer: maskTaxpayer(t), taxpayer_token: t && tokens ? tokens.token(t) : null };
}

/** The message names the taxpayer too: an analyst sees it masked there as well. */
function maskedMessage(a: Alert): Alert['message'] {
  if (!a.taxpayer) return a.message;
  const m = maskTaxpayer(a.taxpayer)!;
  return { zh: a.message.zh.split(a.taxpayer).join(m), en: a.message.en.split(a.taxpayer).join(m) };
}

export function alertToDTO(a: Alert & { task_id?: string | null }, user?: SessionUser, tokens?: TaxpayerTokens): AlertDTO {
  const analyst = user?.role === 'analyst';
  return {
    id: a.id, indicator: a.indicator, indicator_version: a.indicator_version, category: a.category, severity: a.severity,
    ts: new Date(a.ts).toISOString(), detected_at: new Date(a.detected_at).toISOString(), bureau: a.bureau, officer: a.officer,
    ...taxpayerView(a.taxpayer, user, tokens), item: a.item, matter: a.matter,
    evidence: a.evidence, message: analyst ? maskedMessage(a) : a.message, status: a.status, task_id: a.task_id ?? null,
    historical: a.historical === true,
  };
}

/**
 * How a user sees pushed alerts, as a key shared by every user who sees them alike (which alerts:
 * `canSeeAlert`; what of them: `alertToDTO`), so that an alert is shaped and encoded once per key,
 * not once per socket. null: sees none.
 */
export function alertViewKey(user: SessionUser): string | null {
  if (user.role === 'tax') return null;
  const scope = user.role === 'leader' && user.bureau && user.bureau !== 'HQ' ? `bureau:${user.bureau}` : 'all';
  return `${user.role === 'analyst' ? 'masked' : 'plain'}|${scope}`;
}

/** Whether a user may see an alert: leaders only their bureau (HQ: all); tax officers none. */
export function canSeeAlert(user: SessionUser, a: { bureau: string | null }): boolean {
  if (user.role === 'tax') return false;
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return a.bureau === user.bureau;
  return true;
}

/** A stored event as the API shows it: ISO-8601 times, taxpayer masked for analysts, no internal seq. */
export function eventToDTO({ seq: _seq, arrivedAt, ...e }: IngestedEvent, user?: SessionUser, tokens?: TaxpayerTokens) {
  return {
    ...e, ts: new Date(e.ts).toISOString(), arrived_at: new Date(arrivedAt).toISOString(),
    ...(user?.role === 'analyst' && e.taxpayer ? taxpayerView(e.taxpayer, user, tokens) : {}),
  };
}
