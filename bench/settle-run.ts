import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI the benchmarks run as a child process. */
export const settleBin = path.join(repoRoot, 'dist', 'bin', 'settle.js');

/** Node argv of `settle run` on a benchmark snapshot (settlement date 2026-04-05). */
export function settleRunArgv(
  snapshot: string,
  epoch: string,
  warehouse: string,
  ...extra: string[]
): string[] {
  return [
    settleBin,
    'run',
    '--snapshot',
    snapshot,
    '--date',
    '2026-04-05',
    '--epoch',
    epoch,
    '--warehouse',
    warehouse,
    ...extra,
  ];
}
