-- severity: error
-- The identities of SPEC section 4 hold on every published row.
SELECT s.merchant_id, s.currency
FROM summary s
CROSS JOIN run_params rp
LEFT JOIN opening o ON o.merchant_id = s.merchant_id AND o.currency = s.currency
WHERE s.net_inflow <> s.gross_inflow - s.refunds - s.chargebacks_net - s.fees + s.adjustments_net
   OR s.available_delta <> s.net_inflow - s.payouts_settled + s.payouts_failed - s.holds_delta - s.reserve_delta
   OR s.available_balance <> coalesce(o.available_balance, 0) + s.available_delta
   OR s.holds_balance <> coalesce(o.holds_balance, 0) + s.holds_delta
   OR s.reserve_balance <> coalesce(o.reserve_balance, 0) + s.reserve_delta
   OR s.books_complete <> (s.incomplete_reason IS NULL)
   OR s.reserve_review <> (s.charge_count >= rp.min_charges
                           AND s.chargeback_count * 10000 > s.charge_count * rp.chargeback_ratio_bps)
   OR s.payout_eligible <> (s.books_complete AND NOT s.reserve_review AND s.available_balance > 0)
   OR s.distinct_customers > s.charge_count
   OR s.charge_count + s.chargeback_count + s.failed_payout_count > s.entry_count
   OR s.settlement_date <> rp.settlement_date
ORDER BY s.merchant_id, s.currency;
