import { copyFile, readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { invalidInput } from '../errors.js';
import { writeRunReport } from '../report/write.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { checkOut, deliver } from './out-file.js';
import { printJson, printOut, writeOut } from './output.js';

interface ReportOptions {
  date?: string;
  version?: string;
  out?: string;
  warehouse?: string;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  settle report --date 2026-04-05                        # path of the current version's report.html
  settle report --version v7811 --out v7811-report.html  # a copy for e-mail or a ticket
  settle report --date 2026-04-05 --out - > report.html  # the page on standard output
`;

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      "the self-contained HTML run report of a published version (default: the date's current one): written into the version directory when missing or out of date, then its path printed",
    )
    .option(
      '--date <YYYY-MM-DD>',
      'settlement date (its current version unless --version pins one)',
    )
    .option('--version <version>', 'pinned version id')
    .option(
      '--out <file>',
      'also copy the report here (written atomically), or - for standard output',
    )
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--json', 'print the version and the report path as JSON')
    .addHelpText('after', EXAMPLES)
    .action(async (options: ReportOptions) => {
      const target = options.out === undefined ? undefined : await checkOut(options.out);
      if (target?.kind === 'stdout' && options.json)
        throw invalidInput('--json cannot go with --out -: standard output carries the report', {
          field: 'json',
        });
      const layout = await openWarehouseForRead(options.warehouse);
      const { marker, dir } = await resolveVersion(layout, {
        date: options.date,
        version: options.version,
      });
      const report = await writeRunReport(dir, 'published');
      if (target?.kind === 'stdout') {
        writeOut(await readFile(report));
        return;
      }
      if (target?.kind === 'file') await deliver(target, (temp) => copyFile(report, temp));
      const out = target?.kind === 'file' ? target.file : report;
      if (options.json)
        printJson({
          version: marker.version,
          settlement_date: marker.settlement_date,
          report,
          out,
        });
      else printOut(out);
    });
}
