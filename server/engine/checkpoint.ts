/** Engine checkpoints: the engine's state and the arrival seq it covers, written atomically under DATA_DIR. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

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

  write(cp: Checkpoint<S>): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(cp));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
