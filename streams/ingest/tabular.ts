/**
 * A row of a tabular file (CSV, Parquet), as ClickHouse's reader gives it (server/imports reads
 * both with ClickHouse's own input formats), turned into the wire format of events.md so that it
 * is validated exactly as a live event. A table cannot leave a field out: an empty cell or a
 * NULL means "absent". `amount` given as text becomes a number when it is one; `attrs` given as
 * text is JSON. Anything else is passed on unchanged, so validation names the field it rejects.
 */
const NUMBER_RE = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function fromTabularRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
    if (v === null || v === '') continue;
    if (k === 'amount' && typeof v === 'string') { out[k] = NUMBER_RE.test(v) ? Number(v) : v; continue; }
    if (k === 'attrs' && typeof v === 'string') {
      try { out[k] = JSON.parse(v); } catch { out[k] = v; }
      continue;
    }
    out[k] = v;
  }
  return out;
}
