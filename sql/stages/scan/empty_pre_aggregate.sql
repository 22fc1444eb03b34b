-- A shard with no complete segment still gets an (empty) pre-aggregate of the usual shape.
-- Grain: no rows.
CREATE OR REPLACE TEMP TABLE shard_pre AS
SELECT NULL::VARCHAR AS merchant_id, NULL::VARCHAR AS currency, NULL::VARCHAR AS reject_reason,
       NULL::VARCHAR AS charge_customer,
       0::BIGINT AS entry_count, 0::BIGINT AS charge_count, 0::BIGINT AS chargeback_count,
       0::BIGINT AS failed_payout_count,
       0::HUGEINT AS charge_amount, 0::HUGEINT AS refund_amount, 0::HUGEINT AS chargeback_amount,
       0::HUGEINT AS chargeback_reversal_amount, 0::HUGEINT AS fee_amount, 0::HUGEINT AS payout_amount,
       0::HUGEINT AS payout_failed_amount, 0::HUGEINT AS hold_amount, 0::HUGEINT AS hold_release_amount,
       0::HUGEINT AS reserve_amount, 0::HUGEINT AS reserve_release_amount,
       0::HUGEINT AS adjustment_credit_amount, 0::HUGEINT AS adjustment_debit_amount
WHERE false;
