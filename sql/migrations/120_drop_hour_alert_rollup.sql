-- The KPIs' alert figures come from the exact alert cube (060) since the board's single-request
-- load (docs/workflow.md, "Rollup design"); the approximate hour rollup of 021 has no reader left,
-- and its materialized view cost a little on every alert insert. The day rollup kpi_alerts_dm
-- stays: the officer profile and the performance export read it.
DROP VIEW IF EXISTS kpi_alerts_h2_mv;
DROP TABLE IF EXISTS kpi_alerts_h2;
