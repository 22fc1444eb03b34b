import type { Command } from 'commander';
import { writeCatalogFile } from '../warehouse/catalog.js';
import { WarehouseLayout } from '../warehouse/layout.js';
import { withLock } from '../warehouse/lock.js';
import { checkDate, resolveVersion } from '../warehouse/resolve.js';
import { readPointer, swapPointer } from '../warehouse/versions.js';
import { printOut } from './output.js';

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description("move a date's CURRENT pointer back to a published version, atomically; never deletes a version")
    .requiredOption('--date <YYYY-MM-DD>', 'settlement date')
    .requiredOption('--to <version>', 'published version of that date')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .action(async (options: { date: string; to: string; warehouse?: string }) => {
      const layout = WarehouseLayout.fromOption(options.warehouse);
      const date = checkDate(options.date);
      const message = await withLock(layout.lockFile, async () => {
        const target = await resolveVersion(layout, { date, version: options.to });
        const previous = await readPointer(layout, date);
        if (previous?.version === target.marker.version) return `${date} already points at ${target.marker.version} (no change)`;
        await swapPointer(layout, date, target.marker, 'rollback');
        await writeCatalogFile(layout);
        return `${date}: CURRENT moved from ${previous?.version ?? '(none)'} to ${target.marker.version}`;
      });
      printOut(message);
    });
}
