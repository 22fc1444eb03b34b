-- Routes one shard's distinct customer tuples to reduce partitions. A hot key is spread over
-- $salts consecutive partitions by a salt taken from the customer_ref, so each customer lands in
-- exactly one partition and partial distinct counts add up exactly.
-- Splices: {{customers}} quoted path. Params: $partitions, $salts. Tables: hot_keys.
-- Grain: one row per tuple, with its partition, sorted by partition.
SELECT c.merchant_id, c.currency, c.customer_ref,
       ((hash(c.merchant_id, c.currency) % $partitions
         + CASE WHEN h.merchant_id IS NULL THEN 0 ELSE hash(c.customer_ref) % $salts END)
        % $partitions)::INTEGER AS part
FROM read_parquet({{customers}}, hive_partitioning = false) c
LEFT JOIN hot_keys h ON h.merchant_id = c.merchant_id AND h.currency = c.currency
ORDER BY part
