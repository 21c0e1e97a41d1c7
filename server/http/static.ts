/**
 * Compression and caching of what the server sends: every response compressed (brotli when the
 * browser accepts it, else gzip; small bodies as they are), the client's content-hashed assets
 * cached for a year as immutable, index.html revalidated on every load so a new build is seen.
 */
import compression from 'compression';
import express, { type Express } from 'express';
import { join } from 'node:path';
import { constants } from 'node:zlib';

export function compressResponses(app: Express): void {
  // Brotli quality 5: close to the best ratio for JS/JSON at a fraction of the CPU of quality 11.
  app.use(compression({ threshold: 1024, brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } } }));
}

/** Vite names built assets `name-<hash>.ext`: their content never changes under that name. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.(js|css|woff2?|png|svg|jpg|webp)$/;

export function serveClient(app: Express, dist: string): void {
  app.use(express.static(dist, {
    index: false,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', HASHED.test(path) && path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  }));
  // The dashboard routes by hash: `/` is its page; any other path is a real 404 (the page shows it).
  app.get('/{*path}', (req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.status(req.path === '/' || req.path === '/index.html' ? 200 : 404).sendFile(join(dist, 'index.html'));
  });
}
