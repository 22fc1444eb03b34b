import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Db, type EngineSettings } from '../db/duckdb.js';
import { SettleError } from '../errors.js';
import { manifestSchema } from '../contract/manifest.js';
import { executeTask } from '../stages/execute-task.js';
import { loadReferenceTables, type TaskContext } from '../stages/task-context.js';
import { TaskStore, type TaskRecord } from '../stages/task-store.js';
import { codeHash } from '../util/code-hash.js';
import { sha256Text } from '../util/sha256.js';
import {
  encodeTaskError,
  queueName,
  redisOptions,
  withDeadline,
  type QueueAddress,
  type TaskJobData,
} from './connection.js';

export interface WorkerOptions {
  address: QueueAddress;
  concurrency: number;
  engine: EngineSettings;
  /** How long a task's lock lives without renewal: a dead worker's task is taken over after it. */
  lockDurationMs: number;
  log: (line: string) => void;
}

/**
 * `settle worker`: runs tasks from the queue of this code version until `stop` resolves, then
 * finishes the tasks in hand and closes. Each concurrent slot has its own engine with the run's
 * reference tables, kept for the next task of the same run.
 */
export async function runWorker(options: WorkerOptions, stop: Promise<void>): Promise<void> {
  const name = `${hostname()}:${process.pid}`;
  const contexts = new ContextPool(options.engine, name);
  const inFlight = new Set<Promise<unknown>>();
  const worker = new Worker<TaskJobData, TaskRecord<unknown>>(
    queueName(codeHash()),
    (job) => {
      const running = processJob(job, contexts, options.log);
      inFlight.add(running);
      void running.catch(() => undefined).finally(() => inFlight.delete(running));
      return running;
    },
    {
      connection: redisOptions(options.address),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1_000, Math.floor(options.lockDurationMs / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (err) => options.log(`queue error: ${err.message.split('\n')[0]}`));
  await worker.waitUntilReady();
  options.log(
    `worker ${name} serving ${queueName(codeHash())} on ${options.address.url} (concurrency ${options.concurrency})`,
  );
  await stop;
  options.log(`worker ${name}: stopping, finishing the tasks in hand`);
  void worker.pause(true).catch(() => undefined);
  await Promise.allSettled([...inFlight]);
  // The tasks in hand are committed (or failed); closing must not wait on a queue that is gone.
  try {
    await withDeadline(worker.close(), 3_000);
  } catch {
    void worker.disconnect().catch(() => undefined);
  }
  contexts.closeAll();
}

async function processJob(
  job: Job<TaskJobData, TaskRecord<unknown>>,
  contexts: ContextPool,
  log: (line: string) => void,
): Promise<TaskRecord<unknown>> {
  const { spec, runDir, manifestSha } = job.data;
  if (job.data.codeHash !== codeHash())
    throw new Error(
      `task ${spec.id} was planned by other code (${job.data.codeHash.slice(0, 16)})`,
    );
  const ctx = await contexts.acquire(runDir, manifestSha);
  const started = performance.now();
  try {
    const record = await ctx.store.run(spec.id, (dir) => executeTask(ctx, spec, dir));
    log(
      `${record.reused ? 'reused' : 'done'} ${spec.id} (${((performance.now() - started) / 1000).toFixed(2)} s)`,
    );
    return record;
  } catch (err) {
    log(`failed ${spec.id}: ${(err as Error).message.split('\n')[0]}`);
    if (err instanceof SettleError) throw new Error(encodeTaskError(err.exitCode, err.message));
    throw err;
  } finally {
    contexts.release(runDir, manifestSha, ctx);
  }
}

/**
 * Engines with a run's reference tables loaded, one per concurrent slot, reused across tasks.
 * Keyed by run directory and manifest: two warehouses can freeze the same manifest, and a
 * context's task store belongs to one run directory.
 */
class ContextPool {
  private readonly idle = new Map<string, TaskContext[]>();
  private readonly recent: string[] = [];

  constructor(
    private readonly engine: EngineSettings,
    private readonly worker: string,
  ) {}

  async acquire(runDir: string, manifestSha: string): Promise<TaskContext> {
    const ready = this.idle.get(runKey(runDir, manifestSha))?.pop();
    if (ready !== undefined) return ready;
    const text = await readFile(path.join(runDir, 'manifest.json'), 'utf8');
    if (sha256Text(text) !== manifestSha)
      throw new Error(`${runDir}/manifest.json is not the manifest ${manifestSha.slice(0, 16)}`);
    const manifest = manifestSchema.parse(JSON.parse(text));
    const tempDir = this.engine.tempDir ?? path.join(runDir, 'spill', `worker-${process.pid}`);
    await mkdir(tempDir, { recursive: true });
    const db = await Db.open({ ...this.engine, tempDir });
    await loadReferenceTables(db, manifest);
    const store = new TaskStore(runDir, `worker-${process.pid}`, codeHash(), this.worker);
    return { db, manifest, store, memoryLimit: this.engine.memoryLimit };
  }

  /** Keeps the engines of the two most recent runs; older ones are closed. */
  release(runDir: string, manifestSha: string, ctx: TaskContext): void {
    const key = runKey(runDir, manifestSha);
    const list = this.idle.get(key) ?? [];
    list.push(ctx);
    this.idle.set(key, list);
    const at = this.recent.indexOf(key);
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.push(key);
    while (this.recent.length > 2) {
      const old = this.recent.shift() as string;
      for (const c of this.idle.get(old) ?? []) c.db.close();
      this.idle.delete(old);
    }
  }

  closeAll(): void {
    for (const list of this.idle.values()) for (const c of list) c.db.close();
    this.idle.clear();
  }
}

function runKey(runDir: string, manifestSha: string): string {
  return `${path.resolve(runDir)}\0${manifestSha}`;
}
