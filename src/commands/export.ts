import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withDb, type Db } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { loadSql, renderSql } from '../sql/load.js';
import { iso4217Table } from '../contract/iso4217.js';
import { exportColumns, type ExportShape } from '../contract/render.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { resolveVersion, type ResolvedVersion } from '../warehouse/resolve.js';
import { checkOut, deliver } from './out-file.js';
import { printErr, printJson } from './output.js';
import { progressOnStderr, withQueryProgress } from './progress.js';
import { ABOUT_SHEET, DATA_SHEET, MAX_EXACT_DIGITS, MAX_SHEET_ROWS, writeXlsx } from './xlsx.js';

interface ExportOptions {
  date?: string;
  version?: string;
  format: string;
  out: string;
  amounts?: string;
  excel?: boolean;
  warehouse?: string;
  json?: boolean;
  quiet?: boolean;
}

const FORMATS = ['csv', 'parquet', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
type Amounts = ExportShape['amounts'];

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("export a pinned (default: the date's current) version as CSV, Parquet or xlsx")
    .option(
      '--date <YYYY-MM-DD>',
      'settlement date (its current version unless --version pins one)',
    )
    .option('--version <version>', 'pinned version id')
    .requiredOption('--format <format>', 'csv | parquet | xlsx')
    .requiredOption('--out <file>', 'output file (written atomically), or - for standard output')
    .option(
      '--amounts <units>',
      'minor | major: money in integer minor units or exact major units by ISO 4217 exponent, headers <column>_major (default: minor; xlsx: major; parquet: minor only)',
    )
    .option('--excel', 'CSV for spreadsheets: UTF-8 byte order mark, formula-like text neutralised')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print what was exported as JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  settle export --date 2026-04-05 --format csv --out summary.csv\n  settle export --version v7811 --format xlsx --out summary.xlsx\n  settle export --date 2026-04-05 --format csv --amounts major --excel --out - > for-excel.csv\n`,
    )
    .action(async (options: ExportOptions) => {
      const { format, amounts } = checkShape(options);
      const target = await checkOut(options.out);
      if (target.kind === 'stdout' && options.json)
        throw invalidInput('--json cannot go with --out -: standard output carries the export', {
          field: 'json',
        });
      const layout = await openWarehouseForRead(options.warehouse);
      const version = await resolveVersion(layout, {
        date: options.date,
        version: options.version,
      });
      const { marker } = version;
      if (format === 'xlsx' && marker.row_count >= MAX_SHEET_ROWS)
        throw invalidInput(
          `--format xlsx: version ${marker.version} has ${marker.row_count} rows, more than a sheet holds (${MAX_SHEET_ROWS - 1}); export csv or parquet`,
          { field: 'format' },
        );
      // One thread: the same pinned version always exports to the same bytes.
      const progress = progressOnStderr(options.quiet === true || target.kind === 'stdout');
      await deliver(target, (temp) =>
        withDb({ threads: 1 }, (db) =>
          withQueryProgress(db, progress, 'export', async () => {
            if (format === 'xlsx') await exportXlsx(db, version, amounts, temp);
            else
              await exportCopy(
                db,
                version,
                { format, amounts, excel: options.excel === true },
                temp,
              );
          }),
        ),
      ).finally(() => progress.stop());
      const out = target.kind === 'file' ? target.file : '-';
      if (options.json)
        printJson({
          version: marker.version,
          settlement_date: marker.settlement_date,
          rows: marker.row_count,
          // Read from _SUCCESS, not recomputed: `settle verify` checks the files against it.
          recorded_checksum: marker.content_checksum,
          format,
          amounts,
          excel: options.excel === true,
          out,
        });
      printErr(
        `exported ${marker.version} (${marker.settlement_date}, ${marker.row_count} rows, recorded checksum ${marker.content_checksum}) to ${out === '-' ? 'standard output' : out}`,
      );
    });
}

/** Format and units, checked before any work. */
function checkShape(options: ExportOptions): { format: Format; amounts: Amounts } {
  const format = FORMATS.find((f) => f === options.format);
  if (format === undefined)
    throw invalidInput(`--format ${options.format}: expected csv, parquet or xlsx`, {
      field: 'format',
    });
  const amounts = options.amounts ?? (format === 'xlsx' ? 'major' : 'minor');
  if (amounts !== 'minor' && amounts !== 'major')
    throw invalidInput(`--amounts ${amounts}: expected minor or major`, { field: 'amounts' });
  if (format === 'parquet' && amounts === 'major')
    throw invalidInput('--amounts major: Parquet keeps the published minor units', {
      field: 'amounts',
    });
  if (format !== 'csv' && options.excel)
    throw invalidInput('--excel applies to --format csv only (xlsx cells are typed)', {
      field: 'excel',
    });
  return { format, amounts };
}

/** export/summary.sql with the macros it may call, shaped from the contract. */
async function exportQuery(
  db: Db,
  version: ResolvedVersion,
  shape: ExportShape,
): Promise<ReturnType<typeof exportColumns> & { sql: string }> {
  await db.run(loadSql('export/major_units_macro.sql'));
  await db.run(loadSql('export/excel_text_macro.sql'));
  const shaped = exportColumns(shape);
  const sql = renderSql('export/summary.sql', {
    data: quoteString(version.dataGlob),
    iso4217: iso4217Table(),
    columns: shaped.select,
  });
  return { ...shaped, sql };
}

/** CSV (RFC 4180, CRLF) or Parquet, written by DuckDB's COPY. */
async function exportCopy(
  db: Db,
  version: ResolvedVersion,
  options: { format: 'csv' | 'parquet'; amounts: Amounts; excel: boolean },
  temp: string,
): Promise<void> {
  const { sql } = await exportQuery(db, version, {
    amounts: options.amounts,
    excelText: options.excel,
    exponent: false,
  });
  const copyOptions =
    options.format === 'csv'
      ? "FORMAT csv, HEADER true, NEW_LINE '\r\n'"
      : 'FORMAT parquet, COMPRESSION zstd';
  await db.run(`COPY (${sql}) TO ${quoteString(temp)} (${copyOptions})`);
  if (options.excel) await writeFile(temp, Buffer.concat([BOM, await readFile(temp)]));
}

/** xlsx: rows streamed from DuckDB into the workbook writer, chunk by chunk. */
async function exportXlsx(
  db: Db,
  version: ResolvedVersion,
  amounts: Amounts,
  temp: string,
): Promise<void> {
  const { marker } = version;
  const { columns, sql } = await exportQuery(db, version, {
    amounts,
    excelText: false,
    exponent: true,
  });
  const result = await db.connection.stream(sql);
  await writeXlsx({
    file: temp,
    columns,
    rows: result.yieldRowsJson(),
    amounts,
    createdAt: new Date(marker.created_at),
    about: [
      ['dataset', marker.dataset],
      ['version', marker.version],
      ['settlement_date', marker.settlement_date],
      ['rows', marker.row_count],
      ['recorded_checksum', marker.content_checksum],
      ['created_at', marker.created_at],
      [
        'amounts',
        amounts === 'major'
          ? `money columns (*_major) in major units, formatted with the currency's ISO 4217 decimals; text where a value has more than ${MAX_EXACT_DIGITS} digits`
          : `money columns in integer minor units; text where a value has more than ${MAX_EXACT_DIGITS} digits`,
      ],
      ['sheet', `${DATA_SHEET}: one row per merchant and currency; ${ABOUT_SHEET}: this sheet`],
    ],
  });
}
