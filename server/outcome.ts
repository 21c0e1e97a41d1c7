/**
 * Outcomes as values: a service answers `{ ok: true, value }` or `{ ok: false, error }` and the
 * route maps the error to HTTP (server/http/errors.ts `sendFailure`). Unexpected faults (the store
 * down) still throw and reach the error handler as 500/503.
 */
export type FailureCode = 'bad_request' | 'not_found' | 'forbidden' | 'conflict';
export interface Failure { code: FailureCode; message: string }
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (code: FailureCode, message: string): { ok: false; error: Failure } => ({ ok: false, error: { code, message } });
