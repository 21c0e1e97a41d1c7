/** JSON errors of api.md: {"error":{"code","message"}} with a fitting status. */
import type { ErrorRequestHandler, Response } from 'express';
import type { Failure, FailureCode } from '../outcome.js';
import { StoreClosedError } from '../../sql/store.js';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);
export const forbidden = (message = 'forbidden') => new HttpError(403, 'forbidden', message);
export const unauthorized = (message = 'authentication required') => new HttpError(401, 'unauthorized', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const FAILURE_STATUS: Record<FailureCode, number> = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** A service's failure outcome as the HTTP error of api.md. */
export function sendFailure(res: Response, f: Failure): void {
  sendError(res, FAILURE_STATUS[f.code], f.code, f.message);
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'body: larger than the limit of 16 MiB');
  if (e.type === 'entity.parse.failed') return sendError(res, 400, 'bad_json', 'body: is not valid JSON');
  if (e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad_request', e.message ?? 'bad request');
  if (err instanceof StoreClosedError) return sendError(res, 503, 'unavailable', err.message);
  console.error('[error] unhandled', err);
  sendError(res, 500, 'internal', 'internal error');
};
