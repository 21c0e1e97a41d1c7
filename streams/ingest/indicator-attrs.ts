/**
 * The `attrs` the indicators read (docs/indicators.md, "Attributes read"), validated where present:
 * a wrong type or range would make an indicator silently blind or fire on garbage. The reason
 * names the attr. The spec's own well-known attrs (mode, score, kind, reason) are checked in validate.ts.
 */
import type { AttrValue } from '../types.js';
import { parseEventTime } from './validate.js';

type Check = (v: AttrValue) => string | null;
const nonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e13 ? null : 'must be a number 0–1e13');
const count = (max: number): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? null : `must be an integer 0–${max}`);
const text = (max: number): Check => (v) => (typeof v === 'string' && v.length >= 1 && v.length <= max ? null : `must be a string of 1–${max} characters`);
const oneOf = (...xs: string[]): Check => (v) => (typeof v === 'string' && xs.includes(v) ? null : `must be one of ${xs.join(', ')}`);

export const INDICATOR_ATTRS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['assignee', text(32)],
  ['field', text(32)],
  ['basis', text(64)],
  ['ticket', count(1_000_000)],
  ['attachments', count(1000)],
  ['previous_quota', nonNegative],
  ['penalty', nonNegative],
  ['tax_base', nonNegative],
  ['estimated', nonNegative],
  ['taxpayer_credit', oneOf('A', 'B', 'M', 'C', 'D')],
  ['stage', oneOf('selection', 'examination', 'trial', 'enforcement')],
  ['recorded_at', (v) => (typeof v === 'string' && parseEventTime(v) !== null ? null : 'must be an ISO-8601 date-time with seconds and an offset')],
]);

/** The first indicator attr with a bad value, as "attrs.<key>: <why>", else null. */
export function checkIndicatorAttrs(attrs: Record<string, AttrValue>): string | null {
  for (const k in attrs) {
    const check = INDICATOR_ATTRS.get(k);
    if (check === undefined) continue;
    const why = check(attrs[k]!);
    if (why !== null) return `attrs.${k}: ${why}`;
  }
  return null;
}
