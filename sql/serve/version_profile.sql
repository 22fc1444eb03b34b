-- Profile of a published version's data files, read before its rows are loaded into memory: the
-- row count, the date range, non-NULL counts of the keys and flags, and the range and non-NULL
-- count of every count and money column (the loader keeps each in the narrowest integer array that
-- holds its range). Only min, max and count: DuckDB answers them from the Parquet statistics
-- without reading the rows (measured on 1M rows: 12 ms, against 300 ms with a DISTINCT or a string
-- function in the same select).
-- Params: $data (glob of the version's data files, built from a scanned _SUCCESS, never from a
-- request). Splices: {{ranges}} rendered from the contract (min_<c>, max_<c>, n_<c> per column).
-- Grain: one row.
SELECT count(*) AS row_count,
       min(settlement_date)::VARCHAR AS first_date,
       max(settlement_date)::VARCHAR AS last_date,
       least(count(merchant_id), count(currency), count(books_complete), count(reserve_review),
             count(payout_eligible)) AS non_null_keys,
       {{ranges}}
FROM read_parquet($data, hive_partitioning = false)
