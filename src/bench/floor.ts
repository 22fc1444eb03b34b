import { DEFAULT_MEMORY_LIMIT } from '../commands/run.js';
import { withDb, quoteString } from '../db/duckdb.js';
import { renderSql } from '../sql/load.js';

/**
 * `node dist/bench/floor.js <snapshot> <out.parquet> [floor|unique_entry_ids]`: a bare DuckDB
 * query the pipeline is held to (sql/bench/<query>.sql), over every segment file of the snapshot.
 * Same memory limit as a default `settle run`: the floor query takes the same time with it or
 * with DuckDB's default (80% of RAM), and the uniqueness group-by takes half the time with it.
 */
const [snapshot, out, query = 'floor'] = process.argv.slice(2);
if (snapshot === undefined || out === undefined || !['floor', 'unique_entry_ids'].includes(query))
  throw new Error('usage: floor.js <snapshot> <out.parquet> [floor|unique_entry_ids]');
await withDb({ memoryLimit: DEFAULT_MEMORY_LIMIT }, (db) =>
  db.run(
    renderSql(`bench/${query}.sql`, {
      files: quoteString(`${snapshot}/shard=*/date=*/*.parquet`),
      out: quoteString(out),
    }),
  ),
);
