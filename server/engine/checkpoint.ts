/** Engine checkpoints: the engine's state and the arrival seq it covers, written atomically under DATA_DIR. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Checkpoint<S> { seq: number; written_at: number; snapshot: S }

export class CheckpointFile<S> {
  private readonly file: string;
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'checkpoint.json');
  }

  /** size of the checkpoint last read, for the start timings */
  lastReadBytes = 0;

  read(): Checkpoint<S> | null {
    if (!existsSync(this.file)) return null;
    try {
      const bytes = readFileSync(this.file);
      this.lastReadBytes = bytes.length;
      return JSON.parse(bytes.toString('utf8')) as Checkpoint<S>;
    } catch {
      return null; // a damaged checkpoint only costs a longer replay
    }
  }

  /**
   * `cp` serialized at the moment it was captured (see `serialize`): the engine's snapshot shares its
   * rules' live state, so a checkpoint serialized later would hold events newer than its seq.
   */
  write(serialized: string): void {
    const tmp = `${this.file}.tmp`;
    const data = Buffer.from(serialized);
    try {
      const fd = openSync(tmp, 'w');
      try {
        // A full disk may take part of a write without an error: write until all of it is in, or throw.
        for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      // DATA_DIR full: the previous checkpoint stays whole; drop the partial one and its space.
      try { unlinkSync(tmp); } catch { /* never created */ }
      throw err;
    }
    renameSync(tmp, this.file);
    // The rename itself is durable only once the folder is synced.
    const dfd = openSync(dirname(this.file), 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  }

  static serialize<S>(cp: Checkpoint<S>): string { return JSON.stringify(cp); }
}
