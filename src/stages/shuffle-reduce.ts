import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteStringList, sqlInteger } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';
import { partitionLayout, shardFiles, type ShuffleSettings } from './partitioning.js';
import type { ShardOutput } from './shard-scan.js';
import type { TaskStore } from './tasks.js';

export interface ReduceResult {
  /** Customer tuples plus key rows each reduce partition received, indexed by partition. */
  partition_rows: number[];
  /** Per partition: key totals (one row per key) and partial distinct customer counts. */
  reduced: { sums: string[]; customers: string[] };
}

const reducedFiles = { sums: 'sums.parquet', customers: 'customers.parquet' } as const;

/**
 * The reduce side of the shuffle: scan tasks wrote their outputs partitioned by reduce partition
 * (sorted by `part`, see partition_macros.sql); each reduce task pulls its partition from every
 * shard's outputs. The reduced files feed the assembly of published rows.
 */
export async function runReduce(
  db: Db,
  shards: ShardOutput[],
  store: TaskStore,
  settings: ShuffleSettings,
): Promise<ReduceResult> {
  const inputs = {
    sums: quoteStringList(shards.map((s) => path.join(s.dir, shardFiles.sums))),
    customers: quoteStringList(shards.map((s) => path.join(s.dir, shardFiles.customers))),
  };
  const reduced: ReduceResult['reduced'] = { sums: [], customers: [] };
  for (let part = 0; part < settings.partitions; part++) {
    const task = await store.run(`reduce-${part}-${partitionLayout(settings)}`, async (dir) => {
      const splices = { ...inputs, part: sqlInteger(part) };
      await db.copyToParquet(
        renderSql('stages/reduce/reduce_sums.sql', splices),
        path.join(dir, reducedFiles.sums),
      );
      await db.copyToParquet(
        renderSql('stages/reduce/reduce_customers.sql', splices),
        path.join(dir, reducedFiles.customers),
      );
      return { part };
    });
    reduced.sums.push(path.join(task.dir, reducedFiles.sums));
    reduced.customers.push(path.join(task.dir, reducedFiles.customers));
  }
  const partitionRows = new Array<number>(settings.partitions).fill(0);
  for (const shard of shards) {
    for (const [part, rows] of shard.result.partition_rows)
      partitionRows[part] = (partitionRows[part] ?? 0) + rows;
  }
  return { partition_rows: partitionRows, reduced };
}
