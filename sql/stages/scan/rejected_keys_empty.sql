-- A scan task with no rejected row: no key counts one. Grain: no rows.
CREATE OR REPLACE TEMP TABLE shard_rejected_keys AS
SELECT NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS currency, 0::BIGINT AS n_rejected
WHERE false;
