-- The manifest's parameters as a one-row table the SQL stages and assertions join against.
-- Params: $settlement_date, $min_charges, $chargeback_ratio_bps, $max_reject_ratio_bps,
-- $require_complete_books. Grain: one row.
CREATE OR REPLACE TEMP TABLE run_params AS
SELECT $settlement_date::DATE AS settlement_date,
       $min_charges::BIGINT AS min_charges,
       $chargeback_ratio_bps::BIGINT AS chargeback_ratio_bps,
       $max_reject_ratio_bps::BIGINT AS max_reject_ratio_bps,
       $require_complete_books::BOOLEAN AS require_complete_books;
