-- Cases (docs/cases.md): one open case per subject officer gathers their unfinished risk tasks across
-- indicators. One row per change, the highest version is the case (read with FINAL).
CREATE TABLE IF NOT EXISTS cases (
  id String,
  subject_officer String,
  bureau LowCardinality(String),
  state LowCardinality(String),
  task_ids Array(String),
  alert_ids Array(String),
  assignee String DEFAULT '',
  assigner String DEFAULT '',
  draw_id String DEFAULT '',
  draw_task String DEFAULT '',
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  closed_at Nullable(DateTime64(3, 'UTC')),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- The case a task belongs to ('' for tasks made before cases).
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS case_id String DEFAULT '';
