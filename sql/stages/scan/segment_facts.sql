-- Seq facts of every listed file of a scan task, in one read of the seq column: row count, NULL
-- seqs, range, and whether the rows are consecutive in file order (seq - file_row_number is the
-- same on every row). A file whose count equals row_count, whose range is first_seq..last_seq and
-- whose rows are consecutive holds each seq exactly once: complete, exactly, with no hashing. Any
-- other file is checked row by row (exact_per_seq.sql).
-- Splices: {{files}} quoted list of segment paths. Grain: one row per file that has rows.
SELECT filename AS file,
       count(*)::BIGINT AS rows_read,
       (count(*) - count(seq))::BIGINT AS null_seqs,
       min(seq) AS min_seq,
       max(seq) AS max_seq,
       coalesce(min(seq - file_row_number) = max(seq - file_row_number), false) AS consecutive
FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true)
GROUP BY filename;
