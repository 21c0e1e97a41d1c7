/**
 * Cross-site request forgery defence: a state-changing request from a foreign page is refused.
 * The browser sends the session cookie whoever made the request, but it also names the page's
 * origin (Origin, or Referer), which a page cannot forge. Our own origin is the Host the request
 * was sent to (X-Forwarded-Host with TRUST_PROXY), plus ALLOWED_ORIGINS.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerToken, cookieToken } from './auth.js';
import { forbidden } from './errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export class OriginPolicy {
  private readonly extra: Set<string>;
  constructor(allowed: string) {
    this.extra = new Set(allowed.split(',').map((s) => s.trim().replace(/\/$/, '')).filter(Boolean));
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (!origin || origin === 'null') return false;
    if (this.extra.has(origin)) return true;
    try { return !!host && new URL(origin).host === host; } catch { return false; }
  }
}

function originOf(req: Request): string | undefined {
  if (typeof req.headers.origin === 'string') return req.headers.origin;
  const ref = req.headers.referer;
  if (!ref) return undefined;
  try { return new URL(ref).origin; } catch { return 'null'; }
}

/**
 * Refuses a state-changing request that names a foreign origin, and one made with the session
 * cookie (no bearer token) that names no origin at all.
 */
export function originCheck(policy: OriginPolicy): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE.has(req.method)) return next();
    const origin = originOf(req);
    if (origin !== undefined) {
      if (!policy.allows(origin, req.host)) return next(forbidden(`Origin: ${origin} may not send state-changing requests here`));
      return next();
    }
    if (!bearerToken(req) && cookieToken(req.headers.cookie) !== null) return next(forbidden('Origin: required for a request made with the session cookie'));
    next();
  };
}
