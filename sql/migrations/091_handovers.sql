-- Handover to the discipline office (移送纪检, docs/handover.md): one handover per transferred task,
-- its follow-up states as an append-only history, and the evidence package as produced.
CREATE TABLE IF NOT EXISTS handovers (
  id String,
  task_id String,
  case_id String DEFAULT '',
  indicator LowCardinality(String),
  subject_officer String,
  bureau LowCardinality(String),
  state LowCardinality(String),
  outcome LowCardinality(String) DEFAULT '',
  transferred_by String,
  receipt_no String DEFAULT '',
  package_seq UInt64,
  package_hash String,
  task_resolved_at DateTime64(3, 'UTC'),
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS handover_events (
  handover_id String,
  seq UInt32,
  ts DateTime64(3, 'UTC'),
  actor String,
  action LowCardinality(String),
  from_state LowCardinality(String),
  to_state LowCardinality(String),
  note String DEFAULT '',
  details String DEFAULT '',
  task_id String,
  indicator LowCardinality(String),
  bureau LowCardinality(String),
  subject_officer String,
  outcome LowCardinality(String) DEFAULT '',
  task_resolved_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (handover_id, seq);

CREATE TABLE IF NOT EXISTS handover_packages (
  handover_id String,
  created_at DateTime64(3, 'UTC'),
  json String
) ENGINE = MergeTree
ORDER BY (handover_id, created_at);

-- The outcome feeds the confirmed share (KPIs, GET /api/indicators, the risk weights): a handover that
-- ends in 处分 (sanctioned) adds the task to the `confirmed` state of the task rollups, in the hour/day the
-- task was resolved, so "confirmed ÷ resolved" over a period counts it among that period's resolutions.
-- uniqExact states: a task counted confirmed twice is still one. 了结 (closed without a finding) adds nothing.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_tasks_h_handover_mv TO kpi_tasks_h AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(task_resolved_at) AS hour, indicator,
  uniqExactIfState(task_id, 0) AS resolved, uniqExactIfState(task_id, outcome = 'confirmed') AS confirmed,
  uniqExactIfState(task_id, 0) AS late, uniqExactIfState(task_id, 0) AS assigned,
  quantileExactIfState(0.5)(toInt64(0), 0) AS resolve_ms, quantileExactIfState(0.5)(toInt64(0), 0) AS assign_ms
FROM handover_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', subject_officer)] AS d
WHERE action = 'conclude' AND outcome = 'confirmed' AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, hour, indicator;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_tasks_d_handover_mv TO kpi_tasks_d AS
SELECT d.1 AS dim, d.2 AS key, toDate(task_resolved_at, 'Asia/Shanghai') AS day, indicator,
  uniqExactIfState(task_id, 0) AS resolved, uniqExactIfState(task_id, outcome = 'confirmed') AS confirmed,
  uniqExactIfState(task_id, 0) AS late, uniqExactIfState(task_id, 0) AS assigned,
  quantileExactIfState(0.5)(toInt64(0), 0) AS resolve_ms, quantileExactIfState(0.5)(toInt64(0), 0) AS assign_ms
FROM handover_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', subject_officer)] AS d
WHERE action = 'conclude' AND outcome = 'confirmed' AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, day, indicator;
