-- reject_reason(...): a row's (or a group of identical rows') first reject reason, NULL when
-- accepted, in the order SPEC section 3 gives. The one place the rules are written:
-- contract/reject-reasons.ts lists the same reasons, and a test holds the two together. Small
-- reference sets are tested with IN (subquery), which DuckDB runs as a semi join. Parameters are
-- named r_* so that none of them can capture a column of the subqueries.
-- Arguments: the entry's columns (r_amount_ok = amount_minor > 0; r_customer_blank =
-- customer_ref NULL or empty), r_known_duplicate (a correction repeating a counted entry_id) and
-- the account directory's row for the entry's account_id (all NULL when none).
-- Tables: entry_types, iso_currencies, run_params. Grain: scalar macro.
CREATE OR REPLACE TEMP MACRO reject_reason(r_entry_type, r_amount_ok, r_currency, r_merchant_id,
    r_account_id, r_shard_id, r_settlement_date, r_customer_blank, r_known_duplicate,
    r_dir_account_id, r_dir_merchant_id, r_dir_shard_id, r_dir_currency) AS
  CASE
    WHEN r_entry_type IS NULL OR r_entry_type NOT IN (SELECT entry_type FROM entry_types) THEN 'unknown_entry_type'
    WHEN NOT r_amount_ok THEN 'bad_amount'
    WHEN r_currency IS NULL OR r_currency NOT IN (SELECT code FROM iso_currencies) THEN 'bad_currency'
    WHEN r_merchant_id IS NULL OR r_merchant_id = '' OR r_account_id IS NULL OR r_account_id = '' THEN 'missing_key'
    WHEN r_dir_account_id IS NULL THEN 'unknown_account'
    WHEN r_merchant_id IS DISTINCT FROM r_dir_merchant_id OR r_shard_id IS DISTINCT FROM r_dir_shard_id
         OR r_currency IS DISTINCT FROM r_dir_currency THEN 'directory_mismatch'
    WHEN r_settlement_date IS DISTINCT FROM (SELECT settlement_date FROM run_params) THEN 'out_of_window'
    WHEN r_entry_type = 'charge' AND r_customer_blank THEN 'missing_customer_ref'
    WHEN r_known_duplicate THEN 'duplicate_entry_id'
  END;
