-- Day-level alert rollup partitioned by month, so that reading a year with FINAL merges the
-- twelve partitions in parallel (docs/workflow.md, "Rollup design"). Same rows as before.
DROP VIEW IF EXISTS kpi_alerts_d_mv;

DROP TABLE IF EXISTS kpi_alerts_d;

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

INSERT INTO kpi_alerts_dm
SELECT d.1 AS dim, d.2 AS key, toDate(ts, 'Asia/Shanghai') AS day, x.1 AS bk, x.2 AS bv, uniqState(id) AS ids
FROM alerts
ARRAY JOIN [('all', ''), ('bureau', bureau), ('officer', officer)] AS d
ARRAY JOIN [('total', ''), ('indicator', toString(indicator)), ('category', toString(category)), ('severity', toString(severity)), ('bureau', toString(bureau))] AS x
WHERE d.1 = 'all' OR d.2 != ''
GROUP BY dim, key, day, bk, bv;
