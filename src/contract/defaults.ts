import { invalidInput } from '../errors.js';

/**
 * Engine and plan defaults shared by run, verify, worker and the benchmarks. The content
 * checksum does not depend on any of them.
 */

/** Measured at 100M entries: peak RSS 2.2 GB (5.7 GB with no limit), and faster. */
export const DEFAULT_MEMORY_LIMIT = '2GB';

/** Reduce partitions; salts default to the partition count. */
export const DEFAULT_PARTITIONS = 8;

/**
 * DuckDB threads of an engine when no `--threads` is given: `$SETTLE_THREADS` when set (a shared
 * machine, or the test suite, which runs two files at once on two cores), else all cores.
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env['SETTLE_THREADS'];
  if (raw === undefined || raw === '') return undefined;
  const threads = Number(raw);
  if (!Number.isSafeInteger(threads) || threads < 1)
    throw invalidInput(`SETTLE_THREADS ${JSON.stringify(raw)}: must be a positive integer`, {
      field: 'SETTLE_THREADS',
    });
  return threads;
}
