/** POST /api/events: one event, a JSON array, or NDJSON; 202 once the accepted events are durable. */
import express, { Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import { parseEventsBody } from '../../streams/ingest/parse-body.js';
import { sendError } from '../http/errors.js';

const BODY_LIMIT = '16mb';

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given?.startsWith('Bearer ')) return false;
  const a = Buffer.from(given.slice(7).trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function eventsRouter(ctx: AppContext): Router {
  const r = Router();
  r.post(
    '/api/events',
    (req, res, next) => (tokenMatches(req.headers.authorization, ctx.secrets.ingestToken) ? next() : sendError(res, 401, 'unauthorized', 'Authorization: a valid bearer INGEST_TOKEN is required')),
    express.text({ type: () => true, limit: BODY_LIMIT }),
    async (req, res) => {
      const text = typeof req.body === 'string' ? req.body : '';
      const isNdjson = /ndjson|jsonlines|jsonl/i.test(req.headers['content-type'] ?? '');
      const parsed = parseEventsBody(text, isNdjson);
      if (!parsed.ok) {
        const kept = await ctx.ingest.submitUnparseable(text, parsed.reason, 'http');
        if (!kept.ok) return sendError(res, 503, 'unavailable', 'spool: full, retry later');
        return sendError(res, 400, 'bad_json', parsed.reason);
      }
      const out = await ctx.ingest.submit(parsed.value, 'http');
      if (!out.ok) return sendError(res, 503, 'unavailable', out.reason === 'spool_full' ? 'spool: full while the store is unreachable, retry later' : 'server: shutting down');
      res.status(202).json(out.value);
    },
  );
  return r;
}
