import type { Command } from 'commander';
import { withDb } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import {
  faultNames,
  generateSnapshot,
  type FaultName,
  type GenerateReport,
} from '../generate/generate.js';
import { commaList, nonNegativeInt, positiveInt } from './options.js';
import { printErr, printJson } from './output.js';
import { progressOnStderr } from './progress.js';

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
  quiet?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'write a deterministic synthetic ledger snapshot (sizes, skew, faults) in the SPEC layout',
    )
    .requiredOption('--out <dir>', 'snapshot directory (replaced if it holds a snapshot)')
    .option('--shards <n>', 'shards (ids 00..99)', positiveInt, 4)
    .option('--merchants <n>', 'merchants, each with 1-2 accounts', positiveInt, 100)
    .option('--entries <n>', 'ledger entries', nonNegativeInt, 10_000)
    .option('--currencies <codes>', 'ISO 4217 codes, comma-separated', commaList, [
      'USD',
      'EUR',
      'JPY',
    ])
    .option(
      '--skew <share>',
      'share [0, 1) of entries and of distinct customers held by the top merchant M000000',
      '0',
    )
    .option('--seed <n>', 'seed', nonNegativeInt, 1)
    .option('--date <YYYY-MM-DD>', 'settlement date', '2026-04-05')
    .option('--customers <n>', 'distinct customer refs (default entries / 20)', positiveInt)
    .option('--segment-rows <n>', 'rows per segment file', positiveInt, 1_000_000)
    .option('--faults <names>', `comma-separated, or all: ${faultNames.join(', ')}`, commaList, [])
    .option('--threads <n>', 'DuckDB threads', positiveInt)
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      `\nExamples:\n  settle generate --out /tmp/snap --shards 16 --merchants 150000 --entries 10000000\n  settle generate --out /tmp/faulty --faults all --seed 7\n  settle generate --out /tmp/skewed --entries 1000000 --skew 0.5\n`,
    )
    .action(async (flags: GenerateFlags) => {
      if (!/^\d*\.?\d+$/.test(flags.skew))
        throw invalidInput(`--skew ${JSON.stringify(flags.skew)}: expected a share in [0, 1)`, {
          field: 'skew',
        });
      const faults = flags.faults.includes('all') ? [...faultNames] : (flags.faults as FaultName[]);
      const started = performance.now();
      const progress = progressOnStderr(flags.quiet === true);
      const report = await withDb({ threads: flags.threads }, (db) =>
        generateSnapshot(db, { ...flags, skew: Number(flags.skew), faults }, progress),
      ).finally(() => progress.stop());
      printErr(summary(report, (performance.now() - started) / 1000));
      if (flags.json) printJson(report);
    });
}

function summary(report: GenerateReport, seconds: number): string {
  const segments = report.shards.reduce((sum, s) => sum + s.segments.length, 0);
  const faults = report.faults.map((f) => `${f.fault}@${f.shard}`).join(', ');
  return `generated ${report.entries} entries, ${report.accounts} accounts, ${segments} segments on ${report.shards.length} shards at ${report.out} in ${seconds.toFixed(1)}s${faults ? `; faults: ${faults}` : ''}`;
}
