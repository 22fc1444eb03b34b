-- Every row of a scan task with its first reject reason (NULL when accepted) and the row number of
-- the directory account it matched (NULL when none): the one place the classification is applied,
-- read by the pre-aggregate, the rejects pass, the corrections' accepted ids and the overflow
-- diagnosis. Tables: scan_source (view), accounts. Grain: one row per row read.
CREATE OR REPLACE TEMP VIEW classified_source AS
SELECT e.*,
       a.rowid AS account_row,
       reject_reason(e.entry_type, coalesce(e.amount_minor > 0, false), e.currency, e.merchant_id,
                     e.account_id, e.shard_id, e.settlement_date,
                     e.customer_ref IS NULL OR e.customer_ref = '', e.known_duplicate,
                     a.account_id, a.merchant_id, a.shard_id, a.currency) AS reject_reason
FROM scan_source e
LEFT JOIN accounts a ON a.account_id = e.account_id;
