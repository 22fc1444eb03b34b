/**
 * The column contract against SPEC section 4, written out here by hand: changing a published
 * column means changing this pin too. The published Parquet schema is pinned against the
 * contract in fixture.test.ts.
 */
export const SPEC_COLUMNS: Array<[string, string]> = [
  ['settlement_date', 'DATE'],
  ['merchant_id', 'VARCHAR'],
  ['currency', 'VARCHAR'],
  ['entry_count', 'BIGINT'],
  ['charge_count', 'BIGINT'],
  ['gross_inflow', 'BIGINT'],
  ['refunds', 'BIGINT'],
  ['chargeback_count', 'BIGINT'],
  ['chargebacks_net', 'BIGINT'],
  ['fees', 'BIGINT'],
  ['adjustments_net', 'BIGINT'],
  ['net_inflow', 'BIGINT'],
  ['payouts_settled', 'BIGINT'],
  ['failed_payout_count', 'BIGINT'],
  ['payouts_failed', 'BIGINT'],
  ['holds_delta', 'BIGINT'],
  ['reserve_delta', 'BIGINT'],
  ['available_delta', 'BIGINT'],
  ['distinct_customers', 'BIGINT'],
  ['available_balance', 'BIGINT'],
  ['holds_balance', 'BIGINT'],
  ['reserve_balance', 'BIGINT'],
  ['rejected_entries', 'BIGINT'],
  ['books_complete', 'BOOLEAN'],
  ['incomplete_reason', 'VARCHAR'],
  ['reserve_review', 'BOOLEAN'],
  ['payout_eligible', 'BOOLEAN'],
];
