import { createHash } from 'node:crypto';
import { invalidInput } from '../errors.js';
import type { TaskSpec } from '../stages/task-specs.js';

/** Where the queue lives: `redis://[:password@]host:port[/db]` (or `rediss://` for TLS). */
export interface QueueAddress {
  url: string;
  host: string;
  port: number;
  password?: string;
  db?: number;
  tls: boolean;
}

export function parseQueueUrl(url: string, flag = '--queue'): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(`${flag} ${JSON.stringify(url)}: expected redis://HOST:PORT`, {
      field: 'queue',
    });
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (
    !['redis:', 'rediss:'].includes(parsed.protocol) ||
    parsed.hostname === '' ||
    !/^\d*$/.test(db)
  )
    throw invalidInput(`${flag} ${JSON.stringify(url)}: expected redis://HOST:PORT`, {
      field: 'queue',
    });
  return {
    url: `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${db ? `/${db}` : ''}`,
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: parsed.protocol === 'rediss:',
  };
}

/** ioredis options for BullMQ (blocking connections need maxRetriesPerRequest: null). */
export function redisOptions(address: QueueAddress): {
  host: string;
  port: number;
  password?: string;
  db?: number;
  tls?: object;
  maxRetriesPerRequest: null;
} {
  return {
    host: address.host,
    port: address.port,
    password: address.password,
    db: address.db,
    tls: address.tls ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * One queue per code version: a worker only ever sees the tasks of runs planned by the same code
 * (the code hash keys committed task outputs too), so a worker of another version cannot run them.
 */
export function queueName(codeHash: string): string {
  return `settle-${codeHash.slice(0, 16)}`;
}

/**
 * Job ids derive from the run (its manifest and the run directory it commits into: the same
 * manifest run into two warehouses is two runs) and the task; the code hash names the queue.
 * Re-enqueueing the same task of the same run adds nothing.
 */
export function jobId(runDir: string, manifestSha: string, taskId: string): string {
  const run = createHash('sha256').update(`${runDir}\0${manifestSha}`).digest('hex').slice(0, 32);
  return `${run}.${taskId}`;
}

/** What a job carries: enough for any worker that sees the shared run directory. */
export interface TaskJobData {
  runDir: string;
  manifestSha: string;
  codeHash: string;
  spec: TaskSpec;
}

/**
 * A task that failed on input the user can fix travels through the queue as an error message;
 * this prefix carries its exit code so the coordinator fails exactly as a local run would.
 */
const PREFIX = 'settle-error ';

export function encodeTaskError(exitCode: number, message: string): string {
  return `${PREFIX}${JSON.stringify({ exitCode, message })}`;
}

export function decodeTaskError(reason: string): { exitCode: number; message: string } | undefined {
  if (!reason.startsWith(PREFIX)) return undefined;
  try {
    return JSON.parse(reason.slice(PREFIX.length)) as { exitCode: number; message: string };
  } catch {
    return undefined;
  }
}

/** `promise`, or a rejection after `ms`: a queue that is gone never answers. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
