import { PUBLISHED_COLUMNS } from '../contract/columns.js';
import { decimalsOf } from './decimals.js';
import { NUMBER_COLUMNS } from './int-column.js';
import { FLAG, merchantId, type VersionData } from './version-data.js';

/**
 * One published row as the API sends it: the SPEC section 4 column names in published order,
 * money as a string of integer minor units (exact at any size), counts as numbers, flags as
 * booleans, plus `decimals`, the currency's ISO 4217 exponent, to turn minor units into major.
 */
export type RowJson = Record<string, string | number | boolean | null>;

type Cell = (data: VersionData, row: number, merchant: string) => string | number | boolean | null;

const FLAG_BITS: Record<string, number> = {
  books_complete: FLAG.booksComplete,
  reserve_review: FLAG.reserveReview,
  payout_eligible: FLAG.payoutEligible,
};

const currencyOf = (data: VersionData, row: number): string =>
  data.currencies[data.rowCurrency[row] as number] as string;

function cell(name: string, kind: string): Cell {
  if (name === 'settlement_date') return (data) => data.marker.settlement_date;
  if (name === 'merchant_id') return (_data, _row, merchant) => merchant;
  if (name === 'currency') return currencyOf;
  if (name === 'incomplete_reason')
    return (data, row) => {
      const code = data.rowReason[row] as number;
      return code === 0 ? null : (data.reasons[code - 1] as string);
    };
  const bit = FLAG_BITS[name];
  if (bit !== undefined) return (data, row) => ((data.flags[row] as number) & bit) !== 0;
  const index = NUMBER_COLUMNS.indexOf(name);
  if (index < 0) throw new Error(`no way to serve column ${name}`);
  // Counts are checked at load to be below 2^53; money stays a string of minor units.
  if (kind === 'count') return (data, row) => Number(data.numbers[index]?.[row]);
  return (data, row) => String(data.numbers[index]?.[row]);
}

const CELLS: ReadonlyArray<[string, Cell]> = PUBLISHED_COLUMNS.map((c) => [
  c.name,
  cell(c.name, c.kind),
]);

/** Row `row` of the version; `merchant` is its merchant id (already decoded by the caller). */
export function rowJson(data: VersionData, row: number, merchant: string): RowJson {
  const out: RowJson = {};
  for (const [name, get] of CELLS) out[name] = get(data, row, merchant);
  out['decimals'] = decimalsOf(currencyOf(data, row));
  return out;
}

/** Rows [from, to) of one merchant. */
export function merchantRowsJson(data: VersionData, m: number): RowJson[] {
  const merchant = merchantId(data, m);
  const rows: RowJson[] = [];
  for (
    let row = data.merchantFirstRow[m] as number;
    row < (data.merchantFirstRow[m + 1] as number);
    row++
  )
    rows.push(rowJson(data, row, merchant));
  return rows;
}
