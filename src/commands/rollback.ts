import type { Command } from 'commander';
import { rewriteDerived } from '../warehouse/derived.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { withLock } from '../warehouse/lock.js';
import { checkDate, resolveVersion } from '../warehouse/resolve.js';
import { readPointer, swapPointer } from '../warehouse/versions.js';
import { printErr, printJson, printOut } from './output.js';

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description(
      "move a date's CURRENT pointer back to a published version, atomically; never deletes a version",
    )
    .requiredOption('--date <YYYY-MM-DD>', 'settlement date')
    .requiredOption('--to <version>', 'published version of that date')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--json', 'print the pointer change as JSON')
    .addHelpText('after', `\nExamples:\n  settle rollback --date 2026-04-05 --to v7811\n`)
    .action(async (options: { date: string; to: string; warehouse?: string; json?: boolean }) => {
      const layout = await openWarehouseForRead(options.warehouse);
      const date = checkDate(options.date);
      const change = await withLock(layout.lockFile, async () => {
        const target = await resolveVersion(layout, { date, version: options.to });
        const previous = (await readPointer(layout, date))?.version ?? null;
        if (previous === target.marker.version)
          return { settlement_date: date, from: previous, to: previous, changed: false };
        const pointer = await swapPointer(layout, date, target.marker, 'rollback');
        for (const warning of await rewriteDerived(layout, date, pointer))
          printErr(`settle: warning: ${warning}`);
        return { settlement_date: date, from: previous, to: target.marker.version, changed: true };
      });
      if (options.json) printJson(change);
      else
        printOut(
          change.changed
            ? `${date}: CURRENT moved from ${change.from ?? '(none)'} to ${change.to}`
            : `${date} already points at ${change.to} (no change)`,
        );
    });
}
