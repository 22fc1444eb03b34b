import type { StatementType } from '@duckdb/node-api';
import type { Command } from 'commander';
import { withDb, type Db } from '../db/duckdb.js';
import { quoteStringList } from '../sql/fragment.js';
import { loadSql } from '../sql/load.js';
import { invalidInput } from '../errors.js';
import { catalogSql, publishedCatalog } from '../warehouse/catalog.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { openWarehouseForRead } from '../warehouse/open.js';
import { toCsv, toTable, type Row } from './format.js';
import { printOut, writeOut } from './output.js';

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description(
      'ad hoc read-only SQL over published versions (views: merchant_settlement_summary, merchant_settlement_summary_versions, rejects, dq_results, versions)',
    )
    .argument('<query>', 'one or more SELECT statements (or EXPLAIN of one); the last one prints')
    .option('--format <format>', 'table | csv | json', 'table')
    .option('--json', 'same as --format json')
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .addHelpText(
      'after',
      `\nExamples:\n  settle sql "SELECT currency, sum(gross_inflow) FROM merchant_settlement_summary GROUP BY ALL"\n  settle sql "SELECT * FROM rejects WHERE version = 'v7811' LIMIT 10" --format csv\n  settle sql "SELECT version, is_current FROM versions" --json\n`,
    )
    .action(
      async (query: string, options: { format: string; json?: boolean; warehouse?: string }) => {
        const format = options.json ? 'json' : options.format;
        if (!['table', 'csv', 'json'].includes(format))
          throw invalidInput(`--format ${format}: expected table, csv or json`, {
            field: 'format',
          });
        if (query.trim() === '')
          throw invalidInput('query: empty; give one or more SELECT statements', {
            field: 'query',
          });
        const layout = await openWarehouseForRead(options.warehouse);
        const { columns, rows } = await withDb({}, async (db) => {
          await openReadOnlyCatalog(db, layout);
          return runReadOnly(db, query);
        });
        if (format === 'json') printOut(JSON.stringify(rows, null, 2));
        else if (format === 'csv') writeOut(toCsv(columns, rows));
        else printOut(toTable(columns, rows));
      },
    );
}

/**
 * Defines the views, then locks the session: files outside the warehouse cannot be read and the
 * configuration cannot change. What may run at all is decided by runReadOnly.
 */
export async function openReadOnlyCatalog(db: Db, layout: WarehouseLayout): Promise<void> {
  await db.run(catalogSql(await publishedCatalog(layout)));
  await db.run(`SET allowed_directories = ${quoteStringList([layout.root])}`);
  await db.run('SET enable_external_access = false');
  await db.run('SET lock_configuration = true');
}

const EXPLAIN = /^\s*EXPLAIN\s+/i;

/**
 * Runs a query only when DuckDB's own parser says every statement in it is a plain read: the
 * query (or, for `EXPLAIN <query>`, the part after EXPLAIN) must serialize as SELECT statements
 * (json_serialize_sql refuses every other statement type, including EXPLAIN ANALYZE, COPY,
 * PRAGMA, SET, ATTACH and DDL, whatever their wrapping), and each prepared statement must be a
 * SELECT (or that one EXPLAIN). A SELECT cannot create, change or delete a file.
 */
export async function runReadOnly(
  db: Db,
  query: string,
): Promise<{ columns: string[]; rows: Row[] }> {
  const explained = EXPLAIN.test(query) ? query.replace(EXPLAIN, '') : null;
  const tree = await db.one<{ tree: string }>(loadSql('commands/serialize_query.sql'), {
    query: explained ?? query,
  });
  const parsed = JSON.parse(tree.tree) as {
    error: boolean;
    error_type?: string;
    error_message?: string;
    statements?: unknown[];
  };
  if (parsed.error) {
    if (explained !== null) throw readOnly('only EXPLAIN of a SELECT is accepted');
    if (parsed.error_type === 'not implemented')
      throw readOnly('only SELECT statements are accepted');
    throw invalidInput(`query: ${parsed.error_message ?? 'does not parse'}`, { field: 'query' });
  }
  if ((parsed.statements ?? []).length === 0)
    throw invalidInput('query: empty; give one or more SELECT statements', { field: 'query' });
  if (explained !== null && (parsed.statements ?? []).length !== 1)
    throw readOnly('EXPLAIN takes exactly one SELECT');
  const { StatementType: Types } = await import('../db/node-api.js');
  const accepted: StatementType = explained !== null ? Types.EXPLAIN : Types.SELECT;
  const statements = await db.connection.extractStatements(query).catch(refuseQuery);
  let last: { columns: string[]; rows: Row[] } = { columns: [], rows: [] };
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i).catch(refuseQuery);
    if (prepared.statementType !== accepted)
      throw readOnly(`${Types[prepared.statementType]} statements are refused`);
    const reader = await prepared.runAndReadAll().catch(refuseQuery);
    last = { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Row[] };
  }
  return last;
}

function readOnly(reason: string): Error {
  return invalidInput(`query refused: settle sql is read-only; ${reason}`, { field: 'query' });
}

/**
 * A query DuckDB rejects is the user's to fix; file access outside the warehouse is read-only
 * policy. DuckDB's hints ("Did you mean", candidate bindings) stay, on the one line.
 */
function refuseQuery(err: unknown): never {
  const reason = oneLine(err instanceof Error ? err.message : String(err));
  const policy = reason.startsWith('Permission Error')
    ? 'settle sql is read-only and reads only the warehouse; '
    : '';
  throw invalidInput(`query: ${policy}${reason}`, { field: 'query' });
}

/** An engine message on one line: the caret lines that point into the query are dropped. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^LINE \d+:/.test(line) && !/^\^+$/.test(line))
    .join(' ');
}
