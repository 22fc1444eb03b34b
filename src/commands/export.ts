import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { withDb } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { loadSql, renderSql, sqlRoot } from '../sql/load.js';
import { majorUnitReplacements } from '../contract/render.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { printErr, printJson } from './output.js';

interface ExportOptions {
  date?: string;
  version?: string;
  format: string;
  out: string;
  amounts: string;
  excel?: boolean;
  warehouse?: string;
  json?: boolean;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("export a pinned (default: the date's current) version as CSV or Parquet")
    .option(
      '--date <YYYY-MM-DD>',
      'settlement date (its current version unless --version pins one)',
    )
    .option('--version <version>', 'pinned version id')
    .requiredOption('--format <format>', 'csv | parquet')
    .requiredOption('--out <file>', 'output file (written atomically)')
    .option(
      '--amounts <units>',
      'minor | major (CSV only: exact major units by ISO 4217 exponent)',
      'minor',
    )
    .option('--excel', 'CSV with a UTF-8 byte order mark for Excel')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--json', 'print what was exported as JSON')
    .action(async (options: ExportOptions) => {
      if (!['csv', 'parquet'].includes(options.format))
        throw invalidInput(`--format ${options.format}: expected csv or parquet`, {
          field: 'format',
        });
      if (!['minor', 'major'].includes(options.amounts))
        throw invalidInput(`--amounts ${options.amounts}: expected minor or major`, {
          field: 'amounts',
        });
      if (options.format !== 'csv' && (options.amounts === 'major' || options.excel)) {
        throw invalidInput('--amounts major and --excel apply to --format csv only', {
          field: 'format',
        });
      }
      const layout = await openWarehouseForRead(options.warehouse);
      const version = await resolveVersion(layout, {
        date: options.date,
        version: options.version,
      });
      const out = path.resolve(options.out);
      const temp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
      try {
        // One thread: the same pinned version always exports to the same bytes.
        await withDb({ threads: 1 }, async (db) => {
          const data = quoteString(version.dataGlob);
          let query = renderSql('export/summary.sql', { data });
          if (options.amounts === 'major') {
            await db.run(loadSql('export/major_units_macro.sql'));
            query = renderSql('export/summary_major.sql', {
              data,
              iso4217: quoteString(path.join(sqlRoot, 'reference', 'iso4217.csv')),
              major_units: majorUnitReplacements(),
            });
          }
          const format =
            options.format === 'csv'
              ? "FORMAT csv, HEADER true, NEW_LINE '\r\n'"
              : 'FORMAT parquet, COMPRESSION zstd';
          await db.run(`COPY (${query}) TO ${quoteString(temp)} (${format})`);
        });
        if (options.excel) await writeFile(temp, Buffer.concat([BOM, await readFile(temp)]));
        await rename(temp, out);
      } finally {
        await rm(temp, { force: true });
      }
      if (options.json)
        printJson({
          version: version.marker.version,
          settlement_date: version.marker.settlement_date,
          rows: version.marker.row_count,
          content_checksum: version.marker.content_checksum,
          format: options.format,
          amounts: options.amounts,
          out,
        });
      printErr(
        `exported ${version.marker.version} (${version.marker.settlement_date}, ${version.marker.row_count} rows, checksum ${version.marker.content_checksum}) to ${out}`,
      );
    });
}
