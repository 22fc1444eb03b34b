import type { Command } from 'commander';
import { Db } from '../db/duckdb.js';
import { runPipeline } from '../stages/pipeline.js';
import { freezeRun } from '../stages/run-request.js';
import { openWarehouseForWrite } from '../warehouse/open.js';
import { parseQueueUrl } from '../queue/connection.js';
import { DEFAULT_MEMORY_LIMIT, DEFAULT_PARTITIONS } from '../contract/defaults.js';
import { commaList, memoryLimit, nonNegativeInt, positiveInt } from './options.js';
import {
  DEFAULT_CONFIG_FILE,
  hasPolicyFlags,
  loadConfig,
  resolvePolicy,
  type PolicyFlags,
} from './config.js';
import { printErr, printJson, printOut } from './output.js';
import { runSummary } from './run-summary.js';
import { progressOnStderr, withInterrupts } from './progress.js';

interface RunOptions extends PolicyFlags {
  snapshot?: string;
  date?: string;
  epoch?: string;
  manifest?: string;
  warehouse?: string;
  openingVersion?: string;
  corrections?: string[];
  versionId?: string;
  allowEmpty?: boolean;
  threads?: number;
  memoryLimit?: string;
  tempDir?: string;
  partitions?: number;
  salts?: number;
  json?: boolean;
  config?: string;
  queue?: string;
  quiet?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'freeze a snapshot into a manifest (or take a frozen one) and settle it into a published version',
    )
    .option('--snapshot <dir>', 'ledger snapshot directory')
    .option('--date <YYYY-MM-DD>', 'settlement date')
    .option('--epoch <input-epoch>', 'input epoch, e.g. ledger-snapshot-7811 (version id v7811)')
    .option('--manifest <file>', 'run a frozen manifest instead (resumes a failed attempt)')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option(
      '--opening-version <version>',
      'published version of the previous date whose balances open this one',
    )
    .option(
      '--corrections <files>',
      'late correction files (entry schema, inside the snapshot), comma-separated: publishes a new version v<epoch>.<n> superseding the current one',
      commaList,
    )
    .option(
      '--version-id <version>',
      'publish under this version id instead of v<epoch digits> (ids are unique across dates)',
    )
    .option('--allow-empty', 'settle a date no shard of the snapshot holds (an all-zero day)')
    .option(
      '--min-charges <n>',
      'policy: charges before reserve review applies (default 20)',
      nonNegativeInt,
    )
    .option(
      '--chargeback-ratio-bps <n>',
      'policy: chargebacks per 10,000 charges above which reserve review is flagged (default 100)',
      nonNegativeInt,
    )
    .option(
      '--max-reject-ratio-bps <n>',
      'policy: rejected rows per 10,000 kept rows above which the run fails (default 100)',
      nonNegativeInt,
    )
    .option(
      '--require-complete-books',
      'policy: incomplete books fail the run (exit 3) instead of warning',
    )
    .option(
      '--config <file>',
      `policy defaults from a JSON file (default ./${DEFAULT_CONFIG_FILE} when present; flags win)`,
    )
    .option('--threads <n>', 'DuckDB threads', positiveInt)
    .option(
      '--memory-limit <size>',
      'DuckDB memory limit; past it, work spills to --temp-dir',
      memoryLimit,
      DEFAULT_MEMORY_LIMIT,
    )
    .option(
      '--temp-dir <dir>',
      'where DuckDB spills (default: the run directory under <warehouse>/_runs)',
    )
    .option(
      '--partitions <n>',
      `reduce partitions (default: one per 256 MiB of segments, at most ${DEFAULT_PARTITIONS})`,
      positiveInt,
    )
    .option(
      '--salts <n>',
      "partitions a merchant's customers are spread over; 1 = no salting (default: the partition count)",
      positiveInt,
    )
    .option(
      '--queue <url>',
      'run the tasks on `settle worker` processes through this queue: redis://HOST:PORT (default $SETTLE_QUEUE; none: in this process)',
    )
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print the machine-readable result')
    .addHelpText(
      'after',
      `\nExamples:\n  settle run --snapshot fixtures/snapshot --date 2026-04-05 --epoch ledger-snapshot-7811\n  settle run --manifest warehouse/_runs/<sha>/manifest.json          (resume a failed attempt)\n  settle run --snapshot S --date 2026-04-06 --epoch e-7812 --opening-version v7811\n  settle run --snapshot S --date 2026-04-05 --epoch e-7811 --corrections late/c1.parquet\n  settle run --snapshot S --date D --epoch E --require-complete-books --queue redis://10.0.0.5:6379\n`,
    )
    .action(async (options: RunOptions) => {
      const started = performance.now();
      const queueUrl = options.queue ?? process.env['SETTLE_QUEUE'];
      const queue = queueUrl === undefined || queueUrl === '' ? undefined : parseQueueUrl(queueUrl);
      const layout = await openWarehouseForWrite(options.warehouse);
      const progress = progressOnStderr(options.quiet === true);
      const engine = {
        threads: options.threads,
        memoryLimit: options.memoryLimit,
        tempDir: options.tempDir,
      };
      // One engine freezes the manifest and runs it, opened when the request has passed its
      // checks (the spill directory is set once the manifest, so the run directory, is known).
      let db: Db | undefined;
      const openEngine = async (): Promise<Db> =>
        (db ??= await Db.open({ ...engine, tempDir: undefined }));
      const result = await (async () => {
        progress.stageStarted('manifest');
        const frozen = await freezeRun(openEngine, layout, {
          manifest: options.manifest,
          snapshot: options.snapshot,
          date: options.date,
          epoch: options.epoch,
          openingVersion: options.openingVersion,
          corrections: options.corrections,
          versionId: options.versionId,
          allowEmpty: options.allowEmpty,
          policy:
            options.manifest === undefined || hasPolicyFlags(options)
              ? resolvePolicy(await loadConfig(options.config), options)
              : undefined,
        });
        progress.stageEnded('manifest');
        return withInterrupts((signal) =>
          runPipeline(frozen, {
            signal,
            progress,
            layout,
            db,
            engine,
            shuffle: {
              partitions: options.partitions,
              salts: options.salts,
            },
            executor:
              queue === undefined
                ? undefined
                : async (ctx, frozenRun, signal) => {
                    // BullMQ costs a third of a second to load: only runs on a queue pay for it.
                    const { QueueExecutor } = await import('../queue/queue-executor.js');
                    return QueueExecutor.open(queue, ctx.store, frozenRun.sha256, signal);
                  },
          }),
        );
      })().finally(() => {
        progress.stop();
        db?.close();
      });
      for (const warning of result.warnings) printErr(`settle: warning: ${warning}`);
      if (options.json) printJson(result);
      else printOut(runSummary(result, (performance.now() - started) / 1000));
    });
}
