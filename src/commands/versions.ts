import { LEGACY_CHECKSUM_ALGORITHM } from '../contract/checksum.js';
import type { Command } from 'commander';
import { openWarehouseForRead } from '../warehouse/open.js';
import { checkDate } from '../warehouse/resolve.js';
import { listDates, publishedVersions, readHistory, readPointer } from '../warehouse/versions.js';
import { toTable, type Row } from './format.js';
import { printJson, printOut } from './output.js';

export function registerVersionsCommand(program: Command): void {
  program
    .command('versions')
    .description(
      'published versions per date: current marker, rows, checksum, epoch, lineage, pointer history',
    )
    .option('--date <YYYY-MM-DD>', 'only this settlement date')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `\nExamples:\n  settle versions\n  settle versions --date 2026-04-05 --json\n`,
    )
    .action(async (options: { date?: string; warehouse?: string; json?: boolean }) => {
      const layout = await openWarehouseForRead(options.warehouse);
      const dates =
        options.date !== undefined ? [checkDate(options.date)] : await listDates(layout);
      const result = [];
      for (const date of dates) {
        const pointer = await readPointer(layout, date);
        const versions = (await publishedVersions(layout, date)).map((m) => ({
          version: m.version,
          current: pointer?.version === m.version,
          row_count: m.row_count,
          reject_count: m.reject_count,
          content_checksum: m.content_checksum,
          checksum_algorithm: m.checksum_algorithm ?? LEGACY_CHECKSUM_ALGORITHM,
          input_epoch: m.lineage.input_epoch,
          supersedes: m.lineage.supersedes,
          opening_version: m.lineage.opening_version,
          manifest_sha256: m.lineage.manifest_sha256,
          created_at: m.created_at,
        }));
        result.push({
          settlement_date: date,
          current: pointer?.version ?? null,
          versions,
          history: await readHistory(layout, date),
        });
      }
      if (options.json) {
        printJson(result);
        return;
      }
      const rows: Row[] = result.flatMap((d) =>
        d.versions.map((v) => ({
          date: d.settlement_date,
          version: v.version,
          current: v.current ? '*' : '',
          rows: v.row_count,
          checksum: v.content_checksum.slice(0, 16),
          epoch: v.input_epoch,
          supersedes: v.supersedes,
          opening: v.opening_version,
          created_at: v.created_at,
        })),
      );
      printOut(
        toTable(
          [
            'date',
            'version',
            'current',
            'rows',
            'checksum',
            'epoch',
            'supersedes',
            'opening',
            'created_at',
          ],
          rows,
        ),
      );
    });
}
