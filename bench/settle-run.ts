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

/** The value after `--name` on the benchmark's command line, or `fallback`. */
export function flag(name: string, fallback: string, args = process.argv.slice(2)): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}
