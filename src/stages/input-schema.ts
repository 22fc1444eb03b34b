import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import { renderSql } from '../sql/load.js';
import { mapLimit } from '../util/files.js';
import type { Manifest } from './manifest-schema.js';

export const entryColumns: Record<string, string> = {
  entry_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  seq: 'BIGINT',
  account_id: 'VARCHAR',
  merchant_id: 'VARCHAR',
  customer_ref: 'VARCHAR',
  entry_type: 'VARCHAR',
  amount_minor: 'BIGINT',
  currency: 'VARCHAR',
  event_time: 'TIMESTAMP WITH TIME ZONE',
  settlement_date: 'DATE',
};

export const accountColumns: Record<string, string> = {
  account_id: 'VARCHAR',
  merchant_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  currency: 'VARCHAR',
};

/**
 * Every Parquet input the run reads must open and carry the SPEC's columns with their types.
 * Fails the run (exit 2) naming the file and column: nothing half-read is ever published.
 */
export async function checkInputSchemas(db: Db, manifest: Manifest): Promise<void> {
  const parquetFiles = manifest.files.filter((f) => f.role !== 'segment_index');
  await mapLimit(parquetFiles, 1, async (file) => {
    const expected = file.role === 'accounts' ? accountColumns : entryColumns;
    await checkColumns(db, path.join(manifest.snapshot_root, file.path), expected);
  });
}

async function checkColumns(db: Db, file: string, expected: Record<string, string>): Promise<void> {
  let columns: Array<{ column_name: string; column_type: string }>;
  try {
    columns = await db.all(renderSql('stages/scan/file_columns.sql', { file: quoteString(file) }));
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw invalidInput(`${file}: cannot be read as Parquet (${reason})`, { file });
  }
  const actual = new Map(columns.map((c) => [c.column_name, c.column_type]));
  for (const [name, type] of Object.entries(expected)) {
    const found = actual.get(name);
    if (found === undefined)
      throw invalidInput(`${file}: column ${name} is missing (expected ${type})`, {
        file,
        field: name,
      });
    if (found !== type)
      throw invalidInput(`${file}: column ${name} has type ${found}, expected ${type}`, {
        file,
        field: name,
      });
  }
}
