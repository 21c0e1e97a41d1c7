/** Answers a request with the response type the HTTP contract (server/http/contract.ts) declares for its endpoint. */
import type { Response } from 'express';
import type { EndpointKey, ResponseOf } from './contract.js';

export function reply<K extends EndpointKey>(res: Response, _endpoint: K, body: ResponseOf<K>, status = 200): void {
  res.status(status).json(body);
}
