-- No opening version: every balance opens at 0. Grain: no rows.
CREATE OR REPLACE TEMP TABLE opening AS
SELECT NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS currency, NULL::BIGINT AS available_balance,
       NULL::BIGINT AS holds_balance, NULL::BIGINT AS reserve_balance
WHERE false;
