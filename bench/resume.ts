import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, settleRunArgv } from './settle-run.js';

/**
 * `npm run bench:resume -- [snapshot]`: the cost of resuming after a crash in the reduce stage, as
 * a share of a full run. Full run in a fresh warehouse; then a run killed (SIGKILL) right after the
 * first reduce task commits; then the timed rerun, which reuses every committed task.
 */
const snapshot = process.argv[2] ?? path.join(repoRoot, '.bench-cache', 'snap-10m');
const runArgs = (wh: string): string[] => settleRunArgv(snapshot, 'resume-1', wh);

function timed(
  args: string[],
  env: Record<string, string> = {},
): { seconds: number; signal: NodeJS.Signals | null; status: number | null } {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    seconds: (performance.now() - started) / 1000,
    signal: result.signal,
    status: result.status,
  };
}

const full = mkdtempSync(path.join(os.tmpdir(), 'settle-resume-full-'));
const crashed = mkdtempSync(path.join(os.tmpdir(), 'settle-resume-crash-'));
try {
  const fullRun = timed(runArgs(full));
  const killed = timed(runArgs(crashed), {
    SETTLE_CRASH_AT: 'task-committed:reduce-0-p8-s8',
  });
  if (killed.signal !== 'SIGKILL') throw new Error('the crash point was not reached');
  const resumed = timed(runArgs(crashed));
  if (resumed.status !== 0 || fullRun.status !== 0) throw new Error('a run failed');
  process.stdout.write(
    `snapshot ${snapshot}: full run ${fullRun.seconds.toFixed(2)} s; killed after reduce task 0 at ${killed.seconds.toFixed(2)} s; resume ${resumed.seconds.toFixed(2)} s = ${((100 * resumed.seconds) / fullRun.seconds).toFixed(0)}% of a full run\n`,
  );
} finally {
  rmSync(full, { recursive: true, force: true });
  rmSync(crashed, { recursive: true, force: true });
}
