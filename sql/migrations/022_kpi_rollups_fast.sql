-- KPI rollups, second version (docs/workflow.md): cheaper to fill and to read at a year's scale.
-- Events: aggregate per (hour, bureau, window, officer) first, then fan out to the scopes.
DROP VIEW IF EXISTS kpi_events_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_events_mv2 TO kpi_events_h AS
SELECT d.1 AS dim, d.2 AS key, hour, sum(e) AS events, sum(r) AS rates, sum(ss) AS score_sum, sum(lo) AS low_scores, sum(p) AS petitions
FROM (
  SELECT toStartOfHour(ts) AS hour, bureau, window, officer, count() AS e,
    countIf(s BETWEEN 1 AND 5) AS r, toUInt64(sumIf(s, s BETWEEN 1 AND 5)) AS ss, countIf(s BETWEEN 1 AND 2) AS lo, countIf(action = 'petition') AS p
  FROM (SELECT ts, bureau, window, officer, action, if(action = 'rate', JSONExtractInt(attrs, 'score'), 0) AS s FROM events)
  GROUP BY hour, bureau, window, officer
)
ARRAY JOIN [('all', ''), ('bureau', bureau), ('window', window), ('officer', officer)] AS d
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, hour;

-- Alerts: distinct ids per cell with uniq states (small; exact while a cell holds fewer than
-- 65,536 alerts, up to 32-bit hash collisions); an alert lies in exactly one cell, so sums of
-- cells are distinct counts too.
DROP VIEW IF EXISTS kpi_alerts_mv;

DROP TABLE IF EXISTS kpi_alerts_h;

CREATE TABLE IF NOT EXISTS kpi_alerts_h2 (
  dim LowCardinality(String),
  key String,
  hour DateTime('UTC'),
  indicator LowCardinality(String),
  category LowCardinality(String),
  severity LowCardinality(String),
  bureau LowCardinality(String),
  ids AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (dim, key, hour, indicator, category, severity, bureau);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_alerts_mv2 TO kpi_alerts_h2 AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(ts) AS hour, indicator, category, severity, bureau, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, hour, indicator, category, severity, bureau;

INSERT INTO kpi_alerts_h2
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(ts) AS hour, indicator, category, severity, bureau, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, hour, indicator, category, severity, bureau;

-- Day-level (Asia/Shanghai) rollups for day/week/month series over long ranges: alerts by one
-- breakdown at a time (total, indicator, category, severity, bureau), and risk task outcomes.
CREATE TABLE IF NOT EXISTS kpi_alerts_d (
  dim LowCardinality(String),
  key String,
  day Date,
  bk LowCardinality(String),
  bv LowCardinality(String),
  ids AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (dim, key, day, bk, bv);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_alerts_d_mv TO kpi_alerts_d AS
SELECT d.1 AS dim, d.2 AS key, toDate(ts, 'Asia/Shanghai') AS day, x.1 AS bk, x.2 AS bv, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
ARRAY JOIN [('total', ''), ('indicator', toString(indicator)), ('category', toString(category)), ('severity', toString(severity)), ('bureau', toString(bureau))] AS x
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, day, bk, bv;

INSERT INTO kpi_alerts_d
SELECT d.1 AS dim, d.2 AS key, toDate(ts, 'Asia/Shanghai') AS day, x.1 AS bk, x.2 AS bv, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
ARRAY JOIN [('total', ''), ('indicator', toString(indicator)), ('category', toString(category)), ('severity', toString(severity)), ('bureau', toString(bureau))] AS x
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, day, bk, bv;

CREATE TABLE IF NOT EXISTS kpi_tasks_d (
  dim LowCardinality(String),
  key String,
  day Date,
  indicator LowCardinality(String),
  resolved AggregateFunction(uniqExact, String),
  confirmed AggregateFunction(uniqExact, String),
  late AggregateFunction(uniqExact, String),
  assigned AggregateFunction(uniqExact, String),
  resolve_ms AggregateFunction(quantileExact(0.5), Int64),
  assign_ms AggregateFunction(quantileExact(0.5), Int64)
) ENGINE = AggregatingMergeTree
ORDER BY (dim, key, day, indicator);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_tasks_d_mv TO kpi_tasks_d AS
SELECT d.1 AS dim, d.2 AS key, toDate(ts, 'Asia/Shanghai') AS day, indicator,
  uniqExactIfState(task_id, action = 'resolve') AS resolved,
  uniqExactIfState(task_id, action = 'resolve' AND result = 'confirmed') AS confirmed,
  uniqExactIfState(task_id, action = 'resolve' AND ts > deadline) AS late,
  uniqExactIfState(task_id, action = 'assign' AND first_assign = 1) AS assigned,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'resolve') AS resolve_ms,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'assign' AND first_assign = 1) AS assign_ms
FROM task_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', subject_officer)] AS d
WHERE action IN ('assign', 'resolve') AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, day, indicator;

INSERT INTO kpi_tasks_d
SELECT d.1 AS dim, d.2 AS key, toDate(ts, 'Asia/Shanghai') AS day, indicator,
  uniqExactIfState(task_id, action = 'resolve') AS resolved,
  uniqExactIfState(task_id, action = 'resolve' AND result = 'confirmed') AS confirmed,
  uniqExactIfState(task_id, action = 'resolve' AND ts > deadline) AS late,
  uniqExactIfState(task_id, action = 'assign' AND first_assign = 1) AS assigned,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'resolve') AS resolve_ms,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'assign' AND first_assign = 1) AS assign_ms
FROM task_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', subject_officer)] AS d
WHERE action IN ('assign', 'resolve') AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, day, indicator;
