/**
 * JSON request bodies for every route that takes one: express.json, then a check that every string
 * (keys included) is well-formed Unicode. ClickHouse refuses a lone surrogate such as "\ud800" in a
 * row; from a task finding or a user name it would reach the store. Refused here with 400 naming
 * the field, as the ingest path does for events.
 */
import express, { type RequestHandler } from 'express';
import { isWellFormed, toWellFormed } from '../../streams/ingest/unicode.js';
import { badRequest } from './errors.js';

/** The path of the first string that is not well-formed Unicode, or null. Iterative: bodies may be deeply nested. */
export function malformedStringPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return path || 'body';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${toWellFormed(k)}` : toWellFormed(k);
        if (!isWellFormed(k)) return `${p} (the key)`;
        stack.push([x, p]);
      }
    }
  }
  return null;
}

/** One handler (so route typing stays as with express.json): parse, then check. */
export function jsonBody(opts: { limit?: string } = {}): RequestHandler {
  const parse = express.json(opts);
  return (req, res, next) => parse(req, res, (err?: unknown) => {
    if (err) return next(err);
    const at = malformedStringPath(req.body);
    next(at === null ? undefined : badRequest(`${at}: must be well-formed Unicode (a lone surrogate such as \\ud800 is not)`));
  });
}
