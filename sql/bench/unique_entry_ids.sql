-- The engine floor for one check SPEC section 3 requires and the aggregation floor does not do:
-- entry-id uniqueness over every segment of the run. The cheapest exact-capable form: one hash
-- group-by (repeated hashes would then be confirmed on the id itself, as the pipeline does).
-- Splices: {{files}} quoted glob, {{out}} quoted output path.
COPY (
  SELECT hash(entry_id) AS h, count(*) AS n
  FROM read_parquet({{files}}, hive_partitioning = false)
  GROUP BY h
  HAVING count(*) > 1
) TO {{out}} (FORMAT parquet);
