/** The ledger's entry types (SPEC section 2), in SPEC order. Matching is exact and case-sensitive. */
export const ENTRY_TYPES = [
  'charge',
  'refund',
  'chargeback',
  'chargeback_reversal',
  'fee',
  'payout',
  'payout_failed',
  'hold',
  'hold_release',
  'reserve',
  'reserve_release',
  'adjustment_credit',
  'adjustment_debit',
] as const;

export type EntryType = (typeof ENTRY_TYPES)[number];
