-- Where the repeated hashes occur: the stream file (so, the scan task) and the position of the
-- segment file in that task's file list. Splices: {{streams}} as ids_candidates.sql.
-- Tables: entry_id_candidates. Grain: one row per (stream file, file_no) holding a candidate.
SELECT DISTINCT filename AS stream, file_no
FROM read_parquet({{streams}}, hive_partitioning = false, filename = true)
WHERE h IN (SELECT h FROM entry_id_candidates)
ORDER BY stream, file_no;
