-- Which reduce partition a scan output row goes to. Scan tasks write their outputs already
-- partitioned (sorted by `part`), so reduce task p reads only its row groups from every shard.
-- A key's totals go to the key's partition. Its customer tuples are salted: spread over `salts`
-- consecutive partitions from there by a salt taken from the customer_ref. Each customer of a
-- key lands in exactly one partition whichever shard it comes from, so the partial distinct
-- counts of a key add up exactly, and a merchant holding half the day's customers still spreads
-- over `salts` partitions. Every key is salted the same way, so no shard needs to know which keys
-- are hot; salts = 1 turns salting off.
CREATE OR REPLACE TEMP MACRO key_partition(merchant_id, currency, partitions) AS
  (hash(merchant_id, currency) % partitions)::INTEGER;

CREATE OR REPLACE TEMP MACRO customer_partition(merchant_id, currency, customer_ref, partitions, salts) AS
  ((hash(merchant_id, currency) % partitions + hash(customer_ref) % salts) % partitions)::INTEGER;
