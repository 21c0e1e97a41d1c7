/**
 * Write-ahead spool under DATA_DIR/spool: each group commit is one file, fsync'd before the
 * events are acknowledged, and unlinked once its rows are in ClickHouse. On start, files left
 * behind are drained in order.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface SpoolFile { name: string; bytes: number }

export class Spool {
  private bytes = 0;
  private counter = 0;

  constructor(readonly dir: string, readonly maxBytes: number) {
    mkdirSync(dir, { recursive: true });
    for (const f of this.pending()) this.bytes += f.bytes;
  }

  get size(): number { return this.bytes; }

  hasRoom(extra: number): boolean { return this.bytes + extra <= this.maxBytes; }

  /** Appends one group (its lines as one text) durably (write to a temp name, fsync, rename, fsync the folder). Returns its file name. */
  write(firstSeq: number, text: string): SpoolFile {
    const name = `${String(firstSeq).padStart(20, '0')}-${(this.counter++).toString(36)}.ndjson`;
    const body = Buffer.from(text + '\n');
    const tmp = join(this.dir, `.${name}.tmp`);
    try {
      const fd = openSync(tmp, 'w');
      try {
        // A full disk may take part of a write without an error: write until all of it is in, or throw.
        for (let off = 0; off < body.length;) off += writeSync(fd, body, off, body.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      // DATA_DIR full: nothing of this group is acknowledged; drop the partial file and its space.
      try { unlinkSync(tmp); } catch { /* never created */ }
      throw err;
    }
    renameSync(tmp, join(this.dir, name));
    const dfd = openSync(this.dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
    this.bytes += body.length;
    return { name, bytes: body.length };
  }

  /** Files waiting to be drained, oldest first. */
  pending(): SpoolFile[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.ndjson') && !f.startsWith('.'))
      .sort()
      .map((name) => ({ name, bytes: statSync(join(this.dir, name)).size }));
  }

  read(file: SpoolFile): string[] {
    return readFileSync(join(this.dir, file.name), 'utf8').split('\n').filter(Boolean);
  }

  remove(file: SpoolFile): void {
    try {
      unlinkSync(join(this.dir, file.name));
      this.bytes = Math.max(0, this.bytes - file.bytes);
    } catch { /* already gone */ }
  }
}
