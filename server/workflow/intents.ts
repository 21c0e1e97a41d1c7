/**
 * The workflow's write-ahead intents (DATA_DIR/workflow-intents): every batch of workflow writes
 * (task versions, history, draws, alert links, audit records) is written here, fsync'd, before the
 * first insert, and removed after the last. A kill -9 in between leaves the intent; the next start
 * completes it (each step inserts only what the store does not have yet), so a batch is never half
 * stored and never stored twice.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DrawRow, TaskEventRow, TaskRow } from '../../sql/queries/tasks.js';
import type { StoredAlert } from '../../sql/queries/alerts.js';
import type { CaseRow } from '../../sql/queries/cases.js';
import type { AuditEntry } from '../context.js';

export interface WorkflowIntent {
  id: string;
  created_at: number;
  tasks: TaskRow[];
  events: TaskEventRow[];
  draws: DrawRow[];
  alerts: StoredAlert[];
  /** Case versions (absent in intents written before cases). */
  cases?: CaseRow[];
  /** The row version the alert links are written with (the same on a retry, so they replace each other). */
  alert_version: number;
  /** Each carries `details.batch = id`, so a retry can see whether they were stored. */
  audit: AuditEntry[];
}

export class IntentLog {
  private counter = 0;
  constructor(readonly dir: string) { mkdirSync(dir, { recursive: true }); }

  /** A new, unique intent id, ordered by creation. */
  nextId(now: number): string {
    return `WB-${String(Math.floor(now)).padStart(14, '0')}-${process.pid.toString(36)}-${(this.counter++).toString(36).padStart(6, '0')}`;
  }

  /** Durable before it returns: temp file, fsync, rename, fsync of the folder. */
  write(intent: WorkflowIntent): void {
    const file = join(this.dir, `${intent.id}.json`);
    const tmp = join(this.dir, `.${intent.id}.tmp`);
    const fd = openSync(tmp, 'w');
    try { writeSync(fd, JSON.stringify(intent)); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, file);
    this.syncDir();
  }

  done(id: string): void {
    try { unlinkSync(join(this.dir, `${id}.json`)); } catch { /* already gone */ }
  }

  /** Intents left by a previous run, oldest first (a torn temp file was never acted on and is dropped). */
  pending(): WorkflowIntent[] {
    const out: WorkflowIntent[] = [];
    for (const f of readdirSync(this.dir).sort()) {
      if (f.startsWith('.')) { try { unlinkSync(join(this.dir, f)); } catch { /* gone */ } continue; }
      if (!f.endsWith('.json')) continue;
      out.push(JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as WorkflowIntent);
    }
    return out;
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  }
}
