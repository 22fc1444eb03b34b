import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { renderSql } from '../sql/load.js';
import { mapLimit } from '../util/files.js';
import { ACCOUNT_COLUMNS, LEDGER_ENTRY_COLUMNS } from '../contract/inputs.js';
import type { Manifest } from '../contract/manifest.js';

/**
 * Every Parquet input the run reads must open and carry the SPEC's columns with their types.
 * Fails the run (exit 2) naming the file and column: nothing half-read is ever published.
 */
export async function checkInputSchemas(db: Db, manifest: Manifest): Promise<void> {
  const parquetFiles = manifest.files.filter((f) => f.role !== 'segment_index');
  await mapLimit(parquetFiles, 1, async (file) => {
    const expected = file.role === 'accounts' ? ACCOUNT_COLUMNS : LEDGER_ENTRY_COLUMNS;
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
