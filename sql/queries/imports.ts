/** Typed queries over imports (issue 14): the import record, and what a resumed import finds already stored. */
import type { Store } from '../store.js';

export type ImportState = 'running' | 'done' | 'failed' | 'cancelled';
export type ImportFormat = 'ndjson' | 'csv' | 'parquet';
/** load: rows are read, validated, deduplicated and stored; replay: the stored rows run through the isolated engine. */
export type ImportPhase = 'staged' | 'load' | 'replay' | 'finished';

export interface ImportRecord {
  id: string; format: ImportFormat; file_name: string; bytes: number; author: string;
  created_at: number; updated_at: number; finished_at: number | null;
  state: ImportState; phase: ImportPhase; push_alerts: boolean;
  rows_read: number; accepted: number; duplicates: number; rejected: number; alerts: number; error: string;
}

interface Row extends Omit<ImportRecord, 'push_alerts' | 'created_at' | 'updated_at' | 'finished_at'> {
  push_alerts: number; created_ms: number; updated_ms: number; finished_ms: number | null;
}

const COLUMNS = `id, format, file_name, bytes, author, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms,
  toUnixTimestamp64Milli(finished_at) AS finished_ms, state, phase, push_alerts, rows_read, accepted, duplicates, rejected, alerts, error`;

const fromRow = (r: Row): ImportRecord => ({
  id: r.id, format: r.format, file_name: r.file_name, bytes: Number(r.bytes), author: r.author,
  created_at: Number(r.created_ms), updated_at: Number(r.updated_ms), finished_at: r.finished_ms === null ? null : Number(r.finished_ms),
  state: r.state, phase: r.phase, push_alerts: Number(r.push_alerts) === 1,
  rows_read: Number(r.rows_read), accepted: Number(r.accepted), duplicates: Number(r.duplicates), rejected: Number(r.rejected), alerts: Number(r.alerts), error: r.error,
});

/** A new version of the import's record (the latest version is its state). */
export async function saveImport(store: Store, rec: ImportRecord, version: number): Promise<void> {
  const { push_alerts, ...rest } = rec;
  await store.insert('imports', [{ ...rest, push_alerts: push_alerts ? 1 : 0, version }]);
}

export async function getImport(store: Store, id: string): Promise<ImportRecord | null> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM imports FINAL WHERE id = {id:String} LIMIT 1`, { id });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The import history, newest first. */
export async function listImports(store: Store, limit: number): Promise<ImportRecord[]> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM imports FINAL ORDER BY created_at DESC, id DESC LIMIT {limit:UInt32}`, { limit });
  return rows.map(fromRow);
}

export async function importsInState(store: Store, state: ImportState): Promise<ImportRecord[]> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM imports FINAL WHERE state = {state:String} ORDER BY created_at`, { state });
  return rows.map(fromRow);
}

/**
 * Ids this import stored with a seq above its last recorded progress: a batch stored before a
 * kill -9 and not yet counted. A resume counts them as accepted (once), not as duplicates.
 */
export async function importedIdsAfterSeq(store: Store, importId: string, seq: number): Promise<Set<string>> {
  const rows = await store.query<{ id: string }>(
    'SELECT DISTINCT id FROM events WHERE import_id = {imp:String} AND seq > {seq:UInt64}', { imp: importId, seq });
  return new Set(rows.map((r) => r.id));
}

/** Rows of the file (by index) already kept as dead letters from `fromIdx` on: a resume does not keep them twice. */
export async function deadLetterRowsFrom(store: Store, source: string, fromIdx: number): Promise<Set<number>> {
  const rows = await store.query<{ idx: number }>(
    'SELECT DISTINCT idx FROM dead_letters WHERE source = {source:String} AND idx >= {from:Int32}', { source, from: fromIdx });
  return new Set(rows.map((r) => Number(r.idx)));
}

/** Distinct alerts an import's replay stored (exact, whatever was resumed). */
export async function countImportAlerts(store: Store, importId: string): Promise<number> {
  const [r] = await store.query<{ c: number }>('SELECT uniqExact(id) AS c FROM alerts WHERE import_id = {imp:String}', { imp: importId });
  return Number(r?.c ?? 0);
}

/** The ts range of an import's stored events (null when it stored none). */
export async function importTsRange(store: Store, importId: string): Promise<{ from: number; to: number; n: number } | null> {
  const [r] = await store.query<{ lo: number; hi: number; n: number }>(
    'SELECT toUnixTimestamp64Milli(min(ts)) AS lo, toUnixTimestamp64Milli(max(ts)) AS hi, count() AS n FROM events WHERE import_id = {imp:String}', { imp: importId });
  return r && Number(r.n) > 0 ? { from: Number(r.lo), to: Number(r.hi) + 1, n: Number(r.n) } : null;
}

/**
 * Converts a CSV (header row) or Parquet file into NDJSON with ClickHouse's own readers
 * (embedded engine: both paths are local files). CSV columns are read as text (no type guessing:
 * validation is the events' own); times of a Parquet timestamp column come out as ISO-8601.
 */
export async function convertToNdjson(store: Store, input: string, format: 'csv' | 'parquet', output: string): Promise<void> {
  const fmt = format === 'csv' ? 'CSVWithNames' : 'Parquet';
  await store.command(
    `INSERT INTO FUNCTION file({out:String}, 'JSONEachRow') SELECT * FROM file({in:String}, '${fmt}')
     SETTINGS input_format_csv_use_best_effort_in_schema_inference = 0, input_format_parquet_preserve_order = 1,
       date_time_output_format = 'iso', engine_file_truncate_on_insert = 1, output_format_json_quote_64bit_integers = 0,
       max_threads = 1`,
    { in: input, out: output });
}
