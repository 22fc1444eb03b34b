-- The rejects table of a version with no rejected row: the same columns, no rows.
SELECT NULL::VARCHAR AS entry_id, NULL::VARCHAR AS shard_id, NULL::BIGINT AS seq,
       NULL::VARCHAR AS account_id, NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS customer_ref,
       NULL::VARCHAR AS entry_type, NULL::BIGINT AS amount_minor, NULL::VARCHAR AS currency,
       NULL::TIMESTAMPTZ AS event_time, NULL::DATE AS settlement_date,
       NULL::VARCHAR AS reject_reason, NULL::VARCHAR AS file
WHERE false
