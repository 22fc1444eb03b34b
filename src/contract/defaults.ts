/**
 * Engine and plan defaults shared by run, verify, worker and the benchmarks. The content
 * checksum does not depend on any of them.
 */

/** Measured at 100M entries: peak RSS 2.2 GB (5.7 GB with no limit), and faster. */
export const DEFAULT_MEMORY_LIMIT = '2GB';

/** Reduce partitions; salts default to the partition count. */
export const DEFAULT_PARTITIONS = 8;
