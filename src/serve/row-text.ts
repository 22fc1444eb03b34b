import { PUBLISHED_COLUMNS } from '../contract/columns.js';
import { decimalsOf } from './decimals.js';
import { NUMBER_COLUMNS } from './int-column.js';
import { FLAG, merchantId, merchantOfRow, type VersionData } from './version-data.js';

/**
 * One published row as the API sends it, written straight as JSON text (no object per row, the
 * hot path of every lookup and page): the SPEC section 4 column names in published order, money
 * as a string of integer minor units (exact at any size), counts as numbers, flags as booleans,
 * plus `decimals`, the currency's ISO 4217 exponent, to turn minor units into major. Text values
 * (merchant id, currency, incomplete reason) go through JSON.stringify; numbers are digits.
 */
type Cell = (data: VersionData, row: number, merchantJson: string, dict: Dictionaries) => string;

/** A version's dictionary values as JSON text, made once per version. */
interface Dictionaries {
  currencies: string[];
  reasons: string[];
  decimals: number[];
  date: string;
}

const dictionaries = new WeakMap<VersionData, Dictionaries>();

function dictionariesOf(data: VersionData): Dictionaries {
  let dict = dictionaries.get(data);
  if (dict === undefined) {
    dict = {
      currencies: data.currencies.map((c) => JSON.stringify(c)),
      reasons: ['null', ...data.reasons.map((r) => JSON.stringify(r))],
      decimals: data.currencies.map(decimalsOf),
      date: JSON.stringify(data.marker.settlement_date),
    };
    dictionaries.set(data, dict);
  }
  return dict;
}

const FLAG_BITS: Record<string, number> = {
  books_complete: FLAG.booksComplete,
  reserve_review: FLAG.reserveReview,
  payout_eligible: FLAG.payoutEligible,
};

function cell(name: string, kind: string): Cell {
  if (name === 'settlement_date') return (_data, _row, _m, dict) => dict.date;
  if (name === 'merchant_id') return (_data, _row, merchantJson) => merchantJson;
  if (name === 'currency')
    return (data, row, _m, dict) => dict.currencies[data.rowCurrency[row] as number] as string;
  if (name === 'incomplete_reason')
    return (data, row, _m, dict) => dict.reasons[data.rowReason[row] as number] as string;
  const bit = FLAG_BITS[name];
  if (bit !== undefined)
    return (data, row) => (((data.flags[row] as number) & bit) !== 0 ? 'true' : 'false');
  const index = NUMBER_COLUMNS.indexOf(name);
  if (index < 0) throw new Error(`no way to serve column ${name}`);
  // Counts are checked at load to be below 2^53 (exact JSON numbers); money stays a string.
  if (kind === 'count') return (data, row) => String(data.numbers[index]?.[row]);
  return (data, row) => `"${String(data.numbers[index]?.[row])}"`;
}

const CELLS: ReadonlyArray<[string, Cell]> = PUBLISHED_COLUMNS.map((c, i) => [
  `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`,
  cell(c.name, c.kind),
]);

/** Row `row` of the version as JSON text; `merchantJson` is its merchant id as JSON text. */
export function rowText(data: VersionData, row: number, merchantJson: string): string {
  const dict = dictionariesOf(data);
  let text = '';
  for (const [prefix, get] of CELLS) text += prefix + get(data, row, merchantJson, dict);
  return `${text},"decimals":${dict.decimals[data.rowCurrency[row] as number] as number}}`;
}

/** Every row of merchant m, as JSON text. */
export function merchantRowsText(data: VersionData, m: number): string[] {
  const merchantJson = JSON.stringify(merchantId(data, m));
  const rows: string[] = [];
  const end = data.merchantFirstRow[m + 1] as number;
  for (let row = data.merchantFirstRow[m] as number; row < end; row++)
    rows.push(rowText(data, row, merchantJson));
  return rows;
}

/** Rows of a page as JSON text (each merchant id serialised once). */
export function pageRowsText(data: VersionData, rows: readonly number[]): string[] {
  let merchant = -1;
  let merchantJson = '';
  return rows.map((row) => {
    const m = merchantOfRow(data, row);
    if (m !== merchant) {
      merchant = m;
      merchantJson = JSON.stringify(merchantId(data, m));
    }
    return rowText(data, row, merchantJson);
  });
}

/** A JSON body assembled from already serialised parts (see api.ts). */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `{"k": v, ..., "rows": [row, ...], ...}` with the rows already JSON text. */
export function bodyWithRows(
  head: Record<string, unknown>,
  rows: readonly string[],
  tail: Record<string, unknown> = {},
): JsonText {
  const open = JSON.stringify(head).slice(0, -1);
  const close = JSON.stringify(tail).slice(1);
  return new JsonText(
    `${open}${open.length > 1 ? ',' : ''}"rows":[${rows.join(',')}]${close.length > 1 ? ',' : ''}${close}`,
  );
}
