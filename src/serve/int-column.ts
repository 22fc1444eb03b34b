import { COUNT_COLUMNS, MONEY_COLUMNS, PUBLISHED_COLUMNS } from '../contract/columns.js';
import { quoteIdentifier, trustedSql, type SqlFragment } from '../sql/fragment.js';

/**
 * A count or money column held in memory: the narrowest signed integer array that holds the
 * column's range in this version. Every value is exact (an integer typed array, never a float);
 * most amounts of a day fit 32 bits, which halves the memory a version takes and the time to load
 * it (first-touching fresh memory dominates loading on small machines).
 */
export type IntArray = Int8Array | Int16Array | Int32Array | BigInt64Array;

export interface IntWidth {
  sqlType: 'TINYINT' | 'SMALLINT' | 'INTEGER' | 'BIGINT';
  bytes: number;
  make(length: number): IntArray;
}

const WIDTHS: readonly (IntWidth & { max: bigint })[] = [
  { sqlType: 'TINYINT', bytes: 1, max: 0x7fn, make: (n) => new Int8Array(n) },
  { sqlType: 'SMALLINT', bytes: 2, max: 0x7fffn, make: (n) => new Int16Array(n) },
  { sqlType: 'INTEGER', bytes: 4, max: 0x7fffffffn, make: (n) => new Int32Array(n) },
  { sqlType: 'BIGINT', bytes: 8, max: 0x7fffffffffffffffn, make: (n) => new BigInt64Array(n) },
];

/** The narrowest width whose range holds [min, max]. */
export function widthFor(min: bigint, max: bigint): IntWidth {
  const width = WIDTHS.find((w) => min >= -w.max - 1n && max <= w.max);
  if (width === undefined) throw new Error(`integer range ${min}..${max} exceeds 64 bits`);
  return width;
}

/** Count and money columns, in published order: the numbers a version keeps per row. */
export const NUMBER_COLUMNS: readonly string[] = PUBLISHED_COLUMNS.filter(
  (c) => c.kind === 'count' || c.kind === 'money',
).map((c) => c.name);

export const isMoney = (name: string): boolean => MONEY_COLUMNS.includes(name);
export const isCount = (name: string): boolean => COUNT_COLUMNS.includes(name);

/** version_profile.sql: min_, max_ and n_ (non-NULL count) of every number column. */
export function rangeAggregates(): SqlFragment {
  return trustedSql(
    NUMBER_COLUMNS.map((c) => {
      const q = quoteIdentifier(c);
      return `min(${q}) AS "min_${c}", max(${q}) AS "max_${c}", count(${q}) AS "n_${c}"`;
    }).join(',\n       '),
  );
}

/** version_rows.sql: every number column cast to its chosen width. */
export function narrowCasts(widths: readonly IntWidth[]): SqlFragment {
  return trustedSql(
    NUMBER_COLUMNS.map((c, i) => {
      const q = quoteIdentifier(c);
      return `${q}::${widths[i]?.sqlType ?? 'BIGINT'} AS ${q}`;
    }).join(',\n       '),
  );
}
