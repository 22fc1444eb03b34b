import type { Db } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';

/**
 * How scan outputs are partitioned for the reduce side (the shuffle). Scan tasks write every
 * output row with its reduce partition and sorted by it (sql/stages/shuffle/partition_macros.sql);
 * reduce task p reads partition p from every scan task.
 */
export interface ShuffleSettings {
  /** Number of reduce partitions. */
  partitions: number;
  /** Partitions a key's customer tuples are salted over (1 = no salting; at most `partitions`). */
  salts: number;
}

/** The files a scan task writes into its task directory (the map side of the shuffle). */
export const shardFiles = {
  sums: 'sums.parquet',
  customers: 'customers.parquet',
  rejects: 'rejects.parquet',
} as const;

/** Part of every task name whose output depends on the partitioning. */
export function partitionLayout(settings: ShuffleSettings): string {
  return `p${settings.partitions}-s${settings.salts}`;
}

/** Rows per reduce partition in a scan task's partitioned outputs (the skew measure). */
export async function partitionRows(db: Db, files: string[]): Promise<Array<[number, number]>> {
  const counts = new Map<number, number>();
  for (const file of files) {
    const rows = await db.all<{ part: number; rows: bigint }>(
      renderSql('stages/shuffle/partition_rows.sql', { file: quoteString(file) }),
    );
    for (const r of rows) counts.set(r.part, (counts.get(r.part) ?? 0) + Number(r.rows));
  }
  return [...counts.entries()];
}
