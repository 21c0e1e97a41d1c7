/** Secrets generated on first start and kept under DATA_DIR (mode 0600), unless given by the environment. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface Secrets { ingestToken: string; adminPassword: string; sessionSecret: string; generated: string[] }

export function loadSecrets(dataDir: string, given: { ingestToken?: string; adminPassword?: string }): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>) : {};
  const generated: string[] = [];
  const gen = (name: string, bytes: number) => { generated.push(name); return randomBytes(bytes).toString('base64url'); };
  const s = {
    ingestToken: stored.ingestToken ?? gen('INGEST_TOKEN', 24),
    adminPassword: stored.adminPassword ?? gen('ADMIN_PASSWORD', 12),
    sessionSecret: stored.sessionSecret ?? gen('session secret', 32),
  };
  if (generated.length) writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return {
    ingestToken: given.ingestToken ?? s.ingestToken,
    adminPassword: given.adminPassword ?? s.adminPassword,
    sessionSecret: s.sessionSecret,
    generated: generated.filter((g) => (g === 'INGEST_TOKEN' ? !given.ingestToken : g === 'ADMIN_PASSWORD' ? !given.adminPassword : false)),
  };
}
