/**
 * Imports history files into a running server through POST /api/imports and shows each one's
 * progress (rows read, accepted, duplicates, rejected, alerts, rate, ETA) until it ends.
 *
 *   npm run import -- FILE… [--url URL] [--push-alerts] [--user admin]
 *
 * The format follows the extension (.ndjson/.jsonl, .csv, .parquet). The password is read from
 * IMPORT_PASSWORD (or ADMIN_PASSWORD); an existing session token from IMPORT_TOKEN. Ctrl-C cancels
 * the running import (DELETE /api/imports/:id). Exit code 0 when every import ended `done`.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';

const FORMATS: Record<string, 'ndjson' | 'csv' | 'parquet'> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'ndjson', '.csv': 'csv', '.parquet': 'parquet' };
const USAGE = 'usage: npm run import -- FILE… [--url URL] [--push-alerts] [--user NAME]   (password: IMPORT_PASSWORD or ADMIN_PASSWORD)';

function args(argv: string[]) {
  const files: string[] = [];
  let url = process.env.IMPORT_URL ?? 'http://127.0.0.1:3000', user = 'admin', push = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--url') url = argv[++i] ?? '';
    else if (a.startsWith('--url=')) url = a.slice(6);
    else if (a === '--user') user = argv[++i] ?? '';
    else if (a === '--push-alerts') push = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) throw new Error('no FILE given');
  return { files, url: url.replace(/\/$/, ''), user, push };
}

async function token(url: string, user: string): Promise<string> {
  if (process.env.IMPORT_TOKEN) return process.env.IMPORT_TOKEN;
  const password = process.env.IMPORT_PASSWORD ?? process.env.ADMIN_PASSWORD;
  if (!password) throw new Error('set IMPORT_PASSWORD (or ADMIN_PASSWORD, or IMPORT_TOKEN)');
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  if (r.status !== 200) throw new Error(`login as ${user}: HTTP ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

const fmtN = (n: number) => n.toLocaleString('en-US');

async function importOne(url: string, tok: string, file: string, push: boolean): Promise<boolean> {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) throw new Error(`${file}: unknown extension (use .ndjson, .jsonl, .csv or .parquet)`);
  const size = statSync(file).size;
  const q = new URLSearchParams({ format, name: basename(file), ...(push ? { push_alerts: '1' } : {}) });
  process.stdout.write(`${file}: uploading ${fmtN(size)} bytes…\n`);
  const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream;
  const r = await fetch(`${url}/api/imports?${q}`, {
    method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body, duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const posted = (await r.json().catch(() => null)) as { id?: string; error?: { message: string } } | null;
  if (r.status !== 202 || !posted?.id) throw new Error(`${file}: HTTP ${r.status} ${posted?.error?.message ?? ''}`);
  const id = posted.id;
  let cancelled = false;
  const onInt = () => {
    if (cancelled) process.exit(130);
    cancelled = true;
    process.stdout.write(`\ncancelling import ${id}…\n`);
    void fetch(`${url}/api/imports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tok}` } });
  };
  process.on('SIGINT', onInt);
  try {
    for (;;) {
      const s = await fetch(`${url}/api/imports/${id}`, { headers: { authorization: `Bearer ${tok}` } });
      const p = (await s.json()) as Record<string, any>;
      const rate = p.rate ? `${fmtN(p.rate)}/s` : '–';
      const eta = p.eta_s !== null && p.eta_s !== undefined ? `ETA ${p.eta_s}s` : '';
      const phase = p.phase === 'replay' ? `replay ${fmtN(p.replayed)}/${fmtN(p.accepted)}` : p.phase;
      process.stdout.write(`\r${id.slice(0, 8)} ${p.state} ${phase}: read ${fmtN(p.rows_read)}, accepted ${fmtN(p.accepted)}, duplicates ${fmtN(p.duplicates)}, rejected ${fmtN(p.rejected)}, alerts ${fmtN(p.alerts)}, ${rate} ${eta}   `);
      if (p.state !== 'running') {
        process.stdout.write(`\n${p.error ? `error: ${p.error}\n` : ''}`);
        return p.state === 'done';
      }
      await new Promise((ok) => setTimeout(ok, 500));
    }
  } finally {
    process.off('SIGINT', onInt);
  }
}

async function main(): Promise<void> {
  let a: ReturnType<typeof args>;
  try { a = args(process.argv.slice(2)); } catch (err) { console.error(`${(err as Error).message}\n${USAGE}`); process.exit(2); }
  const tok = await token(a.url, a.user);
  let ok = true;
  for (const f of a.files) ok = (await importOne(a.url, tok, f, a.push)) && ok;
  process.exit(ok ? 0 : 1);
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
