-- Per file facts from the exact check (SPEC section 3). Tables: exact_per_seq.
-- Grain: one row per file.
SELECT file,
       sum(copies)::BIGINT AS rows_read,
       count(*)::BIGINT AS distinct_seqs,
       coalesce(sum(copies - 1) FILTER (WHERE identical), 0)::BIGINT AS duplicates_removed,
       count(*) FILTER (WHERE NOT identical)::BIGINT AS conflicting_seqs,
       count(*) FILTER (WHERE seq IS NULL)::BIGINT AS null_seqs,
       min(seq) AS min_seq,
       max(seq) AS max_seq,
       count(entry_id)::BIGINT AS seqs_with_entry_id,
       count(DISTINCT entry_id)::BIGINT AS distinct_entry_ids
FROM exact_per_seq
GROUP BY file;
