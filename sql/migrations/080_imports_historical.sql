-- Issue 14: history imported from a file. Alerts raised by an import's isolated replay are
-- historical (stored, counted, never a risk task, not pushed to the wall unless the import asks);
-- events and alerts carry the import that brought them ('' = live).
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS historical UInt8 DEFAULT 0;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS import_id String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS import_id String DEFAULT '';

-- One row per import state change; the latest version of an id is its state.
CREATE TABLE IF NOT EXISTS imports (
  id String,
  format LowCardinality(String),
  file_name String,
  bytes UInt64,
  author String,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  finished_at Nullable(DateTime64(3, 'UTC')),
  state LowCardinality(String),
  phase LowCardinality(String),
  push_alerts UInt8,
  rows_read UInt64,
  accepted UInt64,
  duplicates UInt64,
  rejected UInt64,
  alerts UInt64,
  error String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Reference versions valid from a point in time (an import's replay judges each event by the
-- version valid at its ts); existing versions are valid from when they were stored.
ALTER TABLE reference_versions ADD COLUMN IF NOT EXISTS valid_from DateTime64(3, 'UTC') DEFAULT created_at;
