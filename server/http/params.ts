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

/** `?k=a,b&k=c` → ['a', 'b', 'c']; absent → undefined. */
export function listParam(req: Request, key: string): string[] | undefined {
  const v = req.query[key];
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return arr.length ? arr : undefined;
}

/** Keyset cursor over (ts, id), newest first. */
export const encodeCursor = (ts: number, id: string) => Buffer.from(JSON.stringify([ts, id])).toString('base64url');

export function decodeCursor(c: string): { ts: number; id: string } {
  try {
    const [ts, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [number, string];
    if (typeof ts !== 'number' || typeof id !== 'string') throw new Error('shape');
    return { ts, id };
  } catch {
    throw badRequest('cursor: is not a cursor this server gave');
  }
}
