import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { runtimeFailure } from '../errors.js';
import { loadManifest } from '../stages/manifest.js';
import { runPipeline } from '../stages/pipeline.js';
import { versionFiles, WarehouseLayout } from '../warehouse/layout.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { memoryLimit, positiveInt } from './options.js';
import { DEFAULT_MEMORY_LIMIT, DEFAULT_PARTITIONS } from '../contract/defaults.js';
import { printJson, printOut } from './output.js';

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'rebuild a published version from its stored manifest in a scratch area and compare content checksums; publishes nothing',
    )
    .requiredOption('--version <version>', 'published version id')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--threads <n>', 'DuckDB threads', positiveInt)
    .option('--memory-limit <size>', 'DuckDB memory limit', memoryLimit, DEFAULT_MEMORY_LIMIT)
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        version: string;
        warehouse?: string;
        threads?: number;
        memoryLimit?: string;
        json?: boolean;
      }) => {
        const layout = WarehouseLayout.fromOption(options.warehouse);
        const published = await resolveVersion(layout, { version: options.version });
        // Exit 2 when an input file changed since the manifest was frozen.
        const frozen = await loadManifest(path.join(published.dir, versionFiles.manifest));
        const scratch = path.join(
          layout.runsDir,
          `verify-${options.version}-${process.pid}-${Date.now()}`,
        );
        try {
          const rebuilt = await runPipeline(frozen, {
            layout,
            engine: { threads: options.threads, memoryLimit: options.memoryLimit },
            shuffle: { partitions: DEFAULT_PARTITIONS, salts: DEFAULT_PARTITIONS },
            scratchDir: scratch,
          });
          const match = rebuilt.contentChecksum === published.marker.content_checksum;
          const result = {
            version: options.version,
            published: published.marker.content_checksum,
            rebuilt: rebuilt.contentChecksum,
            match,
          };
          if (options.json) printJson(result);
          if (!match) {
            throw runtimeFailure(
              `verify ${options.version}: MISMATCH, published checksum ${published.marker.content_checksum}, rebuilt ${rebuilt.contentChecksum}`,
            );
          }
          if (!options.json)
            printOut(
              `verify ${options.version}: OK, rebuilt content checksum ${rebuilt.contentChecksum} matches the published one`,
            );
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      },
    );
}
