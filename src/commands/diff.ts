import type { Command } from 'commander';
import { withDb } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';
import { measureTotals } from '../contract/render.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { toTable, type Row } from './format.js';
import { printJson, printOut } from './output.js';

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description(
      'compare two published versions: rows added, removed, changed columns; totals per currency',
    )
    .requiredOption('--from <version>', 'the older version')
    .requiredOption('--to <version>', 'the newer version')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `\nExamples:\n  settle diff --from v7811 --to v7811.1\n  settle diff --from v7810 --to v7811 --json\n`,
    )
    .action(async (options: { from: string; to: string; warehouse?: string; json?: boolean }) => {
      const layout = await openWarehouseForRead(options.warehouse);
      const from = await resolveVersion(layout, { version: options.from });
      const to = await resolveVersion(layout, { version: options.to });
      const splices = {
        from: quoteString(from.dataGlob),
        to: quoteString(to.dataGlob),
        totals: measureTotals(),
      };
      const { rows, totals } = await withDb({}, async (db) => ({
        rows: await db.json<{
          merchant_id: string;
          currency: string;
          change: string;
          changed_columns: string[] | null;
          changes: unknown;
        }>(renderSql('diff/rows.sql', splices)),
        totals: await db.json<{
          currency: string;
          measure: string;
          from_total: string;
          to_total: string;
          difference: string;
        }>(renderSql('diff/currency_totals.sql', splices)),
      }));
      const count = (kind: string): number => rows.filter((r) => r.change === kind).length;
      const summary = {
        added: count('added'),
        removed: count('removed'),
        changed: count('changed'),
      };
      if (options.json) {
        printJson({ from: from.marker.version, to: to.marker.version, summary, rows, totals });
        return;
      }
      printOut(
        `diff ${from.marker.version} -> ${to.marker.version}: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed`,
      );
      const rowTable: Row[] = rows.map((r) => ({
        merchant_id: r.merchant_id,
        currency: r.currency,
        change: r.change,
        columns: (r.changed_columns ?? []).join(','),
      }));
      if (rowTable.length > 0)
        printOut(toTable(['merchant_id', 'currency', 'change', 'columns'], rowTable));
      const moved = totals.filter((t) => t.difference !== '0');
      printOut('totals per currency (measures that differ):');
      printOut(
        moved.length === 0
          ? '  none'
          : toTable(
              ['currency', 'measure', 'from_total', 'to_total', 'difference'],
              moved as unknown as Row[],
            ),
      );
    });
}
