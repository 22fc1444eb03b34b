import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteStringList, sqlInteger } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';
import { explainOverflow, reduceOverflow } from './overflow.js';
import { scanFiles } from './partitioning.js';

/** What a reduce task writes: key totals and partial distinct customer counts of its partition. */
export const reducedFiles = { sums: 'sums.parquet', customers: 'customers.parquet' } as const;

/**
 * The reduce side of the shuffle: scan tasks wrote their outputs partitioned by reduce partition
 * (sorted by `part`, see partition_macros.sql); this task pulls its partition from every input
 * task (scan tasks and the corrections task).
 */
export async function runReduceTask(
  db: Db,
  part: number,
  inputDirs: string[],
  dir: string,
): Promise<{ part: number; keys: number; customer_keys: number }> {
  const sums = inputDirs.map((d) => path.join(d, scanFiles.sums));
  const splices = {
    sums: quoteStringList(sums),
    customers: quoteStringList(inputDirs.map((d) => path.join(d, scanFiles.customers))),
    part: sqlInteger(part),
  };
  const keys = await explainOverflow(
    () =>
      db.copyToParquet(
        renderSql('stages/reduce/reduce_sums.sql', splices),
        path.join(dir, reducedFiles.sums),
      ),
    () => reduceOverflow(db, sums, part),
  );
  const customerKeys = await db.copyToParquet(
    renderSql('stages/reduce/reduce_customers.sql', splices),
    path.join(dir, reducedFiles.customers),
  );
  return { part, keys, customer_keys: customerKeys };
}
