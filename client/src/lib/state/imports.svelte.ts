/**
 * The admin's imports page: the upload (with its progress), the import history from the server,
 * and the progress of running imports as socket.io pushes it. Every count is the server's.
 */
import { request, uploadImport, type ImportDTO } from '../api';
import { onImport } from '../socket';
import { errorText } from '../errors';

export type ImportFormat = ImportDTO['format'];

/** The format a file name says (the server is told explicitly; this only preselects). */
export function formatOfName(name: string): ImportFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith('.parquet')) return 'parquet';
  if (n.endsWith('.csv') || n.endsWith('.tsv')) return 'csv';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl') || n.endsWith('.json')) return 'ndjson';
  return null;
}

export class ImportsState {
  history = $state.raw<ImportDTO[]>([]);
  /** Upload progress 0–1 while the file goes up; null otherwise. */
  uploading = $state<number | null>(null);
  /** The import started from this page (its live progress is shown on top). */
  currentId = $state<string | null>(null);
  error = $state('');
  loading = $state(false);
  private unsubscribe: (() => void) | null = null;

  get current(): ImportDTO | null { return this.history.find((x) => x.id === this.currentId) ?? null; }

  start(): () => void {
    this.unsubscribe = onImport((p) => this.merge(p));
    void this.load();
    return () => { this.unsubscribe?.(); this.unsubscribe = null; };
  }

  async load(): Promise<void> {
    this.loading = true;
    try { this.history = (await request('GET /api/imports', { query: { limit: 100 } })).imports; this.error = ''; }
    catch (e) { this.error = errorText(e); }
    finally { this.loading = false; }
  }

  async upload(file: File, format: ImportFormat, pushAlerts: boolean): Promise<void> {
    this.error = '';
    this.uploading = 0;
    try {
      const { id } = await uploadImport(file, { format, push_alerts: pushAlerts ? '1' : '0', name: file.name }, (sent, total) => { this.uploading = total > 0 ? sent / total : null; });
      this.currentId = id;
      // The record exists once the upload is stored: read it rather than wait for the first push.
      this.merge(await request('GET /api/imports/:id', { params: { id } }));
    } catch (e) { this.error = errorText(e); }
    finally { this.uploading = null; }
  }

  async cancel(id: string): Promise<void> {
    try { this.merge(await request('DELETE /api/imports/:id', { params: { id } })); }
    catch (e) { this.error = errorText(e); }
  }

  /** A newer state of one import (a push or an answer) replaces the older one; pushes can arrive out of order. */
  private merge(p: ImportDTO): void {
    const i = this.history.findIndex((x) => x.id === p.id);
    if (i < 0) { this.history = [p, ...this.history]; return; }
    const old = this.history[i]!;
    if (old.state !== 'running' && p.state === 'running') return; // a late push after the end
    if (old.state === 'running' && p.state === 'running' && p.updated_at < old.updated_at) return;
    const next = [...this.history];
    next[i] = p;
    this.history = next;
  }
}
