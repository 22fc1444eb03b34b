import { addDays } from '../util/dates.js';
import path from 'node:path';
import { quoteIdentifier, trustedSql } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';
import type { GenerateOptions } from './types.js';
import { segmentAt, withSegment, type FaultTarget } from './segment-rewrite.js';

const columnTypes = {
  entry_type: 'VARCHAR',
  amount_minor: 'BIGINT',
  currency: 'VARCHAR',
  merchant_id: 'VARCHAR',
  account_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  settlement_date: 'DATE',
  customer_ref: 'VARCHAR',
} as const;
type Column = keyof typeof columnTypes;
type Override = Partial<Record<Column, string | number | null>>;

/**
 * At least two rows for every reject reason of SPEC section 3 except duplicate_entry_id (that one
 * needs a correction file). Each override alone triggers its reason on an otherwise valid row.
 */
function rejectOverrides(options: GenerateOptions): Array<[string, Override]> {
  // A real ISO code that no account uses, so the row is valid until the directory check.
  const otherCurrency =
    ['CHF', 'GBP', 'USD', 'EUR'].find((c) => !options.currencies.includes(c)) ?? 'XCD';
  const dayBefore = addDays(options.date, -1);
  return [
    ['unknown_entry_type', { entry_type: 'CHARGE' }],
    ['unknown_entry_type', { entry_type: null }],
    ['unknown_entry_type', { entry_type: '' }],
    ['bad_amount', { amount_minor: 0 }],
    ['bad_amount', { amount_minor: -5 }],
    ['bad_amount', { amount_minor: null }],
    ['bad_currency', { currency: 'usd' }],
    ['bad_currency', { currency: 'XXY' }],
    ['bad_currency', { currency: null }],
    ['bad_currency', { currency: '' }],
    ['missing_key', { merchant_id: null }],
    ['missing_key', { merchant_id: '' }],
    ['missing_key', { account_id: null }],
    ['missing_key', { account_id: '' }],
    ['unknown_account', { account_id: 'NO-SUCH-ACCOUNT-1' }],
    ['unknown_account', { account_id: 'NO-SUCH-ACCOUNT-2' }],
    ['directory_mismatch', { merchant_id: 'M-not-the-owner' }],
    ['directory_mismatch', { shard_id: 'zz' }],
    ['directory_mismatch', { currency: otherCurrency }],
    ['out_of_window', { settlement_date: dayBefore }],
    ['out_of_window', { settlement_date: null }],
    ['missing_customer_ref', { entry_type: 'charge', customer_ref: null }],
    ['missing_customer_ref', { entry_type: 'charge', customer_ref: '' }],
  ];
}

/** Overrides columns of the first rows of the shard's first segment; seq and entry_id stay, so the segment stays complete. */
export async function injectRejects(t: FaultTarget): Promise<{ file: string; detail: string }> {
  const overrides = rejectOverrides(t.options);
  const seg = segmentAt(t, 0, overrides.length);
  await withSegment(t.db, path.join(t.dir, seg.file), async () => {
    for (const [k, [, override]] of overrides.entries()) {
      for (const [column, value] of Object.entries(override) as Array<
        [Column, string | number | null]
      >) {
        await t.db.run(
          renderSql('generate/faults/set_column.sql', {
            column: quoteIdentifier(column),
            type: trustedSql(columnTypes[column]),
          }),
          { value, seq: seg.first_seq + k },
        );
      }
    }
  });
  const reasons = [...new Set(overrides.map(([reason]) => reason))];
  return {
    file: seg.file,
    detail: `seq ${seg.first_seq}..${seg.first_seq + overrides.length - 1}: ${reasons.join(', ')}`,
  };
}
