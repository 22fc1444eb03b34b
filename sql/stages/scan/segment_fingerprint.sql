-- Fast validation of every listed segment file of one shard, without grouping rows: count, seq
-- range and a fingerprint of the seq multiset (sum of 64-bit hashes). When the count equals
-- row_count, the range matches and the fingerprint equals that of first_seq..last_seq, the file
-- holds each seq exactly once (a false match needs a 64-bit hash collision). Any other file is
-- re-checked exactly by segment_stats_exact.sql.
-- Splices: {{files}} quoted list of absolute segment paths. Grain: one row per file.
SELECT filename AS file,
       count(*)::BIGINT AS rows_read,
       count(*) FILTER (WHERE seq IS NULL)::BIGINT AS null_seqs,
       min(seq) AS min_seq,
       max(seq) AS max_seq,
       coalesce(sum(hash(seq)::HUGEINT), 0) AS seq_fingerprint
FROM read_parquet({{files}}, hive_partitioning = false, filename = true)
GROUP BY filename;
