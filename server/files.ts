/**
 * Data at rest: DATA_DIR is 0700 and every file in it 0600. The process umask (set first thing at
 * start) makes everything the product and the embedded engine write private; files from an
 * older run or copied in by hand are found by the start check, tightened, and warned about.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log.js';

export const PRIVATE_UMASK = 0o077;
/** The start check looks at this many entries at most (a large store has many part files). */
const MAX_CHECKED = 50_000;

export interface DataDirCheck { checked: number; tightened: string[]; truncated: boolean }

export function securePermissions(dataDir: string, log: Logger): DataDirCheck {
  process.umask(PRIVATE_UMASK);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tightened: string[] = [];
  let checked = 0;
  const visit = (path: string, isDir: boolean) => {
    checked++;
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      chmodSync(path, isDir ? 0o700 : 0o600);
      tightened.push(`${path} (was ${mode.toString(8).padStart(4, '0')})`);
    }
  };
  visit(dataDir, true);
  const stack = [dataDir];
  while (stack.length && checked < MAX_CHECKED) {
    const dir = stack.pop()!;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (checked >= MAX_CHECKED) break;
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) continue;
      visit(p, e.isDirectory());
      if (e.isDirectory()) stack.push(p);
    }
  }
  const truncated = stack.length > 0;
  if (tightened.length) {
    log.warn(`DATA_DIR: ${tightened.length} entries could be read by other users and were made private (0700 directories, 0600 files): ${tightened.slice(0, 5).join(', ')}${tightened.length > 5 ? ', …' : ''}`);
  }
  return { checked, tightened, truncated };
}

/** A secret as a log may show it: never whole. */
export function maskSecret(s: string): string {
  return s.length >= 16 ? `${s.slice(0, 4)}…(${s.length} characters)` : `…(${s.length} characters)`;
}
