-- One reduce partition's distinct customers per key. A partial count: salting spreads a key's
-- customers over several partitions, each customer in exactly one, so the assembly adds the
-- partials up. Splices: {{customers}} quoted list of every scan task's customer tuples,
-- {{part}} integer. Grain: one row per (merchant_id, currency) with customers in the partition.
SELECT merchant_id, currency, count(DISTINCT customer_ref) AS distinct_customers
FROM read_parquet({{customers}}, hive_partitioning = false)
WHERE part = {{part}}
GROUP BY merchant_id, currency
