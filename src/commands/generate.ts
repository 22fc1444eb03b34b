import type { Command } from 'commander';
import { withDb } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import { faultNames, type FaultName } from '../generate/faults.js';
import { generateSnapshot } from '../generate/generate.js';
import { checkDate } from '../warehouse/resolve.js';
import { commaList, nonNegativeInt, positiveInt } from './options.js';
import { printErr, printJson } from './output.js';

interface GenerateFlags {
  out: string;
  shards: number;
  merchants: number;
  entries: number;
  currencies: string[];
  skew: string;
  seed: number;
  date: string;
  customers?: number;
  segmentRows: number;
  faults: string[];
  threads?: number;
  json?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a deterministic synthetic ledger snapshot (sizes, skew, faults) in the SPEC layout')
    .requiredOption('--out <dir>', 'snapshot directory (replaced)')
    .option('--shards <n>', 'shards', positiveInt, 4)
    .option('--merchants <n>', 'merchants', positiveInt, 100)
    .option('--entries <n>', 'ledger entries', nonNegativeInt, 10_000)
    .option('--currencies <codes>', 'ISO 4217 codes, comma-separated', commaList, ['USD', 'EUR', 'JPY'])
    .option('--skew <share>', 'share (0..<1) of entries and distinct customers held by the top merchant M000000', '0')
    .option('--seed <n>', 'seed', nonNegativeInt, 1)
    .option('--date <YYYY-MM-DD>', 'settlement date', '2026-04-05')
    .option('--customers <n>', 'distinct customer refs (default entries / 20)', positiveInt)
    .option('--segment-rows <n>', 'rows per segment file', positiveInt, 1_000_000)
    .option('--faults <names>', `comma-separated: ${faultNames.join(', ')}, or all`, commaList, [])
    .option('--threads <n>', 'DuckDB threads', positiveInt)
    .option('--json', 'print the report as JSON')
    .action(async (flags: GenerateFlags) => {
      const skew = Number(flags.skew);
      if (!(skew >= 0 && skew < 1)) throw invalidInput(`--skew ${flags.skew}: expected a share in [0, 1)`, { field: 'skew' });
      const faults = flags.faults.includes('all') ? [...faultNames] : flags.faults;
      for (const fault of faults) {
        if (!(faultNames as readonly string[]).includes(fault)) throw invalidInput(`--faults: unknown fault ${JSON.stringify(fault)} (known: ${faultNames.join(', ')})`, { field: 'faults' });
      }
      for (const code of flags.currencies) {
        if (!/^[A-Z]{3}$/.test(code)) throw invalidInput(`--currencies: ${JSON.stringify(code)} is not an ISO 4217 alphabetic code`, { field: 'currencies' });
      }
      const started = performance.now();
      const report = await withDb({ threads: flags.threads }, (db) =>
        generateSnapshot(db, { ...flags, date: checkDate(flags.date), skew, faults: faults as FaultName[] }),
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      printErr(`generated ${report.entries} entries on ${report.shards.length} shards in ${seconds}s at ${report.out}${report.faults.length ? `; faults: ${report.faults.map((f) => `${f.fault}@${f.shard}`).join(', ')}` : ''}`);
      if (flags.json) printJson(report);
    });
}
