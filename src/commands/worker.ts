import type { Command } from 'commander';
import { DEFAULT_MEMORY_LIMIT } from '../contract/defaults.js';
import { parseQueueUrl } from '../queue/connection.js';
import { memoryLimit, positiveInt } from './options.js';
import { printErr } from './output.js';

interface WorkerFlags {
  queue?: string;
  concurrency: number;
  threads?: number;
  memoryLimit: string;
  lockDuration: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run tasks of `settle run --queue` runs from a shared BullMQ queue on Redis until SIGTERM or SIGINT (snapshot and warehouse at the same paths as the coordinator)',
    )
    .option('--queue <url>', 'redis://HOST:PORT (default $SETTLE_QUEUE)')
    .option('--concurrency <n>', 'tasks at once (each with its own engine)', positiveInt, 1)
    .option('--threads <n>', 'DuckDB threads per task (default: all cores)', positiveInt)
    .option(
      '--memory-limit <size>',
      'DuckDB memory limit per task',
      memoryLimit,
      DEFAULT_MEMORY_LIMIT,
    )
    .option(
      '--lock-duration <ms>',
      'a task whose worker stops renewing its lock this long is taken over by another worker',
      positiveInt,
      30_000,
    )
    .addHelpText(
      'after',
      '\nExample:\n  settle worker --queue redis://10.0.0.5:6379 --concurrency 2 --threads 4\n',
    )
    .action(async (flags: WorkerFlags) => {
      const address = parseQueueUrl(flags.queue ?? process.env['SETTLE_QUEUE'] ?? '', '--queue');
      const stop = new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      const { runWorker } = await import('../queue/worker.js');
      await runWorker(
        {
          address,
          concurrency: flags.concurrency,
          engine: { threads: flags.threads, memoryLimit: flags.memoryLimit },
          lockDurationMs: flags.lockDuration,
          log: (line) => printErr(`settle worker: ${line}`),
        },
        stop,
      );
    });
}
