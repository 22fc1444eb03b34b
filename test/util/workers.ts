import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './pipeline.js';
import { until } from './redis.js';

/** A `settle worker` child process and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `settle worker` (the built CLI, or another build's) and waits until it serves. */
export async function startWorker(
  queue: string,
  options: { env?: Record<string, string>; args?: string[]; bin?: string } = {},
): Promise<WorkerProcess> {
  const bin = options.bin ?? path.join(repoRoot, 'dist', 'bin', 'settle.js');
  const child = spawn(
    process.execPath,
    [bin, 'worker', '--queue', queue, '--lock-duration', '1000', ...(options.args ?? [])],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await until(() => log.includes(' serving ') || child.exitCode !== null, 10_000);
  if (!log.includes(' serving ')) throw new Error(`worker did not start: ${log}`);
  return { child, log: () => log, exited };
}

/** SIGTERM, then the exit; a worker still running 10 s later is killed and reported. */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  const stuck: string[] = [];
  await Promise.all(
    workers.map(async (w) => {
      if (w.child.exitCode !== null || w.child.signalCode !== null) return;
      w.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        stuck.push(w.log());
        w.child.kill('SIGKILL');
      }, 10_000);
      await w.exited;
      clearTimeout(timer);
    }),
  );
  if (stuck.length > 0)
    throw new Error(`worker(s) did not stop on SIGTERM:\n${stuck.join('\n---\n')}`);
}
