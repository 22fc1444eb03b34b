// `node bench/floor.mjs <snapshot> <out.parquet> [floor|unique_entry_ids]`: a bare DuckDB query
// the pipeline is held to (sql/bench/<query>.sql), over every segment file of the snapshot.
// Standalone on purpose (only @duckdb/node-api): it is measured as its own process, so it must
// pay nothing the bare query would not. Each query under the memory limit the pipeline gives the
// same work, the fastest known for it on this machine: the floor under a default `settle run`'s
// 2GB (the same time as DuckDB's default, 80% of RAM), the uniqueness group-by under the 512MB
// the pipeline's entry-id check runs with (8.7 s against 12.6 s at 2GB over 100M ids), so that
// floor + unique ids stays a lower bound.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [snapshot, out, query = 'floor'] = process.argv.slice(2);
if (snapshot === undefined || out === undefined || !['floor', 'unique_entry_ids'].includes(query))
  throw new Error('usage: floor.mjs <snapshot> <out.parquet> [floor|unique_entry_ids]');
const quote = (value) => `'${value.replaceAll("'", "''")}'`;
const sql = readFileSync(new URL(`../sql/bench/${query}.sql`, import.meta.url), 'utf8')
  .replaceAll('{{files}}', quote(`${snapshot}/shard=*/date=*/*.parquet`))
  .replaceAll('{{out}}', quote(out));
const memoryLimit = query === 'unique_entry_ids' ? '512MiB' : '2GB';
const instance = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit });
const connection = await instance.connect();
await connection.run(sql);
connection.closeSync();
instance.closeSync();
