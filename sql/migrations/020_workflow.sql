-- Closed loop (docs/workflow.md): risk tasks, their append-only history, assignment draws,
-- sampling review draws and reviews, the hash-chained audit trail.

-- Risk tasks: one row per change, the highest version is the task (read with FINAL).
CREATE TABLE IF NOT EXISTS tasks (
  id String,
  source LowCardinality(String),
  state LowCardinality(String),
  indicator LowCardinality(String),
  category LowCardinality(String),
  severity LowCardinality(String),
  subject_officer String,
  bureau LowCardinality(String),
  item String,
  matter LowCardinality(String),
  alert_ids Array(String),
  evidence Array(String),
  review_id String DEFAULT '',
  assignee String DEFAULT '',
  assigner String DEFAULT '',
  draw_id String DEFAULT '',
  override UInt8 DEFAULT 0,
  resolver String DEFAULT '',
  result LowCardinality(String) DEFAULT '',
  finding String DEFAULT '',
  closer String DEFAULT '',
  close_note String DEFAULT '',
  created_at DateTime64(3, 'UTC'),
  deadline DateTime64(3, 'UTC'),
  assigned_at Nullable(DateTime64(3, 'UTC')),
  accepted_at Nullable(DateTime64(3, 'UTC')),
  resolved_at Nullable(DateTime64(3, 'UTC')),
  closed_at Nullable(DateTime64(3, 'UTC')),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Every state change of a task, append-only: who, when, why.
CREATE TABLE IF NOT EXISTS task_events (
  task_id String,
  seq UInt32,
  ts DateTime64(3, 'UTC'),
  actor String,
  action LowCardinality(String),
  from_state LowCardinality(String),
  to_state LowCardinality(String),
  reason String DEFAULT '',
  details String DEFAULT '',
  indicator LowCardinality(String),
  severity LowCardinality(String),
  bureau LowCardinality(String),
  subject_officer String,
  result LowCardinality(String) DEFAULT '',
  task_created_at DateTime64(3, 'UTC'),
  deadline DateTime64(3, 'UTC'),
  first_assign UInt8 DEFAULT 0
) ENGINE = MergeTree
ORDER BY (task_id, seq);

-- Reproducible assignment draws: seed, candidates with their inputs and weights, the pick.
CREATE TABLE IF NOT EXISTS assignment_draws (
  id String,
  task_id String,
  ts DateTime64(3, 'UTC'),
  algorithm LowCardinality(String),
  seed String,
  needed_level UInt8,
  candidates Array(String),
  levels Array(UInt8),
  loads Array(UInt32),
  weights Array(Float64),
  excluded String,
  pick String,
  pick_index Int32
) ENGINE = MergeTree
ORDER BY (task_id, ts, id);

-- Sampling review draws: the period, the seed, the population and sample per bureau.
CREATE TABLE IF NOT EXISTS review_draws (
  id String,
  ts DateTime64(3, 'UTC'),
  actor String,
  period_from DateTime64(3, 'UTC'),
  period_to DateTime64(3, 'UTC'),
  algorithm LowCardinality(String),
  seed String,
  rate Float64,
  strata String,
  items Array(String)
) ENGINE = MergeTree
ORDER BY (ts, id);

-- Reviews: one row per change, the highest version is the review.
CREATE TABLE IF NOT EXISTS reviews (
  id String,
  draw_id String,
  item String,
  bureau LowCardinality(String),
  window LowCardinality(String),
  matter LowCardinality(String),
  power UInt8,
  handler String,
  handlers Array(String),
  kind LowCardinality(String),
  reviewers Array(String),
  submissions String,
  state LowCardinality(String),
  outcome LowCardinality(String) DEFAULT '',
  aspect LowCardinality(String) DEFAULT '',
  task_id String DEFAULT '',
  created_at DateTime64(3, 'UTC'),
  decided_at Nullable(DateTime64(3, 'UTC')),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Every step of a review, append-only.
CREATE TABLE IF NOT EXISTS review_events (
  review_id String,
  seq UInt32,
  ts DateTime64(3, 'UTC'),
  actor String,
  action LowCardinality(String),
  bureau LowCardinality(String),
  window LowCardinality(String),
  handler String,
  outcome LowCardinality(String) DEFAULT '',
  aspect LowCardinality(String) DEFAULT '',
  details String DEFAULT ''
) ENGINE = MergeTree
ORDER BY (review_id, seq);

-- The audit trail: a hash chain, each record carrying the hash of the one before.
CREATE TABLE IF NOT EXISTS audit_log (
  seq UInt64,
  ts DateTime64(3, 'UTC'),
  actor String,
  action LowCardinality(String),
  target String,
  details String,
  prev_hash String,
  hash String
) ENGINE = MergeTree
ORDER BY seq;
