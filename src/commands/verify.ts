import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MEMORY_LIMIT } from '../contract/defaults.js';
import { withDb } from '../db/duckdb.js';
import { ExitCode, SettleError, runtimeFailure } from '../errors.js';
import { loadManifest } from '../stages/manifest.js';
import { runPipeline } from '../stages/pipeline.js';
import { contentChecksum } from '../stages/publish.js';
import { checksumAlgorithmOf } from '../contract/checksum.js';
import { sha256Text } from '../util/sha256.js';
import { versionFiles } from '../warehouse/layout.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { memoryLimit, positiveInt } from './options.js';
import { printJson, printOut } from './output.js';
import { progressOnStderr, withInterrupts } from './progress.js';

interface Check {
  name: 'files on disk' | 'stored manifest' | 'rebuild from manifest';
  expected: string;
  actual: string;
  match: boolean;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'check a published version three ways: its files as they are on disk, its stored manifest, and a rebuild from that manifest in a scratch area must all match what _SUCCESS records; publishes nothing',
    )
    .requiredOption('--version <version>', 'published version id')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--threads <n>', 'DuckDB threads', positiveInt)
    .option('--memory-limit <size>', 'DuckDB memory limit', memoryLimit, DEFAULT_MEMORY_LIMIT)
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `\nExamples:\n  settle verify --version v7811\n  settle verify --version v7811 --json\n`,
    )
    .action(
      async (options: {
        version: string;
        warehouse?: string;
        threads?: number;
        memoryLimit?: string;
        json?: boolean;
        quiet?: boolean;
      }) => {
        const layout = await openWarehouseForRead(options.warehouse);
        const published = await resolveVersion(layout, { version: options.version });
        const recorded = published.marker.content_checksum;
        const checksumAlgorithm = checksumAlgorithmOf(published.marker);
        const onDisk = await withDb({ threads: options.threads }, (db) =>
          contentChecksum(db, published.dir, checksumAlgorithm),
        );
        const manifestFile = path.join(published.dir, versionFiles.manifest);
        const storedManifest = sha256Text(await readFile(manifestFile));
        const checks: Check[] = [
          check('files on disk', recorded, onDisk.contentChecksum),
          check('stored manifest', published.marker.lineage.manifest_sha256, storedManifest),
        ];
        // Exit 2 (from loadManifest) when an input file changed since the manifest was frozen.
        const frozen = await loadManifest(manifestFile);
        const scratch = path.join(
          layout.runsDir,
          `verify-${options.version}-${process.pid}-${Date.now()}`,
        );
        try {
          const progress = progressOnStderr(options.quiet === true);
          const rebuilt = await withInterrupts((signal) =>
            runPipeline(frozen, {
              layout,
              engine: { threads: options.threads, memoryLimit: options.memoryLimit },
              scratchDir: scratch,
              checksumAlgorithm,
              progress,
              signal,
            }),
          ).finally(() => progress.stop());
          checks.push(check('rebuild from manifest', recorded, rebuilt.contentChecksum));
        } catch (err) {
          // A failed rebuild still reports what the other checks found.
          if (!(err instanceof SettleError) || err.exitCode === ExitCode.interrupted) throw err;
          if (checks.every((c) => c.match)) throw err;
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
        const failed = checks.filter((c) => !c.match);
        if (options.json)
          printJson({
            version: options.version,
            recorded_checksum: recorded,
            checks,
            ok: failed.length === 0,
          });
        if (failed.length > 0) {
          throw runtimeFailure(
            `verify ${options.version}: MISMATCH: ${failed.map((c) => `${c.name} ${c.actual} differs from the recorded ${c.expected}`).join('; ')}`,
          );
        }
        if (!options.json)
          printOut(
            `verify ${options.version}: OK, files on disk, stored manifest and a rebuild all match the recorded checksum ${recorded}`,
          );
      },
    );
}

function check(name: Check['name'], expected: string, actual: string): Check {
  return { name, expected, actual, match: expected === actual };
}
