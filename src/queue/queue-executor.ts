import { Queue, QueueEvents, type Job } from 'bullmq';
import { SettleError, runtimeFailure, type ExitCodeValue } from '../errors.js';
import type { Executor, TaskEvent } from '../stages/executor.js';
import type { TaskRecord, TaskStore } from '../stages/task-store.js';
import type { TaskSpec } from '../stages/task-specs.js';
import {
  decodeTaskError,
  jobId,
  queueName,
  redisOptions,
  type QueueAddress,
  type TaskJobData,
  withDeadline,
} from './connection.js';

/**
 * How long the queue may be unreachable before the coordinator gives the run up
 * (SETTLE_QUEUE_LOSS_MS, default 5 s).
 */
function queueLossMs(): number {
  const ms = Number(process.env['SETTLE_QUEUE_LOSS_MS']);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : 5_000;
}
const KEEP_JOBS = { age: 7 * 24 * 3600 };

/**
 * Runs a run's tasks on `settle worker` processes through a BullMQ queue on Redis. Each task is a
 * job whose id derives from the manifest and the task, so enqueueing a run again (a coordinator
 * rerun, or a second coordinator) adds nothing; whatever a worker runs is committed by rename
 * under the shared run directory, the single source of truth.
 */
export class QueueExecutor implements Executor {
  private constructor(
    private readonly address: QueueAddress,
    private readonly queue: Queue<TaskJobData, TaskRecord<unknown>>,
    private readonly events: QueueEvents,
    private readonly run0: { runDir: string; manifestSha: string; codeHash: string },
    private readonly store: TaskStore,
    private readonly signal?: AbortSignal,
  ) {}

  static async open(
    address: QueueAddress,
    store: TaskStore,
    manifestSha: string,
    signal?: AbortSignal,
  ): Promise<QueueExecutor> {
    const run = { runDir: store.runDir, manifestSha, codeHash: store.codeHash };
    const connection = redisOptions(address);
    const name = queueName(run.codeHash);
    const queue = new Queue<TaskJobData, TaskRecord<unknown>>(name, { connection });
    const events = new QueueEvents(name, { connection });
    queue.on('error', () => undefined); // reported by the watchdog, once, as one line
    events.on('error', () => undefined);
    const executor = new QueueExecutor(address, queue, events, run, store, signal);
    try {
      await withDeadline(
        Promise.all([queue.waitUntilReady(), events.waitUntilReady()]),
        queueLossMs(),
      );
    } catch (err) {
      await executor.close();
      throw executor.lost(err);
    }
    return executor;
  }

  async run(
    specs: TaskSpec[],
    onTask?: (event: TaskEvent) => void,
  ): Promise<Array<TaskRecord<unknown>>> {
    const watchdog = this.watchdog();
    const records = new Array<TaskRecord<unknown>>(specs.length);
    let done = 0;
    const report = (i: number, record: TaskRecord<unknown>): void => {
      records[i] = record;
      done++;
      onTask?.({ spec: specs[i] as TaskSpec, record, done, total: specs.length });
    };
    try {
      // Tasks committed by an earlier attempt are read from the run directory, not enqueued.
      const pending: number[] = [];
      for (const [i, spec] of specs.entries()) {
        const committed = await this.store.committed(spec.id);
        if (committed !== undefined) report(i, committed);
        else pending.push(i);
      }
      const jobs = await Promise.race([
        Promise.all(pending.map((i) => this.enqueue(specs[i] as TaskSpec))),
        watchdog.lost,
      ]);
      await Promise.race([
        Promise.all(
          jobs.map(async (job, j) => {
            const i = pending[j] as number;
            report(i, await this.finished(job, specs[i] as TaskSpec));
          }),
        ),
        watchdog.lost,
      ]);
      return records;
    } finally {
      watchdog.stop();
    }
  }

  /** Closes the connections; when the queue is gone, closing cannot wait for it: disconnect. */
  async close(): Promise<void> {
    try {
      await withDeadline(Promise.all([this.queue.close(), this.events.close()]), 2_000);
    } catch {
      // Not awaited: with the server gone, a disconnect may never see the connection's end.
      void this.queue.disconnect().catch(() => undefined);
      void this.events.disconnect().catch(() => undefined);
    }
  }

  private async enqueue(spec: TaskSpec): Promise<Job<TaskJobData, TaskRecord<unknown>>> {
    const add = (): Promise<Job<TaskJobData, TaskRecord<unknown>>> =>
      this.queue.add(
        spec.kind,
        { ...this.run0, spec },
        {
          jobId: jobId(this.run0.runDir, this.run0.manifestSha, spec.id),
          removeOnComplete: KEEP_JOBS,
          removeOnFail: KEEP_JOBS,
        },
      );
    const job = await add();
    const state = await job.getState();
    // A job that failed in an earlier attempt of this run is tried again, not reported again.
    if (state === 'failed') await job.retry('failed');
    // One that completed but whose output is gone (the run directory was cleaned) runs again.
    if (state === 'completed') {
      await job.remove();
      return add();
    }
    return job;
  }

  private async finished(
    job: Job<TaskJobData, TaskRecord<unknown>>,
    spec: TaskSpec,
  ): Promise<TaskRecord<unknown>> {
    try {
      return await job.waitUntilFinished(this.events);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const known = decodeTaskError(reason);
      if (known !== undefined)
        throw new SettleError(known.message, known.exitCode as ExitCodeValue);
      throw runtimeFailure(`task ${spec.id} failed on a worker: ${reason.split('\n')[0]}`);
    }
  }

  /**
   * Rejects `lost` once the queue has not answered a ping for queueLossMs(), or when the run is
   * stopped (the jobs go on on the workers, and what they commit is reused by the rerun).
   */
  private watchdog(): { lost: Promise<never>; stop: () => void } {
    let timer: NodeJS.Timeout | undefined;
    let lastOk = Date.now();
    const lost = new Promise<never>((_, reject) => {
      const signal = this.signal;
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      const check = async (): Promise<void> => {
        try {
          await withDeadline(
            this.queue.client.then((client) => client.ping()),
            1_000,
          );
          lastOk = Date.now();
        } catch (err) {
          if (Date.now() - lastOk >= queueLossMs()) {
            reject(this.lost(err));
            return;
          }
        }
        timer = setTimeout(() => void check(), 500);
      };
      timer = setTimeout(() => void check(), 500);
    });
    lost.catch(() => undefined);
    return { lost, stop: () => clearTimeout(timer) };
  }

  private lost(err: unknown): Error {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return runtimeFailure(
      `queue ${this.address.url} is unreachable (${why}); nothing published: rerun the same command once the queue is back (committed tasks are kept)`,
    );
  }
}
