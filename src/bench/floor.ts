import { withDb, quoteString } from '../db/duckdb.js';
import { renderSql } from '../sql/load.js';

/** `node dist/bench/floor.js <snapshot> <out.parquet>`: the bare DuckDB query the pipeline is held to. */
const [snapshot, out] = process.argv.slice(2);
if (snapshot === undefined || out === undefined)
  throw new Error('usage: floor.js <snapshot> <out.parquet>');
await withDb({}, (db) =>
  db.run(
    renderSql('bench/floor.sql', {
      files: quoteString(`${snapshot}/shard=*/date=*/*.parquet`),
      out: quoteString(out),
    }),
  ),
);
