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
export const scanFiles = {
  sums: 'sums.parquet',
  customers: 'customers.parquet',
  rejects: 'rejects.parquet',
  /** Exact duplicate rows and the copy kept of each (only when a file holds any). */
  dupKeys: 'dup_keys.parquet',
  /** Entry ids of accepted rows (corrections only), for unique_entry_id. */
  acceptedIds: 'accepted_entry_ids.parquet',
} as const;
