/** Engine checkpoints: the engine's state and the arrival seq it covers, written atomically under DATA_DIR. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Checkpoint<S> { seq: number; written_at: number; snapshot: S }

export class CheckpointFile<S> {
  private readonly file: string;
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'checkpoint.json');
  }

  read(): Checkpoint<S> | null {
    if (!existsSync(this.file)) return null;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Checkpoint<S>;
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
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, serialized);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    // The rename itself is durable only once the folder is synced.
    const dfd = openSync(dirname(this.file), 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  }

  static serialize<S>(cp: Checkpoint<S>): string { return JSON.stringify(cp); }
}
