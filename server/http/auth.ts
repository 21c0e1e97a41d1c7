/**
 * Authentication (bearer token or session cookie) and role checks for routes. The session is
 * checked and the user's current role and bureau read on every request (server/auth/sessions.ts).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionUser } from '../auth/tokens.js';
import type { Authenticated } from '../auth/sessions.js';
import type { Role } from '../../sql/queries/users.js';
import { forbidden, unauthorized } from './errors.js';

export const SESSION_COOKIE = 'im_session';

declare module 'express-serve-static-core' {
  interface Request { user?: SessionUser; sessionId?: string }
}

/** What routes authenticate with (SessionService). */
export interface Authenticator { authenticate(token: string): Promise<Authenticated | null> }

export function cookieToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) {
      try { return decodeURIComponent(v.join('=')); } catch { return null; }
    }
  }
  return null;
}

export function bearerToken(req: Request): string | null {
  const h = req.headers.authorization;
  return h && h.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

export function tokenFrom(req: Request): string | null {
  return bearerToken(req) ?? cookieToken(req.headers.cookie);
}

/** Requires a logged-in user, optionally of one of `roles` (admin always passes). */
export function requireUser(auth: Authenticator, roles?: readonly Role[]): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = tokenFrom(req);
    const a = token ? await auth.authenticate(token) : null;
    if (!a) return next(unauthorized());
    if (roles && a.user.role !== 'admin' && !roles.includes(a.user.role)) return next(forbidden(`role ${a.user.role} may not do this`));
    req.user = a.user;
    req.sessionId = a.sessionId;
    next();
  };
}

/** The bureau a user is limited to, or null for all bureaus (admin, HQ, discipline, analyst). */
export function bureauScope(user: SessionUser): string | null {
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return user.bureau;
  return null;
}
