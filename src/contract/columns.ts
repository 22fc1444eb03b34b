import { ENTRY_TYPES, type EntryType } from './entry-types.js';

/**
 * The published columns of merchant_settlement_summary (SPEC section 4), in published order: the
 * one place that knows the schema. Every SQL that lists measures (scan sums, assembly,
 * conservation, major-unit export, diff totals, empty views) is rendered from this list
 * (contract/render.ts), and a test pins the published Parquet schema against it.
 *
 * A column is either summed from accepted entries (`entries`: a count or an amount of some entry
 * types, minus others; these are conserved from scan to publish), or an SQL expression
 * (`expression`) over earlier columns and the assembly inputs (see sql/stages/reduce/assemble.sql:
 * `in_*` columns and `rp` run parameters). Adding a money column is one entry here.
 */
export type ColumnType = 'VARCHAR' | 'DATE' | 'BIGINT' | 'BOOLEAN';
export type ColumnKind = 'key' | 'count' | 'money' | 'flag' | 'text';

export type ColumnSource =
  | {
      from: 'entries';
      measure: 'count' | 'amount';
      plus: readonly EntryType[] | 'all';
      minus?: readonly EntryType[];
    }
  | { from: 'expression'; sql: string };

export interface PublishedColumn {
  name: string;
  type: ColumnType;
  kind: ColumnKind;
  source: ColumnSource;
}

const key = (name: string, type: ColumnType, sql: string): PublishedColumn => ({
  name,
  type,
  kind: 'key',
  source: { from: 'expression', sql },
});
const count = (name: string, plus: readonly EntryType[] | 'all'): PublishedColumn => ({
  name,
  type: 'BIGINT',
  kind: 'count',
  source: { from: 'entries', measure: 'count', plus },
});
const amount = (
  name: string,
  plus: readonly EntryType[],
  minus: readonly EntryType[] = [],
): PublishedColumn => ({
  name,
  type: 'BIGINT',
  kind: 'money',
  source: { from: 'entries', measure: 'amount', plus, minus },
});
const derived = (
  name: string,
  type: ColumnType,
  kind: ColumnKind,
  sql: string,
): PublishedColumn => ({ name, type, kind, source: { from: 'expression', sql } });

export const PUBLISHED_COLUMNS: readonly PublishedColumn[] = [
  key('settlement_date', 'DATE', 'rp.settlement_date'),
  key('merchant_id', 'VARCHAR', 'in_merchant_id'),
  key('currency', 'VARCHAR', 'in_currency'),
  count('entry_count', 'all'),
  count('charge_count', ['charge']),
  amount('gross_inflow', ['charge']),
  amount('refunds', ['refund']),
  count('chargeback_count', ['chargeback']),
  amount('chargebacks_net', ['chargeback'], ['chargeback_reversal']),
  amount('fees', ['fee']),
  amount('adjustments_net', ['adjustment_credit'], ['adjustment_debit']),
  derived(
    'net_inflow',
    'BIGINT',
    'money',
    'gross_inflow - refunds - chargebacks_net - fees + adjustments_net',
  ),
  amount('payouts_settled', ['payout']),
  count('failed_payout_count', ['payout_failed']),
  amount('payouts_failed', ['payout_failed']),
  amount('holds_delta', ['hold'], ['hold_release']),
  amount('reserve_delta', ['reserve'], ['reserve_release']),
  derived(
    'available_delta',
    'BIGINT',
    'money',
    'net_inflow - payouts_settled + payouts_failed - holds_delta - reserve_delta',
  ),
  derived('distinct_customers', 'BIGINT', 'count', 'in_distinct_customers'),
  derived('available_balance', 'BIGINT', 'money', 'in_opening_available + available_delta'),
  derived('holds_balance', 'BIGINT', 'money', 'in_opening_holds + holds_delta'),
  derived('reserve_balance', 'BIGINT', 'money', 'in_opening_reserve + reserve_delta'),
  derived('rejected_entries', 'BIGINT', 'count', 'in_rejected_entries'),
  derived('books_complete', 'BOOLEAN', 'flag', 'in_incomplete_reason IS NULL'),
  derived('incomplete_reason', 'VARCHAR', 'text', 'in_incomplete_reason'),
  derived(
    'reserve_review',
    'BOOLEAN',
    'flag',
    'charge_count >= rp.min_charges AND chargeback_count * 10000 > charge_count * rp.chargeback_ratio_bps',
  ),
  derived(
    'payout_eligible',
    'BOOLEAN',
    'flag',
    'books_complete AND NOT reserve_review AND available_balance > 0',
  ),
];

/** The opening balances a version carries forward, and the delta each one moves by. */
export const BALANCE_COLUMNS = ['available_balance', 'holds_balance', 'reserve_balance'] as const;

export function publishedColumn(name: string): PublishedColumn {
  const column = PUBLISHED_COLUMNS.find((c) => c.name === name);
  if (column === undefined) throw new Error(`no published column ${name}`);
  return column;
}

export const MONEY_COLUMNS = PUBLISHED_COLUMNS.filter((c) => c.kind === 'money').map((c) => c.name);
export const COUNT_COLUMNS = PUBLISHED_COLUMNS.filter((c) => c.kind === 'count').map((c) => c.name);

/** Columns summed straight from accepted entries: conserved between scan and publish. */
export const ENTRY_COLUMNS = PUBLISHED_COLUMNS.filter((c) => c.source.from === 'entries');

/**
 * A per-shard measure the scan writes: accepted rows counted or amounts summed for one entry type
 * (or all of them). Only the measures some published column uses are written.
 */
export interface ScanMeasure {
  name: string;
  measure: 'count' | 'amount';
  entryType: EntryType | 'all';
}

export function measureName(measure: 'count' | 'amount', entryType: EntryType | 'all'): string {
  return `${measure === 'count' ? 'n' : 'amt'}_${entryType}`;
}

/** The scan measures a column summed from entries is computed from (added or subtracted). */
export function measuresOf(column: PublishedColumn): string[] {
  if (column.source.from !== 'entries') return [];
  const { measure, plus, minus = [] } = column.source;
  const types = plus === 'all' ? ['all' as const] : [...plus, ...minus];
  return types.map((type) => measureName(measure, type));
}

export const SCAN_MEASURES: readonly ScanMeasure[] = (() => {
  const wanted = new Set(ENTRY_COLUMNS.flatMap(measuresOf));
  const all: ScanMeasure[] = [];
  for (const measure of ['count', 'amount'] as const)
    for (const entryType of ['all' as const, ...ENTRY_TYPES])
      if (wanted.has(measureName(measure, entryType)))
        all.push({ name: measureName(measure, entryType), measure, entryType });
  return all;
})();
