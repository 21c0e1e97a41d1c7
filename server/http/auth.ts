/** Authentication (bearer token or session cookie) and role checks for routes. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenSigner, SessionUser } from '../auth/tokens.js';
import type { Role } from '../../sql/queries/users.js';
import { forbidden, unauthorized } from './errors.js';

export const SESSION_COOKIE = 'im_session';

declare module 'express-serve-static-core' {
  interface Request { user?: SessionUser }
}

export function tokenFrom(req: Request): string | null {
  const h = req.headers.authorization;
  if (h && h.startsWith('Bearer ')) return h.slice(7).trim();
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
    }
  }
  return null;
}

/** Requires a logged-in user, optionally of one of `roles` (admin always passes). */
export function requireUser(signer: TokenSigner, roles?: readonly Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const token = tokenFrom(req);
    const user = token ? signer.verify(token) : null;
    if (!user) return next(unauthorized());
    if (roles && user.role !== 'admin' && !roles.includes(user.role)) return next(forbidden(`role ${user.role} may not do this`));
    req.user = user;
    next();
  };
}

/** The bureau a user is limited to, or null for all bureaus (admin, HQ, discipline, analyst). */
export function bureauScope(user: SessionUser): string | null {
  if (user.role === 'leader' && user.bureau && user.bureau !== 'HQ') return user.bureau;
  return null;
}
