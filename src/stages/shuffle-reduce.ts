import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString, quoteStringList } from '../db/duckdb.js';
import { renderSql } from '../sql/load.js';
import { copyTo, shardFiles, type ShardOutput } from './shard-scan.js';
import type { TaskStore } from './tasks.js';

export interface ShuffleSettings {
  /** Number of reduce partitions. */
  partitions: number;
  /** Salt buckets a hot key is spread over (at most `partitions`). */
  salts: number;
  /** A key is hot when one shard holds more distinct customer tuples for it than this. */
  saltThreshold: number;
}

export interface ReduceResult {
  hot_keys: number;
  /** Customer tuples plus key rows each reduce partition received, indexed by partition. */
  partition_rows: number[];
  reduced_files: string[];
}

const shuffled = { sums: 'sums-by-part.parquet', customers: 'customers-by-part.parquet' } as const;

/**
 * Shuffles the shards' pre-aggregates by (merchant_id, currency) into reduce partitions,
 * salting hot keys, and reduces each partition. The outputs feed the assembly of published rows.
 */
export async function runShuffleReduce(
  db: Db,
  shards: ShardOutput[],
  store: TaskStore,
  settings: ShuffleSettings,
): Promise<ReduceResult> {
  const sumsFiles = shards.map((s) => path.join(s.dir, shardFiles.sums));
  await db.run(renderSql('stages/shuffle/hot_keys.sql', { sums: quoteStringList(sumsFiles) }), {
    threshold: settings.saltThreshold,
  });
  const hotKeys = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM hot_keys');
  const layout = `p${settings.partitions}-s${settings.salts}-t${settings.saltThreshold}`;

  const shuffleDirs: string[] = [];
  const partitionRows = new Array<number>(settings.partitions).fill(0);
  for (const shard of shards) {
    const task = await store.run(`shuffle-${shard.result.shard.shard_id}-${layout}`, (dir) =>
      shuffleShard(db, shard.dir, dir, settings),
    );
    shuffleDirs.push(task.dir);
    for (const [part, rows] of task.result) partitionRows[part] = (partitionRows[part] ?? 0) + rows;
  }

  const shuffledSums = quoteStringList(shuffleDirs.map((d) => path.join(d, shuffled.sums)));
  const shuffledCustomers = quoteStringList(
    shuffleDirs.map((d) => path.join(d, shuffled.customers)),
  );
  const reducedFiles: string[] = [];
  for (let part = 0; part < settings.partitions; part++) {
    const task = await store.run(`reduce-${part}-${layout}`, async (dir) => {
      const query = renderSql('stages/reduce/reduce_partition.sql', {
        sums: shuffledSums,
        customers: shuffledCustomers,
      });
      await copyTo(db, query, path.join(dir, 'reduced.parquet'), { part });
      return { part };
    });
    reducedFiles.push(path.join(task.dir, 'reduced.parquet'));
  }
  return {
    hot_keys: Number(hotKeys.n),
    partition_rows: partitionRows,
    reduced_files: reducedFiles,
  };
}

/** Writes one shard's tuples and key totals sorted by reduce partition; returns rows per partition. */
async function shuffleShard(
  db: Db,
  shardDir: string,
  dir: string,
  settings: ShuffleSettings,
): Promise<Array<[number, number]>> {
  const params = { partitions: settings.partitions, salts: settings.salts };
  const customers = renderSql('stages/shuffle/route_customers.sql', {
    customers: quoteString(path.join(shardDir, shardFiles.customers)),
  });
  const sums = renderSql('stages/shuffle/route_sums.sql', {
    sums: quoteString(path.join(shardDir, shardFiles.sums)),
  });
  await copyTo(db, customers, path.join(dir, shuffled.customers), params);
  await copyTo(db, sums, path.join(dir, shuffled.sums), { partitions: settings.partitions });
  const counts = new Map<number, number>();
  for (const file of [shuffled.customers, shuffled.sums]) {
    const rows = await db.all<{ part: number; rows: bigint }>(
      renderSql('stages/shuffle/partition_rows.sql', { file: quoteString(path.join(dir, file)) }),
    );
    for (const r of rows) counts.set(r.part, (counts.get(r.part) ?? 0) + Number(r.rows));
  }
  return [...counts.entries()];
}
