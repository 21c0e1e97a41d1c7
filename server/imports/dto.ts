/** An import as the API and socket.io show it (times ISO-8601). */
import type { ImportRecord } from '../../sql/queries/imports.js';
import type { ImportDTO } from '../socket/events.js';
import type { ImportProgress } from './service.js';

export function importToDTO(r: ImportRecord | ImportProgress): ImportDTO {
  const p = r as Partial<ImportProgress>;
  return {
    id: r.id, state: r.state, phase: r.phase, format: r.format, file_name: r.file_name, bytes: r.bytes, author: r.author,
    created_at: new Date(r.created_at).toISOString(), updated_at: new Date(r.updated_at).toISOString(),
    finished_at: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
    push_alerts: r.push_alerts, rows_read: r.rows_read, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, alerts: r.alerts,
    error: r.error || null, rate: p.rate ?? null, eta_s: p.eta_s ?? null, replayed: p.replayed ?? 0,
    phase_progress: p.phase_progress ?? (r.phase === 'finished' ? 1 : null),
  };
}
