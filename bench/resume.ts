import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag, repoRoot, settleRunArgv } from './settle-run.js';
import { writeSection } from './sections.js';

/**
 * `npm run bench:resume -- [--sizes 10m,100m]`: the cost of resuming after a crash in the reduce
 * stage, as a share of a full run, on the snapshots `npm run bench` generated. Full run in a fresh
 * warehouse; then a run killed (SIGKILL) right after the first reduce task commits; then the timed
 * rerun, which reuses every committed task. Writes the `resume` section of BENCHMARKS.md.
 */
const sizes = flag('--sizes', '10m,100m').split(',');

interface Timed {
  seconds: number;
  signal: NodeJS.Signals | null;
  status: number | null;
}

function timed(argv: string[], env: Record<string, string> = {}): Timed {
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    seconds: (performance.now() - started) / 1000,
    signal: result.signal,
    status: result.status,
  };
}

function measureResume(size: string): string {
  const snapshot = path.join(repoRoot, '.bench-cache', `snap-${size}`);
  const runArgs = (wh: string): string[] => settleRunArgv(snapshot, 'resume-1', wh, '--quiet');
  const full = mkdtempSync(path.join(os.tmpdir(), 'settle-resume-full-'));
  const crashed = mkdtempSync(path.join(os.tmpdir(), 'settle-resume-crash-'));
  try {
    const fullRun = timed(runArgs(full));
    const killed = timed(runArgs(crashed), { SETTLE_CRASH_AT: 'task-committed:reduce-0-*' });
    if (killed.signal !== 'SIGKILL') throw new Error(`${size}: the crash point was not reached`);
    const resumed = timed(runArgs(crashed));
    if (resumed.status !== 0 || fullRun.status !== 0) throw new Error(`${size}: a run failed`);
    process.stderr.write(
      `${size}: full ${fullRun.seconds.toFixed(2)} s, resume ${resumed.seconds.toFixed(2)} s\n`,
    );
    return `| ${size} | ${fullRun.seconds.toFixed(2)} s | ${killed.seconds.toFixed(2)} s | ${resumed.seconds.toFixed(2)} s | ${((100 * resumed.seconds) / fullRun.seconds).toFixed(0)}% |`;
  } finally {
    rmSync(full, { recursive: true, force: true });
    rmSync(crashed, { recursive: true, force: true });
  }
}

const rows = sizes.map(measureResume);
await writeSection(
  path.join(repoRoot, 'BENCHMARKS.md'),
  'resume',
  `## Resume after a crash in the reduce stage

Produced by \`npm run bench:resume -- --sizes ${sizes.join(',')}\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores): a full run in a fresh
warehouse; a second run SIGKILLed right after its first reduce task commits
(\`SETTLE_CRASH_AT=task-committed:reduce-0-*\`); then the timed rerun of the same command, which
reuses every committed scan, entry-id and reduce task.

| snapshot | full run | killed at | resume | resume / full |
|---|---|---|---|---|
${rows.join('\n')}

The resume re-hashes every input file (the manifest is rebuilt, or re-verified with
\`--manifest\`), runs the remaining reduce tasks, assembly, assertions and publish.`,
);
