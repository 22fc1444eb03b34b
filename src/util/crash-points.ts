/**
 * Deterministic fault injection for the crash-safety suite: when SETTLE_CRASH_AT names this point
 * (optionally `name#k` for its k-th occurrence), the process kills itself with SIGKILL, exactly
 * like a machine failure: no cleanup, no finally blocks. SETTLE_FAIL_AT=name throws ENOSPC there
 * instead (a full disk). A name ending in `*` matches every point it begins (task ids carry
 * digests). Unset in normal runs, these cost one comparison.
 */
const seen = new Map<string, number>();

export function crashPoint(name: string): void {
  const crashAt = process.env['SETTLE_CRASH_AT'];
  const failAt = process.env['SETTLE_FAIL_AT'];
  if (crashAt === undefined && failAt === undefined) return;
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  if (matches(crashAt, name, count)) process.kill(process.pid, 'SIGKILL');
  if (matches(failAt, name, count)) {
    const error = new Error(
      `ENOSPC: no space left on device (simulated at ${name})`,
    ) as NodeJS.ErrnoException;
    error.code = 'ENOSPC';
    throw error;
  }
}

function matches(wanted: string | undefined, name: string, count: number): boolean {
  if (wanted === undefined) return false;
  if (wanted.endsWith('*')) return name.startsWith(wanted.slice(0, -1));
  return wanted === name || wanted === `${name}#${count}`;
}
