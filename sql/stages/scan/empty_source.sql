-- A scan task with no complete segment still classifies, over no rows, into outputs of the usual
-- shape. Grain: no rows.
CREATE OR REPLACE TEMP VIEW scan_source AS
SELECT NULL::VARCHAR AS entry_id, NULL::VARCHAR AS shard_id, NULL::BIGINT AS seq,
       NULL::VARCHAR AS account_id, NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS customer_ref,
       NULL::VARCHAR AS entry_type, NULL::BIGINT AS amount_minor, NULL::VARCHAR AS currency,
       NULL::TIMESTAMPTZ AS event_time, NULL::DATE AS settlement_date, NULL::VARCHAR AS filename,
       NULL::SMALLINT AS source_no, false AS known_duplicate
WHERE false;
