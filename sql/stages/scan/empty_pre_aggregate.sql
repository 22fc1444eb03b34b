-- A shard with no complete segment still gets an (empty) pre-aggregate of the usual shape.
-- Grain: no rows.
CREATE OR REPLACE TEMP TABLE shard_pre AS
SELECT NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS currency, NULL::VARCHAR AS reject_reason,
       NULL::VARCHAR AS entry_type, NULL::VARCHAR AS charge_customer,
       0::BIGINT AS entry_count, 0::HUGEINT AS amount
WHERE false;
