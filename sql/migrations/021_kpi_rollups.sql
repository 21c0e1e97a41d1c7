-- KPI rollups (docs/workflow.md, "KPIs"). Every rollup is keyed by (dim, key, hour):
-- dim 'all' (key ''), 'bureau', 'window', 'officer'; hours are UTC hour starts, which are
-- also Asia/Shanghai hour starts (UTC+8, no DST). Day/week/month buckets are formed at query time.

-- Events: counts per hour and scope (ingestion stores each event id once, so sums are exact;
-- a late event simply lands in its own hour bucket).
CREATE TABLE IF NOT EXISTS kpi_events_h (
  dim LowCardinality(String),
  key String,
  hour DateTime('UTC'),
  events UInt64,
  rates UInt64,
  score_sum UInt64,
  low_scores UInt64,
  petitions UInt64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (dim, key, hour);

-- Aggregated per (hour, bureau, window, officer) first, then fanned out to the scopes (cheaper to fill).
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_events_mv TO kpi_events_h AS
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

-- Work items: one row per item after merges; min() of issue and of complete/cancel times is
-- idempotent, so duplicates and late events give the same state.
CREATE TABLE IF NOT EXISTS kpi_items (
  item String,
  bureau SimpleAggregateFunction(max, String),
  window SimpleAggregateFunction(max, String),
  matter SimpleAggregateFunction(max, String),
  issuer SimpleAggregateFunction(max, String),
  handler AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
  issue_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  done_ts SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
) ENGINE = AggregatingMergeTree
ORDER BY item;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_items_mv TO kpi_items AS
SELECT item,
  max(bureau) AS bureau,
  max(window) AS window,
  maxIf(matter, action = 'issue') AS matter,
  maxIf(officer, action = 'issue') AS issuer,
  argMaxIfState(officer, ts, action IN ('accept', 'handle', 'complete') AND officer != 'system') AS handler,
  minIf(toNullable(ts), action = 'issue') AS issue_ts,
  minIf(toNullable(ts), action IN ('complete', 'cancel')) AS done_ts
FROM events
WHERE action IN ('issue', 'accept', 'handle', 'complete', 'cancel')
GROUP BY item;

-- Standard hours per matter (from the reference data, rewritten by the workflow on change).
CREATE TABLE IF NOT EXISTS kpi_matter_hours (
  matter String,
  hours Float64
) ENGINE = MergeTree
ORDER BY matter;

-- Overdue: items by the hour of their deadline (issue + standard_hours), with how many were not
-- completed or cancelled by it. Recomputed from kpi_items by a refreshable view (every minute,
-- and on demand), so a late complete or issue corrects the numbers at the next refresh.
CREATE TABLE IF NOT EXISTS kpi_overdue_h (
  dim LowCardinality(String),
  key String,
  hour DateTime('UTC'),
  due UInt64,
  overdue UInt64
) ENGINE = MergeTree
ORDER BY (dim, key, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_overdue_mv REFRESH EVERY 1 MINUTE TO kpi_overdue_h AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(deadline) AS hour, count() AS due,
  countIf(done IS NULL OR done > deadline) AS overdue
FROM (
  SELECT it.item AS item, it.b AS bureau, it.w AS window, it.o AS officer, it.done AS done,
    addMilliseconds(assumeNotNull(it.iss), toInt64(mh.hours * 3600000)) AS deadline
  FROM (
    SELECT item, max(bureau) AS b, max(window) AS w, max(matter) AS m,
      if(argMaxMerge(handler) = '', max(issuer), argMaxMerge(handler)) AS o,
      min(issue_ts) AS iss, min(done_ts) AS done
    FROM kpi_items GROUP BY item HAVING iss IS NOT NULL
  ) AS it
  INNER JOIN kpi_matter_hours AS mh ON mh.matter = it.m
)
ARRAY JOIN [('all', ''), ('bureau', bureau), ('window', window), ('officer', officer)] AS d
WHERE (d.1 = 'all' OR d.2 != '') AND deadline <= now64(3)
GROUP BY dim, key, hour;

-- Alerts: distinct ids per cell with uniq states (small; exact while a cell holds fewer than
-- 65,536 alerts, up to 32-bit hash collisions); an alert lies in exactly one cell, so sums of
-- cells are distinct counts too.
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

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_alerts_h2_mv TO kpi_alerts_h2 AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(ts) AS hour, indicator, category, severity, bureau, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, hour, indicator, category, severity, bureau;

-- Risk tasks: resolutions (confirmed share, lateness, time to resolve) and first assignments.
CREATE TABLE IF NOT EXISTS kpi_tasks_h (
  dim LowCardinality(String),
  key String,
  hour DateTime('UTC'),
  indicator LowCardinality(String),
  resolved AggregateFunction(uniqExact, String),
  confirmed AggregateFunction(uniqExact, String),
  late AggregateFunction(uniqExact, String),
  assigned AggregateFunction(uniqExact, String),
  resolve_ms AggregateFunction(quantileExact(0.5), Int64),
  assign_ms AggregateFunction(quantileExact(0.5), Int64)
) ENGINE = AggregatingMergeTree
ORDER BY (dim, key, hour, indicator);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_tasks_mv TO kpi_tasks_h AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(ts) AS hour, indicator,
  uniqExactIfState(task_id, action = 'resolve') AS resolved,
  uniqExactIfState(task_id, action = 'resolve' AND result = 'confirmed') AS confirmed,
  uniqExactIfState(task_id, action = 'resolve' AND ts > deadline) AS late,
  uniqExactIfState(task_id, action = 'assign' AND first_assign = 1) AS assigned,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'resolve') AS resolve_ms,
  quantileExactIfState(0.5)(dateDiff('millisecond', task_created_at, ts), action = 'assign' AND first_assign = 1) AS assign_ms
FROM task_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', subject_officer)] AS d
WHERE action IN ('assign', 'resolve') AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, hour, indicator;

-- Reviews: final outcomes by the hour they were decided.
CREATE TABLE IF NOT EXISTS kpi_reviews_h (
  dim LowCardinality(String),
  key String,
  hour DateTime('UTC'),
  outcome LowCardinality(String),
  aspect LowCardinality(String),
  ids AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree
ORDER BY (dim, key, hour, outcome, aspect);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_reviews_mv TO kpi_reviews_h AS
SELECT d.1 AS dim, d.2 AS key, toStartOfHour(ts) AS hour, outcome, aspect, uniqExactState(review_id) AS ids
FROM review_events
ARRAY JOIN [('all', ''), ('bureau', bureau), ('window', window), ('officer', handler)] AS d
WHERE action = 'decide' AND (d.1 = 'all' OR d.2 != '')
GROUP BY dim, key, hour, outcome, aspect;

-- Day-level (Asia/Shanghai) rollups for day/week/month series over long ranges: alerts by one
-- breakdown at a time (total, indicator, category, severity, bureau), partitioned by month so a
-- year read with FINAL merges twelve partitions in parallel; and risk task outcomes.
CREATE TABLE IF NOT EXISTS kpi_alerts_dm (
  dim LowCardinality(String),
  key String,
  day Date,
  bk LowCardinality(String),
  bv LowCardinality(String),
  ids AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (dim, key, day, bk, bv);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_alerts_dm_mv TO kpi_alerts_dm AS
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
