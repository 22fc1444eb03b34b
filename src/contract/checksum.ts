import { invalidInput } from '../errors.js';
import { quoteIdentifier, trustedSql, type SqlFragment } from '../sql/fragment.js';

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

/**
 * A row's canonical text for the content checksum (algorithm text-rows-v2): every column in
 * contract order, comma-separated; strings as JSON strings (quoted and escaped, so no value can
 * forge a separator), timestamps as epoch microseconds (independent of the session's time zone),
 * other values as DuckDB renders them (integers, ISO dates, true/false), NULL as `null`.
 */
export function checksumRowText(columns: Record<string, string>, alias: string): SqlFragment {
  const value = (name: string, type: string): string => {
    const column = `${alias}.${quoteIdentifier(name)}`;
    if (type === 'VARCHAR') return `to_json(${column})::VARCHAR`;
    if (type === 'TIMESTAMP WITH TIME ZONE') return `epoch_us(${column})::VARCHAR`;
    return `${column}::VARCHAR`;
  };
  return trustedSql(
    `concat_ws(',', ${Object.entries(columns)
      .map(([name, type]) => `coalesce(${value(name, type)}, 'null')`)
      .join(', ')})`,
  );
}
