/**
 * What the server sends for the client: compressed (brotli, else gzip), hashed assets cached as
 * immutable, index.html revalidated; and the client build skipped when its sources are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { ROOT, startTestApp } from './helpers.js';
import type { RunningApp } from '../server/app.js';
import { clientSourceHash, ensureClientBuilt } from '../scripts/client-build.js';

let app: RunningApp & { dataDir: string };

/** A raw GET (fetch would decompress and hide the encoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((ok, fail) => {
    request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => { bytes += d.length; });
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, bytes }));
    }).on('error', fail).end();
  });
}

beforeAll(async () => {
  await ensureClientBuilt();
  app = await startTestApp();
}, 180_000);
afterAll(async () => { await app?.close(); });

describe('serving the client', () => {
  const entry = () => /<script[^>]+src="\/?(assets\/[^"]+\.js)"/.exec(readFileSync(join(ROOT, 'dist/client/index.html'), 'utf8'))![1]!;

  it('sends a hashed asset brotli-compressed when accepted, gzip otherwise, cached as immutable', async () => {
    const path = entry();
    const size = readFileSync(join(ROOT, 'dist/client', path)).length;
    const br = await rawGet(`${app.url}/${path}`, { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.bytes).toBeLessThan(size / 2);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await rawGet(`${app.url}/${path}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await rawGet(`${app.url}/${path}`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBe(size);
  });

  it('revalidates index.html (and the 404 page, for a path the hash-routed dashboard does not have) on every load', async () => {
    for (const [p, status] of [['/', 200], ['/some/deep/link', 404]] as const) {
      const r = await rawGet(`${app.url}${p}`, { 'accept-encoding': 'gzip' });
      expect(r.status).toBe(status);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    expect(readdirSync(join(ROOT, 'dist/client/assets')).length).toBeGreaterThan(0);
  });

  it('does not rebuild the client when its sources are unchanged, and the hash follows the sources', async () => {
    expect(await ensureClientBuilt()).toBe(false);
    expect(clientSourceHash()).toBe(readFileSync(join(ROOT, 'dist/client/.source-hash'), 'utf8').trim());
  });
});
