-- Per account totals of one scan task, named by the account's merchant_id and currency: the scan
-- measures of the column contract (accepted rows counted and amounts summed per entry type,
-- contract/columns.ts), grouped on the account's row number (an integer), and rejected rows
-- counted on the row's own merchant_id and currency in rows of their own. A key with several
-- accounts in the task, or with rejected rows too, has several rows: the reduce adds them up as
-- it adds up the tasks (grouping them here cost 0.18-0.22 s against 0.11-0.12 s per 10m task for
-- 62k keys, measured warm). Sums are written as BIGINT, exact int64 in Parquet, with a checked
-- cast: a partial sum past 2^63 fails the run (the published money columns are BIGINT too). Not
-- HUGEINT, which DuckDB writes as DOUBLE (rounding above 2^53); not DECIMAL(38, 0), whose cast and
-- write cost 0.43 s against 0.13 s for 187k keys (measured). Each row carries the reduce
-- partition of its key.
-- Splices: {{partitions}} integer, {{measures}} rendered from the contract (n_*, amt_*),
-- {{order_by_part}} (classify.ts: sorted by partition only when there are several).
-- Tables: shard_pre, accounts, shard_rejected_keys.
-- Grain: one row per account with accepted rows, one per (merchant_id, currency) of rejected rows.
SELECT key_partition(merchant_id, currency, {{partitions}}) AS part, merchant_id, currency,
       coalesce(COLUMNS(* EXCLUDE (merchant_id, currency)), 0)::BIGINT
FROM (
  SELECT a.merchant_id, a.currency, p.* EXCLUDE (account_row)
  FROM (
    SELECT account_row,
           {{measures}}
    FROM shard_pre
    WHERE account_row IS NOT NULL
    GROUP BY account_row
  ) p
  JOIN accounts a ON a.rowid = p.account_row
  UNION ALL BY NAME
  SELECT merchant_id, currency, n_rejected
  FROM shard_rejected_keys
)
{{order_by_part}};
