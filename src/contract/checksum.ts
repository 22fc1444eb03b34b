import { invalidInput } from '../errors.js';

/**
 * How a version's content checksum is computed (sql/stages/publish/content_checksum_*.sql).
 * `_SUCCESS` records the algorithm; one written before it was recorded used json-rows-v1. Verify
 * and the same-id no-op recompute a version's checksum with the algorithm it records, so a
 * version stays verifiable when the algorithm for new versions changes.
 */
export const CHECKSUM_ALGORITHMS = ['json-rows-v1', 'text-rows-v2'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** What new versions are checksummed with. */
export const CHECKSUM_ALGORITHM: ChecksumAlgorithm = 'text-rows-v2';

/** What a `_SUCCESS` without `checksum_algorithm` was checksummed with. */
export const LEGACY_CHECKSUM_ALGORITHM: ChecksumAlgorithm = 'json-rows-v1';

/** The checksum header line of one file set: its name, then every column with its type. */
export function checksumHeader(name: string, columns: Record<string, string>): string {
  return `${name} ${Object.entries(columns)
    .map(([column, type]) => `${column} ${type}`)
    .join(', ')}`;
}

/** The algorithm a `_SUCCESS` records (json-rows-v1 when it records none). */
export function checksumAlgorithmOf(marker: {
  version: string;
  checksum_algorithm?: string;
}): ChecksumAlgorithm {
  const named = marker.checksum_algorithm ?? LEGACY_CHECKSUM_ALGORITHM;
  const known = CHECKSUM_ALGORITHMS.find((a) => a === named);
  if (known === undefined)
    throw invalidInput(
      `version ${marker.version} was checksummed with ${named}, which this settle does not know (known: ${CHECKSUM_ALGORITHMS.join(', ')})`,
      { field: 'checksum_algorithm' },
    );
  return known;
}
