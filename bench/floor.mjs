// `node bench/floor.mjs <snapshot> <out.parquet> [floor|unique_entry_ids]`: a bare DuckDB query
// the pipeline is held to (sql/bench/<query>.sql), over every segment file of the snapshot.
// Standalone on purpose (only @duckdb/node-api): it is measured as its own process, so it must
// pay nothing the bare query would not. Same memory limit as a default `settle run` (2GB): the
// floor query takes the same time with it or with DuckDB's default (80% of RAM), and the
// uniqueness group-by takes half the time with it.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [snapshot, out, query = 'floor'] = process.argv.slice(2);
if (snapshot === undefined || out === undefined || !['floor', 'unique_entry_ids'].includes(query))
  throw new Error('usage: floor.mjs <snapshot> <out.parquet> [floor|unique_entry_ids]');
const quote = (value) => `'${value.replaceAll("'", "''")}'`;
const sql = readFileSync(new URL(`../sql/bench/${query}.sql`, import.meta.url), 'utf8')
  .replaceAll('{{files}}', quote(`${snapshot}/shard=*/date=*/*.parquet`))
  .replaceAll('{{out}}', quote(out));
const instance = await DuckDBInstance.create(':memory:', { memory_limit: '2GB' });
const connection = await instance.connect();
await connection.run(sql);
connection.closeSync();
instance.closeSync();
