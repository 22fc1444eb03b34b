import type { SuccessMarker } from '../warehouse/versions.js';
import { compareBytes, decodeUtf8, startsWith } from './bytes.js';
import type { IntArray } from './int-column.js';

/** Flag bits per row (version_rows.sql). */
export const FLAG = { reserveReview: 1, booksComplete: 2, payoutEligible: 4 } as const;

/**
 * One published version held in memory, column by column, in dataset order (merchant_id, then
 * currency, UTF-8 byte order). Built once by load-version.ts and never changed afterwards, so a
 * request that holds it answers from exactly one version.
 */
export interface VersionData {
  marker: SuccessMarker;
  rowCount: number;
  /** Distinct merchant ids, UTF-8, concatenated in order; merchant m is bytes[start[m], start[m+1]). */
  merchantBytes: Uint8Array;
  merchantStart: Uint32Array;
  /** Rows of merchant m are firstRow[m] .. firstRow[m+1]-1. */
  merchantFirstRow: Uint32Array;
  merchantCount: number;
  /** Distinct currencies in byte order; rowCurrency indexes them. */
  currencies: readonly string[];
  rowCurrency: Uint16Array;
  /** Distinct incomplete reasons; rowReason 0 is NULL, k is reasons[k - 1]. */
  reasons: readonly string[];
  rowReason: Uint32Array;
  flags: Uint8Array;
  /** Count and money columns in NUMBER_COLUMNS order. */
  numbers: readonly IntArray[];
  /** Lazily built row lists per filter (flag name or `currency:<code>`), see page.ts. */
  indexes: Map<string, Uint32Array>;
}

/** Merchant id of merchant index m. */
export function merchantId(data: VersionData, m: number): string {
  return decodeUtf8(
    data.merchantBytes,
    data.merchantStart[m] as number,
    data.merchantStart[m + 1] as number,
  );
}

/**
 * First merchant index whose id is >= key (`prefix` false) or, with `prefix` true, first whose id
 * is past every id starting with key. Binary search over the sorted ids.
 */
export function merchantBound(data: VersionData, key: Uint8Array, prefix = false): number {
  let lo = 0;
  let hi = data.merchantCount;
  const { merchantBytes: bytes, merchantStart: start } = data;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const from = start[mid] as number;
    const to = start[mid + 1] as number;
    const past = prefix
      ? startsWith(bytes, from, to, key) || compareBytes(bytes, from, to, key, 0, key.length) < 0
      : compareBytes(bytes, from, to, key, 0, key.length) < 0;
    if (past) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the merchant with exactly this id, or -1. */
export function findMerchant(data: VersionData, key: Uint8Array): number {
  const m = merchantBound(data, key);
  if (m >= data.merchantCount) return -1;
  const from = data.merchantStart[m] as number;
  const to = data.merchantStart[m + 1] as number;
  return compareBytes(data.merchantBytes, from, to, key, 0, key.length) === 0 ? m : -1;
}

/** The merchant index a row belongs to (binary search over the merchants' first rows). */
export function merchantOfRow(data: VersionData, row: number): number {
  let lo = 0;
  let hi = data.merchantCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((data.merchantFirstRow[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Approximate bytes the version takes in memory (for the cache's budget and /api/health). */
export function versionBytes(data: VersionData): number {
  const arrays = [
    data.merchantBytes,
    data.merchantStart,
    data.merchantFirstRow,
    data.rowCurrency,
    data.rowReason,
    data.flags,
    ...data.numbers,
    ...data.indexes.values(),
  ];
  return arrays.reduce((sum, a) => sum + a.byteLength, 0);
}
