/** Query-string helpers shared by the list endpoints: instants, comma lists, opaque cursors. */
import type { Request } from 'express';
import { badRequest } from './errors.js';

/** An ISO-8601 instant (`from`, `to`…) as epoch ms; absent or empty → undefined. */
export function parseInstant(v: unknown, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`${name}: must be an ISO-8601 instant`);
  const t = Date.parse(v);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw badRequest(`${name}: must be an ISO-8601 instant`);
  return t;
}

/** A whole number in [min, max] from the query string (paging: limit, offset, before); absent → undefined. */
export function intParam(v: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badRequest(`${name}: must be an integer ${min}–${max === Number.MAX_SAFE_INTEGER ? '2^53' : max}`);
  return n;
}

/** `?k=a,b&k=c` → ['a', 'b', 'c']; absent → undefined. */
export function listParam(req: Request, key: string): string[] | undefined {
  const v = req.query[key];
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return arr.length ? arr : undefined;
}

/** Keyset cursor over (ts, id), newest first. */
export const encodeCursor = (ts: number, id: string) => Buffer.from(JSON.stringify([ts, id])).toString('base64url');

/** Largest time a cursor may carry (Date's own range): beyond, Int64 parameters overflow. */
const MAX_CURSOR_TS = 8.64e15;

/** A cursor this server gave: [ts, id] with ts a whole, non-negative epoch ms; anything else is a 400 (never reaches SQL). */
export function decodeCursor(c: string): { ts: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2) throw new Error('shape');
    const [ts, id] = v as [unknown, unknown];
    if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0 || ts > MAX_CURSOR_TS) throw new Error('ts');
    if (typeof id !== 'string' || id.length > 256) throw new Error('id');
    return { ts, id };
  } catch {
    throw badRequest('cursor: is not a cursor this server gave');
  }
}
