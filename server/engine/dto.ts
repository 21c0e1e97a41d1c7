/** Alerts as the API and socket.io show them: ISO-8601 times, taxpayer masked for analysts. */
import type { Alert, IngestedEvent } from '../../streams/types.js';
import type { AlertDTO } from '../socket/events.js';
import type { SessionUser } from '../auth/tokens.js';

export function maskTaxpayer(t: string | null | undefined): string | null {
  if (!t) return t ?? null;
  if (t.length <= 4) return '*'.repeat(t.length);
  return `${t.slice(0, 2)}${'*'.repeat(Math.max(1, t.length - 6))}${t.slice(-4)}`;
}

/** The message names the taxpayer too: an analyst sees it masked there as well. */
function maskedMessage(a: Alert): Alert['message'] {
  if (!a.taxpayer) return a.message;
  const m = maskTaxpayer(a.taxpayer)!;
  return { zh: a.message.zh.split(a.taxpayer).join(m), en: a.message.en.split(a.taxpayer).join(m) };
}

export function alertToDTO(a: Alert & { task_id?: string | null }, user?: SessionUser): AlertDTO {
  const analyst = user?.role === 'analyst';
  return {
    id: a.id, indicator: a.indicator, indicator_version: a.indicator_version, category: a.category, severity: a.severity,
    ts: new Date(a.ts).toISOString(), detected_at: new Date(a.detected_at).toISOString(), bureau: a.bureau, officer: a.officer,
    taxpayer: analyst ? maskTaxpayer(a.taxpayer) : a.taxpayer, item: a.item, matter: a.matter,
    evidence: a.evidence, message: analyst ? maskedMessage(a) : a.message, status: a.status, task_id: a.task_id ?? null,
  };
}

/** Whether a user may see an alert: leaders only their bureau (HQ: all); tax officers none. */
export function canSeeAlert(user: SessionUser, a: { bureau: string | null }): boolean {
  if (user.role === 'tax') return false;
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return a.bureau === user.bureau;
  return true;
}

/** A stored event as the API shows it: ISO-8601 times, taxpayer masked for analysts, no internal seq. */
export function eventToDTO({ seq: _seq, arrivedAt, ...e }: IngestedEvent, user?: SessionUser) {
  return {
    ...e, ts: new Date(e.ts).toISOString(), arrived_at: new Date(arrivedAt).toISOString(),
    ...(user?.role === 'analyst' && e.taxpayer ? { taxpayer: maskTaxpayer(e.taxpayer) } : {}),
  };
}
