/**
 * Validation of one operation event exactly as events.md says. Pure: outcomes are values, and a
 * rejection names the field. Unknown reference codes are not errors: they become flags.
 */
import { ACTIONS, PLATFORMS, type Action, type AttrValue, type OpEvent, type Outcome, ok, rejected } from '../types.js';

const FIELDS = new Set(['id', 'ts', 'platform', 'bureau', 'officer', 'matter', 'item', 'action', 'taxpayer', 'window', 'amount', 'attrs']);
const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);
const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORMS);
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_AHEAD_MS = 5 * 60 * 1000;
const MAX_AMOUNT = 1e13;
const MAX_ATTRS = 32;

/** Parses an ISO-8601 date-time with seconds and an offset into epoch ms (fraction kept to the ms). */
export function parseEventTime(s: string): number | null {
  const m = TS_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMin = 0;
  const z = m[8]!;
  if (z !== 'Z') {
    const digits = z.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offsetMin = (oh * 60 + om) * (z[0] === '-' ? -1 : 1);
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  // Date.UTC maps years 0–99 to 1900+; such years are rejected by the 2000 floor anyway.
  return t - offsetMin * 60_000;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown, field: string, max: number, required: boolean): Outcome<string | undefined> {
  if (v === undefined) return required ? rejected(`${field}: is required`) : ok(undefined);
  if (typeof v !== 'string') return rejected(`${field}: must be a string`);
  if (v.length < 1 || v.length > max) return rejected(`${field}: must be 1–${max} characters`);
  return ok(v);
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
    const v = attrs[k];
    const t = typeof v;
    if (t === 'number') {
      if (!Number.isFinite(v)) return rejected(`attrs.${k}: must be a finite number`);
    } else if (t !== 'string' && t !== 'boolean') {
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
  return ok(attrs as Record<string, AttrValue>);
}

/** Validates one decoded JSON value as an operation event, against the server clock `now`. */
export function validateEvent(raw: unknown, now: number): Outcome<OpEvent> {
  if (!isPlainObject(raw)) return rejected('event: must be a JSON object');
  for (const k of Object.keys(raw)) if (!FIELDS.has(k)) return rejected(`${k}: unknown field`);

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

  const bureau = str(raw.bureau, 'bureau', 16, true);
  if (!bureau.ok) return bureau;
  const officer = str(raw.officer, 'officer', 32, true);
  if (!officer.ok) return officer;
  const matter = str(raw.matter, 'matter', 16, true);
  if (!matter.ok) return matter;
  const item = str(raw.item, 'item', 64, true);
  if (!item.ok) return item;

  if (raw.action === undefined) return rejected('action: is required');
  if (typeof raw.action !== 'string' || !ACTION_SET.has(raw.action)) return rejected(`action: must be one of ${ACTIONS.join(', ')}`);
  const action = raw.action as Action;

  const taxpayer = str(raw.taxpayer, 'taxpayer', 32, false);
  if (!taxpayer.ok) return taxpayer;
  const window = str(raw.window, 'window', 16, false);
  if (!window.ok) return window;

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
    bureau: bureau.value!,
    officer: officer.value!,
    matter: matter.value!,
    item: item.value!,
    action,
  };
  if (taxpayer.value !== undefined) ev.taxpayer = taxpayer.value;
  if (window.value !== undefined) ev.window = window.value;
  if (amount !== undefined) ev.amount = amount;
  if (attrs.value !== undefined) ev.attrs = attrs.value;
  return ok(ev);
}
