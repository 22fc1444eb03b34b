-- Row offsets 0 .. $rows - 1 that every segment reads. A table scan runs on all threads, where
-- range() feeds a single one, so segments are generated in parallel.
-- Params: $rows. Grain: one row per offset.
CREATE OR REPLACE TEMP TABLE gen_offsets AS
SELECT range AS i FROM range($rows::BIGINT);
