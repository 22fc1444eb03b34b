import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteStringList, sqlInteger } from '../db/duckdb.js';
import { renderSql } from '../sql/load.js';
import { partitionLayout, type ShuffleSettings } from './partitioning.js';
import { copyTo, shardFiles, type ShardOutput } from './shard-scan.js';
import type { TaskStore } from './tasks.js';

export interface ReduceResult {
  /** Customer tuples plus key rows each reduce partition received, indexed by partition. */
  partition_rows: number[];
  reduced_files: string[];
}

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
  const sums = quoteStringList(shards.map((s) => path.join(s.dir, shardFiles.sums)));
  const customers = quoteStringList(shards.map((s) => path.join(s.dir, shardFiles.customers)));
  const reducedFiles: string[] = [];
  for (let part = 0; part < settings.partitions; part++) {
    const task = await store.run(`reduce-${part}-${partitionLayout(settings)}`, async (dir) => {
      const query = renderSql('stages/reduce/reduce_partition.sql', {
        sums,
        customers,
        part: sqlInteger(part),
      });
      await copyTo(db, query, path.join(dir, 'reduced.parquet'));
      return { part };
    });
    reducedFiles.push(path.join(task.dir, 'reduced.parquet'));
  }
  const partitionRows = new Array<number>(settings.partitions).fill(0);
  for (const shard of shards) {
    for (const [part, rows] of shard.result.partition_rows)
      partitionRows[part] = (partitionRows[part] ?? 0) + rows;
  }
  return { partition_rows: partitionRows, reduced_files: reducedFiles };
}
