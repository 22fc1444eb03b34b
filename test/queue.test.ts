import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runArgs, spawnCli } from './util/pipeline.js';
import { cli } from './util/cli.js';
import { readCurrent, errorLines } from './util/files.js';
import { startRedis, type RedisServer } from './util/redis.js';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { startWorker, stopWorkers, type WorkerProcess } from './util/workers.js';

/**
 * The distributed executor, with a private redis-server and real `settle worker` processes: the
 * same content checksum as the embedded run, idempotent jobs, a killed worker's task finished by
 * another, a killed coordinator resumed, a lost queue failing cleanly, errors as a local run's,
 * two coordinators publishing once, and no task for a worker of other code.
 */
const DATE = '2026-04-05';
const fixture = path.join(repoRoot, 'fixtures', 'snapshot');
let redis: RedisServer | string;
let embedded: string;
const workers: WorkerProcess[] = [];

const fixtureRun = (warehouse: string): string[] =>
  runArgs(fixture, DATE, 'ledger-snapshot-7811', '--warehouse', warehouse);
/** The fixture run through the test's queue (argv: spawned or in process). */
const queuedArgs = (warehouse: string): string[] => [
  ...fixtureRun(warehouse),
  '--queue',
  (redis as RedisServer).url,
];
const run = (warehouse: string, ...extra: string[]) => cli([...fixtureRun(warehouse), ...extra]);
const queued = (warehouse: string, ...extra: string[]) => cli([...queuedArgs(warehouse), ...extra]);

beforeAll(async () => {
  redis = await startRedis();
  const local = await run(await tempDir(), '--json');
  embedded = (JSON.parse(local.stdout) as { contentChecksum: string }).contentChecksum;
});

afterAll(async () => {
  await stopWorkers(workers.splice(0));
  if (typeof redis !== 'string') await redis.stop();
});

/** Workers that serve every test after the first (which needs a doomed worker alone). */
const pool: WorkerProcess[] = [];

async function workersUp(n: number, env: Record<string, string> = {}): Promise<WorkerProcess[]> {
  const started = await Promise.all(
    Array.from({ length: n }, () => startWorker((redis as RedisServer).url, { env })),
  );
  workers.push(...started);
  return started;
}

describe('settle run --queue (BullMQ on Redis, settle worker processes)', () => {
  it('a worker killed mid-task: the stalled job is finished by another worker, same checksum', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    const [doomed] = await workersUp(1, { SETTLE_CRASH_AT: 'task-written:scan-*' });
    const wh = await tempDir();
    const result = queued(wh, '--json');
    expect((await doomed!.exited).signal).toBe('SIGKILL');
    pool.push(...(await workersUp(1)));
    const done = await result;
    expect(done.code, done.stderr).toBe(0);
    expect((JSON.parse(done.stdout) as { contentChecksum: string }).contentChecksum).toBe(embedded);
  });

  it('publishes the embedded checksum; a rerun re-enqueues the same jobs and runs nothing again', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    pool.push(...(await workersUp(1)));
    const wh = await tempDir();
    const first = await queued(wh, '--json');
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as {
      contentChecksum: string;
      report: { timeline: Array<{ worker: string }> };
    };
    expect(result.contentChecksum).toBe(embedded);
    const lanes = new Set(result.report.timeline.map((t) => t.worker));
    expect(lanes.size, 'tasks ran on the worker processes').toBeGreaterThanOrEqual(1);
    for (const lane of lanes) expect(lane).not.toContain(`:${process.pid}`);
    const again = await queued(wh, '--json');
    const rerun = JSON.parse(again.stdout) as {
      outcome: string;
      report: { timeline: unknown[]; tasks_reused: number };
    };
    expect(rerun.outcome).toBe('already-published');
    expect(rerun.report.timeline).toEqual([]);
    expect(rerun.report.tasks_reused).toBeGreaterThan(0);
  });

  it('a task failing on bad input in a worker fails the run like a local run: exit 2, the file named', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
    const snap = await writeSnapshot(await tempDir(), [A], {
      '00': {
        segments: [{ file: 's.parquet', first_seq: 1, last_seq: 3000, rows: entries(A, 1, 3000) }],
      },
    });
    const seg = path.join(snap, 'shard=00', `date=${DATE}`, 's.parquet');
    const bytes = await readFile(seg);
    for (let i = Math.floor(bytes.length * 0.2); i < Math.floor(bytes.length * 0.6); i++)
      bytes[i] = (bytes[i]! * 7 + 3) & 0xff;
    await writeFile(seg, bytes);
    const args = runArgs(snap, DATE, 'e-1', '--warehouse', await tempDir());
    const local = await cli(args);
    const remote = await cli([...args, '--queue', (redis as RedisServer).url]);
    expect(local.code).toBe(2);
    expect(remote.code).toBe(2);
    // Which damaged page the engine trips on first depends on its threads, so the engine's
    // words may differ; the verdict, the file named and the single line may not.
    const verdict = (stderr: string) =>
      errorLines(stderr).map((line) => line.replace(/ \(.*\)$/, ''));
    expect(verdict(remote.stderr)).toEqual(verdict(local.stderr));
    expect(verdict(remote.stderr)).toEqual([`settle: ${seg}: listed input file cannot be read`]);
  });

  it('a failed error assertion over the queue exits 3 with the same line as a local run; nothing published', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    // The fixture's rejects exceed a zero reject ratio: the reject_ratio assertion (error) fails.
    const strict = ['--max-reject-ratio-bps', '0'];
    const [localWh, remoteWh] = [await tempDir(), await tempDir()];
    const local = await cli([...fixtureRun(localWh), ...strict]);
    const remote = await cli([...queuedArgs(remoteWh), ...strict, '--json']);
    expect(local.code, local.stderr).toBe(3);
    expect(remote.code, remote.stderr).toBe(3);
    // The same line but for where each run keeps its report (its own warehouse and attempt).
    const verdict = (stderr: string, wh: string) =>
      errorLines(stderr).map((line) =>
        line.replace(new RegExp(`${wh}/_runs/[^ ]+/report\\.html$`), '<report>'),
      );
    expect(verdict(remote.stderr, remoteWh)).toEqual(verdict(local.stderr, localWh));
    expect(verdict(remote.stderr, remoteWh)).toEqual([
      'settle: data-quality assertion failed: reject_ratio (1 violating rows); nothing published; the run report is <report>',
    ]);
    expect(await readCurrent(remoteWh, DATE)).toBeUndefined();
  });

  it('a coordinator killed mid-run: rerunning the command resumes and publishes once, same checksum', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    const wh = await tempDir();
    const args = queuedArgs(wh);
    const coordinator = spawnCli(args, { SETTLE_CRASH_AT: 'assertions-done' });
    expect((await coordinator).code).toBe(null);
    expect(await readCurrent(wh, DATE)).toBeUndefined();
    const rerun = await cli([...args, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const parsed = JSON.parse(rerun.stdout) as {
      outcome: string;
      contentChecksum: string;
      report: { timeline: unknown[] };
    };
    expect(parsed.outcome).toBe('published');
    expect(parsed.contentChecksum).toBe(embedded);
    expect(parsed.report.timeline, 'every task was committed before the kill').toEqual([]);
  });

  it('two coordinators of one manifest at once: one publishes, the other is a no-op', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    const wh = await tempDir();
    const args = [...queuedArgs(wh), '--json'];
    const [a, b] = await Promise.all([spawnCli(args), cli(args)]);
    const outcomes = [a, b]
      .map((r) => (JSON.parse(r.stdout) as { outcome: string }).outcome)
      .sort();
    expect(outcomes).toEqual(['already-published', 'published']);
  });

  it('a worker of other code never runs the tasks; the queue lost mid-run fails the coordinator (exit 1) and the rerun completes', async (ctx) => {
    if (typeof redis === 'string') return ctx.skip(redis);
    const server = redis;
    // The pool stops (SIGTERM: finish the tasks in hand, exit 0): only the stranger serves now.
    await stopWorkers(pool.splice(0));
    for (const w of workers) if (w.child.exitCode !== null) expect(w.child.exitCode).toBe(0);
    // Another build of settle, of other sources: its code hash, so its queue, differ.
    const other = await tempDir('settle-other-build-');
    await cp(path.join(repoRoot, 'dist'), path.join(other, 'dist'), { recursive: true });
    await cp(path.join(repoRoot, 'sql'), path.join(other, 'sql'), { recursive: true });
    await writeFile(path.join(other, 'package.json'), '{"type": "module"}\n');
    const { symlink } = await import('node:fs/promises');
    await symlink(path.join(repoRoot, 'node_modules'), path.join(other, 'node_modules'));
    await writeFile(
      path.join(other, 'dist', 'code-hash.json'),
      JSON.stringify({ code_hash: 'f'.repeat(64) }),
    );
    const stranger = await startWorker(server.url, {
      bin: path.join(other, 'dist', 'bin', 'settle.js'),
    });
    workers.push(stranger);

    const wh = await tempDir();
    process.env['SETTLE_QUEUE_LOSS_MS'] = '1500';
    const pending = queued(wh).finally(() => delete process.env['SETTLE_QUEUE_LOSS_MS']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runs = await readdir(path.join(wh, '_runs')).catch(() => []);
    const committed =
      runs.length === 0
        ? []
        : await readdir(path.join(wh, '_runs', runs[0]!, 'done')).catch(() => []);
    expect(committed, 'a worker of other code ran a task').toEqual([]);
    expect(stranger.log()).not.toMatch(/done |reused /);

    await server.stop();
    const lost = await pending;
    expect(lost.code).toBe(1);
    expect(errorLines(lost.stderr)).toHaveLength(1);
    expect(lost.stderr).toMatch(
      /queue redis:\/\/127\.0\.0\.1:\d+ is unreachable .* nothing published/,
    );
    expect(await readCurrent(wh, DATE)).toBeUndefined();

    await server.start();
    await workersUp(1);
    const rerun = await queued(wh, '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((JSON.parse(rerun.stdout) as { contentChecksum: string }).contentChecksum).toBe(
      embedded,
    );
  });
});
