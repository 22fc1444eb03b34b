-- The sums of every scan task (and the corrections task), for the conservation assertion.
-- Splices: {{sums}} quoted list of the tasks' sums files. Grain: one row per (task, key).
CREATE OR REPLACE TEMP VIEW shard_sums AS SELECT * FROM read_parquet({{sums}}, hive_partitioning = false);
