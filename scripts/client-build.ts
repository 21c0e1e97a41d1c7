/**
 * Builds the client (vite) only when its sources changed since the last build: a SHA-256 over
 * client/, the shared contract types it imports, vite.config.ts and package-lock.json is kept
 * beside the build (dist/client/.source-hash). `npm start` and the browser tests call this.
 *
 *   npx tsx scripts/client-build.ts        # build if needed; prints what it did
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const DIST = join(ROOT, 'dist', 'client');
const HASH_FILE = join(DIST, '.source-hash');
const INPUTS = ['client', 'server/http/contract.ts', 'server/socket/events.ts', 'vite.config.ts', 'package-lock.json'];

function files(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => files(join(p, e.name)));
}

export function clientSourceHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((i) => files(join(ROOT, i))).sort()) {
    h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

/** Builds when dist/client is missing or was built from other sources; returns whether it built. */
export async function ensureClientBuilt(log: (s: string) => void = () => {}): Promise<boolean> {
  const hash = clientSourceHash();
  if (existsSync(join(DIST, 'index.html')) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === hash) {
    log('client: up to date, not rebuilt');
    return false;
  }
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(HASH_FILE, `${hash}\n`);
  log('client: built');
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureClientBuilt((s) => console.log(s)).then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
