/**
 * Reject reasons (SPEC section 3) in the order they are tried: a row gets the first that applies.
 * sql/stages/scan/classify.sql spells the same list in its CASE; a test holds the two together.
 */
export const REJECT_REASONS = [
  'unknown_entry_type',
  'bad_amount',
  'bad_currency',
  'missing_key',
  'unknown_account',
  'directory_mismatch',
  'out_of_window',
  'missing_customer_ref',
  'duplicate_entry_id',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export function isRejectReason(value: string): value is RejectReason {
  return (REJECT_REASONS as readonly string[]).includes(value);
}
