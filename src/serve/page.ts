import { compareBytes, compareUtf8 } from './bytes.js';
import { FLAG, merchantBound, type VersionData } from './version-data.js';

export const FLAG_FILTERS = ['reserve_review', 'books_incomplete', 'not_eligible'] as const;
export type FlagFilter = (typeof FLAG_FILTERS)[number];

/** A (merchant_id, currency) key: where a page ends and the next one starts. */
export interface RowKey {
  merchant: Uint8Array;
  currency: string;
}

export interface PageRequest {
  /** Merchant id prefix (UTF-8): a contiguous range of the sorted ids. */
  prefix?: Uint8Array;
  currency?: string;
  flag?: FlagFilter;
  limit: number;
  /** Rows strictly after this key. */
  after?: RowKey;
}

const FLAG_TEST: Record<FlagFilter, (flags: number) => boolean> = {
  reserve_review: (f) => (f & FLAG.reserveReview) !== 0,
  books_incomplete: (f) => (f & FLAG.booksComplete) === 0,
  not_eligible: (f) => (f & FLAG.payoutEligible) === 0,
};

/** Rows (ascending) that pass `test`, built once per version and filter, then kept with it. */
function rowIndex(data: VersionData, name: string, test: (row: number) => boolean): Uint32Array {
  const cached = data.indexes.get(name);
  if (cached !== undefined) return cached;
  let count = 0;
  for (let row = 0; row < data.rowCount; row++) if (test(row)) count++;
  const rows = new Uint32Array(count);
  for (let row = 0, i = 0; row < data.rowCount; row++) if (test(row)) rows[i++] = row;
  data.indexes.set(name, rows);
  return rows;
}

/** First row past `key` in dataset order. */
function rowAfter(data: VersionData, key: RowKey): number {
  const m = merchantBound(data, key.merchant);
  let row = data.merchantFirstRow[m] as number;
  if (m >= data.merchantCount) return row;
  const from = data.merchantStart[m] as number;
  const to = data.merchantStart[m + 1] as number;
  if (compareBytes(data.merchantBytes, from, to, key.merchant, 0, key.merchant.length) !== 0)
    return row;
  const end = data.merchantFirstRow[m + 1] as number;
  while (
    row < end &&
    compareUtf8(data.currencies[data.rowCurrency[row] as number] as string, key.currency) <= 0
  )
    row++;
  return row;
}

function lowerBound(rows: Uint32Array, value: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of one page in dataset order, and whether more rows match after them. The scan walks
 * the shortest candidate list (all rows of the prefix range, or the rows of the flag or currency
 * filter) from the start key, so a page costs its own rows plus the rows it skips, never a pass
 * over the version.
 */
export function findPage(
  data: VersionData,
  request: PageRequest,
): { rows: number[]; more: boolean } {
  let start = 0;
  let end = data.rowCount;
  if (request.prefix !== undefined) {
    start = data.merchantFirstRow[merchantBound(data, request.prefix)] as number;
    end = data.merchantFirstRow[merchantBound(data, request.prefix, true)] as number;
  }
  if (request.after !== undefined) start = Math.max(start, rowAfter(data, request.after));
  const code = request.currency === undefined ? -1 : data.currencies.indexOf(request.currency);
  if (request.currency !== undefined && code < 0) return { rows: [], more: false };
  const flagTest = request.flag === undefined ? undefined : FLAG_TEST[request.flag];
  const matches = (row: number): boolean =>
    (code < 0 || data.rowCurrency[row] === code) &&
    (flagTest === undefined || flagTest(data.flags[row] as number));
  const lists: Uint32Array[] = [];
  if (flagTest !== undefined)
    lists.push(rowIndex(data, `flag:${request.flag}`, (r) => flagTest(data.flags[r] as number)));
  if (code >= 0)
    lists.push(rowIndex(data, `currency:${code}`, (r) => data.rowCurrency[r] === code));
  const list = lists.sort((a, b) => a.length - b.length)[0];
  const rows: number[] = [];
  const wanted = request.limit + 1;
  if (list === undefined) {
    for (let row = start; row < end && rows.length < wanted; row++)
      if (matches(row)) rows.push(row);
  } else {
    for (let i = lowerBound(list, start); i < list.length && rows.length < wanted; i++) {
      const row = list[i] as number;
      if (row >= end) break;
      if (matches(row)) rows.push(row);
    }
  }
  const more = rows.length > request.limit;
  if (more) rows.pop();
  return { rows, more };
}
