/** POST /api/events: one event, a JSON array, or NDJSON; 202 once the accepted events are durable. */
import express, { Router, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import { readEventsBody } from '../ingest/body.js';
import { sendError } from '../http/errors.js';
import type { IngestResult } from '../ingest/service.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

const BODY_LIMIT = '16mb';
/** Admission charge of a request without Content-Length (chunked): the body limit, the worst case. */
const UNKNOWN_LENGTH_BYTES = 16 * 1024 * 1024;

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given?.startsWith('Bearer ')) return false;
  const a = Buffer.from(given.slice(7).trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Rejections written between two yields when an answer lists very many (a million-line body). */
const REJECTIONS_PER_WRITE = 20_000;

/**
 * The 202 answer (the contract's IngestResult). A long `rejected` list is written in slices with a
 * yield in between, honouring backpressure, instead of one JSON.stringify that holds the event loop.
 */
async function sendAccepted(res: Response, result: IngestResult): Promise<void> {
  if (result.rejected.length <= REJECTIONS_PER_WRITE) { res.status(202).json(result); return; }
  res.status(202).type('application/json');
  res.write(`{"accepted":${result.accepted},"duplicates":${result.duplicates},"rejected":[`);
  for (let from = 0; from < result.rejected.length; from += REJECTIONS_PER_WRITE) {
    const slice = JSON.stringify(result.rejected.slice(from, from + REJECTIONS_PER_WRITE)).slice(1, -1);
    const more = res.write(from === 0 ? slice : `,${slice}`);
    if (!more) {
      await new Promise<void>((ok) => {
        const done = () => { res.off('drain', done); res.off('close', done); ok(); };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    else await yieldToLoop();
    if (res.destroyed) return;
  }
  res.end(']}');
}

function unavailable(res: Response, reason: 'spool_full' | 'disk_full' | 'stopped'): void {
  // Retry-After: a full spool or disk clears when the store drains or an operator frees space.
  res.setHeader('Retry-After', reason === 'stopped' ? '5' : '10');
  if (reason === 'disk_full') return sendError(res, 503, 'unavailable', 'DATA_DIR: no space left on device for the spool, nothing of this request was kept; retry later');
  if (reason === 'spool_full') return sendError(res, 503, 'unavailable', 'spool: full while the store is unreachable, retry later');
  sendError(res, 503, 'unavailable', 'server: shutting down');
}

export function eventsRouter(ctx: AppContext): Router {
  const r = Router();
  r.post(
    '/api/events',
    (req, res, next) => (tokenMatches(req.headers.authorization, ctx.secrets.ingestToken) ? next() : sendError(res, 401, 'unauthorized', 'Authorization: a valid bearer INGEST_TOKEN is required')),
    // Overload: admitted before the body is read, so what waits is bounded (bytes in flight, backlog).
    (req, res, next) => {
      const declared = Number(req.headers['content-length']);
      const admission = ctx.ingest.admit(Number.isFinite(declared) && declared >= 0 ? declared : UNKNOWN_LENGTH_BYTES);
      if (!admission.ok) {
        res.setHeader('Retry-After', String(admission.retryAfterS));
        return sendError(res, 429, 'overloaded', admission.reason);
      }
      res.once('close', admission.release);
      next();
    },
    // Bytes, not text: invalid UTF-8 must be seen (and rejected), not replaced by U+FFFD on the way in.
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    async (req, res) => {
      const buf = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const isNdjson = /ndjson|jsonlines|jsonl/i.test(req.headers['content-type'] ?? '');
      const parsed = await readEventsBody(buf, isNdjson);
      if (!parsed.ok) {
        const kept = await ctx.ingest.submitUnparseable(parsed.raw, parsed.reason, 'http', parsed.rawBase64);
        if (!kept.ok) return unavailable(res, kept.reason);
        return sendError(res, 400, 'bad_json', parsed.reason);
      }
      const out = await ctx.ingest.submit(parsed.items, 'http');
      if (!out.ok) return unavailable(res, out.reason);
      await sendAccepted(res, out.value);
    },
  );
  return r;
}
