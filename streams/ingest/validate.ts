/**
 * Validation of one operation event exactly as events.md says. Pure: outcomes are values, and a
 * rejection names the field. Unknown reference codes are not errors: they become flags.
 */
import { ACTIONS, PLATFORMS, type Action, type AttrValue, type OpEvent, type Outcome, ok, rejected } from '../types.js';
import { isWellFormed, toWellFormed } from './unicode.js';
import { checkIndicatorAttrs } from './indicator-attrs.js';

const FIELDS = new Set(['id', 'ts', 'platform', 'bureau', 'officer', 'matter', 'item', 'action', 'taxpayer', 'window', 'amount', 'attrs']);
const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);
const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORMS);
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_AHEAD_MS = 5 * 60 * 1000;
const MAX_AMOUNT = 1e13;
const MAX_ATTRS = 32;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Digits s[i..i+n) as a number, or -1 when one of them is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an ISO-8601 date-time with seconds and an offset into epoch ms (fraction kept to the ms):
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM|±HHMM)`. Reads characters in place (it runs once per
 * event on the ingest path, so no regex and no intermediate strings).
 */
export function parseEventTime(s: string): number | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const len = i - from;
    if (len < 1 || len > 9) return null;
    ms = digits(s, from, Math.min(3, len)) * (len === 1 ? 100 : len === 2 ? 10 : 1);
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90) {
    if (i + 1 !== n) return null;
  } else if (z === 43 || z === 45) {
    const colon = n - i === 6;
    if (!(colon ? s.charCodeAt(i + 3) === 58 : n - i === 5)) return null;
    const oh = digits(s, i + 1, 2), om = digits(s, colon ? i + 4 : i + 3, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return null;
    offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
  } else {
    return null;
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  // Date.UTC maps years 0–99 to 1900+; such years are rejected by the 2000 floor anyway.
  return t - offsetMin * 60_000;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The error for a string field, or null when it is fine (absent and optional included). */
function strError(v: unknown, field: string, max: number, required: boolean): string | null {
  if (v === undefined) return required ? `${field}: is required` : null;
  if (typeof v !== 'string') return `${field}: must be a string`;
  if (v.length < 1 || v.length > max) return `${field}: must be 1–${max} characters`;
  if (!isWellFormed(v)) return `${field}: must be well-formed Unicode (a lone surrogate such as \\ud800 is not)`;
  return null;
}

function validateAttrs(attrs: unknown, action: Action): Outcome<Record<string, AttrValue> | undefined> {
  if (attrs === undefined) {
    if (action === 'rate') return rejected('attrs.score: is required on rate');
    return ok(undefined);
  }
  if (!isPlainObject(attrs)) return rejected('attrs: must be an object');
  const keys = Object.keys(attrs);
  if (keys.length > MAX_ATTRS) return rejected(`attrs: at most ${MAX_ATTRS} keys`);
  for (const k of keys) {
    if (!isWellFormed(k)) return rejected(`attrs.${toWellFormed(k)}: the key must be well-formed Unicode (a lone surrogate such as \\ud800 is not)`);
    const v = attrs[k];
    const t = typeof v;
    if (t === 'number') {
      if (!Number.isFinite(v)) return rejected(`attrs.${k}: must be a finite number`);
    } else if (t === 'string') {
      if (!isWellFormed(v as string)) return rejected(`attrs.${k}: must be well-formed Unicode (a lone surrogate such as \\ud800 is not)`);
    } else if (t !== 'boolean') {
      return rejected(`attrs.${k}: must be a string, number or boolean`);
    }
  }
  if (action === 'assign' && attrs.mode !== undefined && attrs.mode !== 'random' && attrs.mode !== 'manual')
    return rejected('attrs.mode: must be "random" or "manual"');
  if (action === 'rate') {
    const s = attrs.score;
    if (s === undefined) return rejected('attrs.score: is required on rate');
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 5) return rejected('attrs.score: must be an integer 1–5');
  }
  if (action === 'petition' && attrs.kind !== undefined && typeof attrs.kind !== 'string') return rejected('attrs.kind: must be a string');
  if ((action === 'reject' || action === 'cancel') && attrs.reason !== undefined && typeof attrs.reason !== 'string')
    return rejected('attrs.reason: must be a string');
  const bad = checkIndicatorAttrs(attrs as Record<string, AttrValue>);
  if (bad !== null) return rejected(bad);
  return ok(attrs as Record<string, AttrValue>);
}

/** Validates one decoded JSON value as an operation event, against the server clock `now`. */
export function validateEvent(raw: unknown, now: number): Outcome<OpEvent> {
  if (!isPlainObject(raw)) return rejected('event: must be a JSON object');
  for (const k in raw) if (!FIELDS.has(k)) return rejected(`${toWellFormed(k)}: unknown field`);

  if (raw.id === undefined) return rejected('id: is required');
  if (typeof raw.id !== 'string' || !ID_RE.test(raw.id)) return rejected('id: must be 1–64 characters of [A-Za-z0-9_.:-]');

  if (raw.ts === undefined) return rejected('ts: is required');
  if (typeof raw.ts !== 'string') return rejected('ts: must be an ISO-8601 string');
  const ts = parseEventTime(raw.ts);
  if (ts === null) return rejected('ts: must be an ISO-8601 date-time with seconds and an offset (Z, ±HH:MM or ±HHMM)');
  if (ts < MIN_TS) return rejected('ts: is before 2000-01-01');
  if (ts > now + MAX_AHEAD_MS) return rejected('ts: is more than 5 minutes ahead of the server clock');

  if (raw.platform === undefined) return rejected('platform: is required');
  if (typeof raw.platform !== 'string' || !PLATFORM_SET.has(raw.platform)) return rejected(`platform: must be one of ${PLATFORMS.join(', ')}`);

  const fieldError = strError(raw.bureau, 'bureau', 16, true) ?? strError(raw.officer, 'officer', 32, true)
    ?? strError(raw.matter, 'matter', 16, true) ?? strError(raw.item, 'item', 64, true);
  if (fieldError !== null) return rejected(fieldError);

  if (raw.action === undefined) return rejected('action: is required');
  if (typeof raw.action !== 'string' || !ACTION_SET.has(raw.action)) return rejected(`action: must be one of ${ACTIONS.join(', ')}`);
  const action = raw.action as Action;

  const optionalError = strError(raw.taxpayer, 'taxpayer', 32, false) ?? strError(raw.window, 'window', 16, false);
  if (optionalError !== null) return rejected(optionalError);

  let amount: number | undefined;
  if (raw.amount !== undefined) {
    if (typeof raw.amount !== 'number' || !Number.isFinite(raw.amount)) return rejected('amount: must be a finite number');
    if (raw.amount < 0 || raw.amount > MAX_AMOUNT) return rejected('amount: must be ≥ 0 and ≤ 1e13');
    amount = raw.amount;
  }

  const attrs = validateAttrs(raw.attrs, action);
  if (!attrs.ok) return attrs;

  const ev: OpEvent = {
    id: raw.id,
    ts,
    platform: raw.platform as OpEvent['platform'],
    bureau: raw.bureau as string,
    officer: raw.officer as string,
    matter: raw.matter as string,
    item: raw.item as string,
    action,
  };
  if (raw.taxpayer !== undefined) ev.taxpayer = raw.taxpayer as string;
  if (raw.window !== undefined) ev.window = raw.window as string;
  if (amount !== undefined) ev.amount = amount;
  if (attrs.value !== undefined) ev.attrs = attrs.value;
  return ok(ev);
}
