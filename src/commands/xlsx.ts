import type { Json } from '@duckdb/node-api';
import { invalidInput } from '../errors.js';
import { pinZipDates } from '../util/zip-dates.js';
import { PUBLISHED_COLUMNS } from '../contract/columns.js';
import type { ExportColumn } from '../contract/render.js';

/**
 * The xlsx export (exceljs streaming writer): one sheet of rows in published order with every
 * published column (a currency column, not a sheet per currency), and a small sheet naming the
 * version. Cell rules, each chosen so no value changes on its way into a spreadsheet:
 * - text (merchant_id, currency, incomplete_reason): string cells formatted `@`, so `007` stays
 *   `007` and `=1+2` is text, never a formula;
 * - settlement_date: a real date cell (UTC midnight, format `yyyy-mm-dd`): the same day everywhere;
 * - counts: integer numbers (format `0`); flags: booleans; NULL: an empty cell;
 * - money: exact major units as numbers with the currency's decimals as the number format (JPY
 *   `0`, USD `0.00`, BHD `0.000`), or as text where the number would not be exact (exactCell).
 */

/** Spreadsheets hold IEEE-754 doubles and show (and export) at most 15 significant digits. */
export const MAX_EXACT_DIGITS = 15;

/** Excel's limits: rows per sheet (header included) and characters per cell. */
export const MAX_SHEET_ROWS = 1_048_576;
const MAX_CELL_CHARS = 32_767;

/**
 * The cell value of an exact decimal (an integer, or major-unit text such as `-11.996`): a number
 * when it has at most 15 digits (sign, point and leading zeros aside: for money, |minor units| <
 * 10^15), because every such decimal is recovered exactly from its nearest double at 15
 * significant digits; else the decimal text itself, never a rounded number.
 */
export function exactCell(decimal: string): number | string {
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) throw new Error(`not a decimal: ${decimal}`);
  const digits = decimal.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= MAX_EXACT_DIGITS ? Number(decimal) : decimal;
}

/**
 * A string as an xlsx cell stores it (ECMA-376 ST_Xstring): characters XML 1.0 cannot carry
 * (control characters but TAB and LF; CR, which XML readers turn into LF; DEL and U+FFFE/U+FFFF,
 * which exceljs would drop) are written `_xHHHH_`, and an underscore that starts a literal
 * `_xHHHH_` is written `_x005F_`, so Excel reads back the original text.
 */
export function xlsxText(value: string): string {
  return value.replace(/_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0B-\x1F\x7F\uFFFE\uFFFF]/g, (c) => {
    return `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;
  });
}

/** The number format of an amount with `exponent` decimals: `0`, `0.00`, `0.000`, ... */
export function decimalsFormat(exponent: number): string {
  return exponent === 0 ? '0' : `0.${'0'.repeat(exponent)}`;
}

export interface XlsxExport {
  file: string;
  /** The exported columns; every row holds their values in order, then the currency's exponent. */
  columns: ExportColumn[];
  rows: AsyncIterable<Json[][]>;
  /** Money in major units (number format: the currency's decimals) or minor units (`0`). */
  amounts: 'minor' | 'major';
  /** Lines of the `export` sheet: what this workbook holds. */
  about: Array<[string, string | number]>;
  /** Workbook and zip entry dates: a pinned version always gives the same bytes. */
  createdAt: Date;
}

export const DATA_SHEET = 'merchant_settlement_summary';
export const ABOUT_SHEET = 'export';

export async function writeXlsx(x: XlsxExport): Promise<void> {
  // Loaded on use: importing exceljs takes ~0.7 s, which no other command should pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: x.file,
    useSharedStrings: true,
    useStyles: true,
  });
  workbook.creator = 'settle';
  workbook.lastModifiedBy = 'settle';
  workbook.created = x.createdAt;
  workbook.modified = x.createdAt;
  const keys = PUBLISHED_COLUMNS.filter((c) => c.kind === 'key').length;
  const sheet = workbook.addWorksheet(DATA_SHEET, {
    views: [{ state: 'frozen', xSplit: keys, ySplit: 1 }],
  });
  sheet.columns = x.columns.map((c) => ({ width: Math.max(c.header.length + 2, 12) }));
  const header = sheet.addRow(x.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: x.columns.length } };
  let rowNumber = 1;
  for await (const chunk of x.rows) {
    for (const values of chunk) {
      rowNumber++;
      const exponent = x.amounts === 'major' ? Number(values[x.columns.length]) : 0;
      const row = sheet.getRow(rowNumber);
      x.columns.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        const value = values[i] ?? null;
        if (value === null) return;
        const { type, kind } = c.column;
        if (type === 'DATE') {
          cell.value = new Date(`${String(value)}T00:00:00Z`);
          cell.numFmt = 'yyyy-mm-dd';
        } else if (type === 'BOOLEAN') {
          cell.value = value === true;
        } else if (type === 'BIGINT') {
          cell.value = exactCell(String(value));
          cell.numFmt =
            typeof cell.value === 'string' ? '@' : decimalsFormat(kind === 'money' ? exponent : 0);
        } else {
          const text = xlsxText(String(value));
          if (text.length > MAX_CELL_CHARS)
            throw invalidInput(
              `${c.header} of row ${rowNumber} has ${text.length} characters, more than an xlsx cell holds (${MAX_CELL_CHARS}); export csv or parquet`,
              { field: 'format' },
            );
          cell.value = text;
          cell.numFmt = '@';
        }
      });
      row.commit();
    }
  }
  sheet.commit();
  const about = workbook.addWorksheet(ABOUT_SHEET);
  about.columns = [{ width: 20 }, { width: 70 }];
  for (const line of x.about) about.addRow(line).commit();
  about.commit();
  await workbook.commit();
  // exceljs dates the zip entries with the time of writing.
  await pinZipDates(x.file, x.createdAt);
}
