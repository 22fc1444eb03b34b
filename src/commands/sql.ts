import { StatementType } from '@duckdb/node-api';
import type { Command } from 'commander';
import { withDb, type Db } from '../db/duckdb.js';
import { quoteStringList } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { catalogSql, publishedCatalog } from '../warehouse/catalog.js';
import { WarehouseLayout } from '../warehouse/layout.js';
import { toCsv, toTable, type Row } from './format.js';
import { printOut } from './output.js';

const readOnlyStatements = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description(
      'ad hoc read-only SQL over published versions (views: merchant_settlement_summary, merchant_settlement_summary_versions, rejects, dq_results, versions)',
    )
    .argument('<query>', 'one or more SELECT statements; the last one prints')
    .option('--format <format>', 'table | csv | json', 'table')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .action(async (query: string, options: { format: string; warehouse?: string }) => {
      if (!['table', 'csv', 'json'].includes(options.format))
        throw invalidInput(`--format ${options.format}: expected table, csv or json`, {
          field: 'format',
        });
      const layout = WarehouseLayout.fromOption(options.warehouse);
      const { columns, rows } = await withDb({}, async (db) => {
        await openReadOnlyCatalog(db, layout);
        return runReadOnly(db, query);
      });
      if (options.format === 'json') printOut(JSON.stringify(rows, null, 2));
      else if (options.format === 'csv') process.stdout.write(toCsv(columns, rows));
      else printOut(toTable(columns, rows));
    });
}

/**
 * Defines the views, then locks the session: files outside the warehouse cannot be read, the
 * configuration cannot change, and only SELECT/EXPLAIN statements are run.
 */
export async function openReadOnlyCatalog(db: Db, layout: WarehouseLayout): Promise<void> {
  await db.run(catalogSql(await publishedCatalog(layout)));
  await db.run(`SET allowed_directories = ${quoteStringList([layout.root])}`);
  await db.run('SET enable_external_access = false');
  await db.run('SET lock_configuration = true');
}

export async function runReadOnly(
  db: Db,
  query: string,
): Promise<{ columns: string[]; rows: Row[] }> {
  const statements = await db.connection.extractStatements(query).catch(refuseQuery);
  if (statements.count === 0) throw invalidInput('query: no statement given', { field: 'query' });
  let last: { columns: string[]; rows: Row[] } = { columns: [], rows: [] };
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i).catch(refuseQuery);
    if (!readOnlyStatements.has(prepared.statementType)) {
      throw invalidInput(
        `query: settle sql is read-only; ${StatementType[prepared.statementType]} statements are refused`,
        { field: 'query' },
      );
    }
    const reader = await prepared.runAndReadAll().catch(refuseQuery);
    last = { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Row[] };
  }
  return last;
}

/** A query DuckDB rejects is the user's to fix; file access outside the warehouse is read-only policy. */
function refuseQuery(err: unknown): never {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  const policy = reason.startsWith('Permission Error')
    ? 'settle sql is read-only and reads only the warehouse; '
    : '';
  throw invalidInput(`query: ${policy}${reason}`, { field: 'query' });
}
