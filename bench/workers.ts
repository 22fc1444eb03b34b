import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisServer } from '../test/util/redis.js';
import { startWorker, stopWorkers, type WorkerProcess } from '../test/util/workers.js';
import { flag, repoRoot, settleRunArgv } from './settle-run.js';
import { writeSection } from './sections.js';

/**
 * `npm run bench:workers -- [--sizes 10m,100m] [--rounds 2]`: the same run on the embedded
 * executor and through BullMQ with one and two `settle worker` processes (a private redis-server,
 * everything on this machine), alternating, medians. Writes the `workers` section of BENCHMARKS.md.
 */
const sizes = flag('--sizes', '10m,100m').split(',');
const rounds = Number(flag('--rounds', '2'));

interface Setup {
  label: string;
  workers: Array<string[]>;
}
const setups: Setup[] = [
  { label: 'embedded (in the `settle run` process)', workers: [] },
  { label: 'queue, 1 worker (`--threads 2`)', workers: [['--threads', '2']] },
  {
    label: 'queue, 2 workers (`--threads 1` each)',
    workers: [
      ['--threads', '1'],
      ['--threads', '1'],
    ],
  },
];

interface RunMeasure {
  seconds: number;
  checksum: string;
  tasks: number;
}

function settleRun(snapshot: string, warehouse: string, queue?: string): Promise<RunMeasure> {
  const argv = settleRunArgv(snapshot, 'bench-1', warehouse, '--json', '--quiet');
  if (queue) argv.push('--queue', queue);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`settle run failed (${code}): ${stderr}`));
      const result = JSON.parse(stdout) as {
        contentChecksum: string;
        report: { timeline: unknown[] };
      };
      resolve({
        seconds: (performance.now() - started) / 1000,
        checksum: result.contentChecksum,
        tasks: result.report.timeline.length,
      });
    });
  });
}

/** The median; of an even count, the mean of the middle two. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  if (typeof redis === 'string') throw new Error(redis);
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      const snapshot = path.join(repoRoot, '.bench-cache', `snap-${size}`);
      const times = setups.map(() => [] as number[]);
      const checksums = new Set<string>();
      const tasks = new Set<number>();
      for (let round = 0; round < rounds; round++) {
        for (const [i, setup] of setups.entries()) {
          const run = await timedSetup(redis, snapshot, setup);
          checksums.add(run.checksum);
          tasks.add(run.tasks);
          times[i]!.push(run.seconds);
          process.stderr.write(
            `${size} round ${round + 1}: ${setup.label} ${times[i]!.at(-1)!.toFixed(2)} s\n`,
          );
        }
      }
      if (checksums.size !== 1) throw new Error(`${size}: executors disagree: ${[...checksums]}`);
      const embedded = median(times[0]!);
      const taskCount = Math.max(...tasks);
      for (const [i, setup] of setups.entries()) {
        const m = median(times[i]!);
        // Rounds alternate, so each round's difference to its own embedded run is paired: the
        // machine's drift between rounds cancels out of it.
        const overhead = median(times[i]!.map((t, round) => t - (times[0]![round] as number)));
        const cells =
          i === 0
            ? '| | |'
            : `| ${overhead.toFixed(2)} | ${((1000 * overhead) / taskCount).toFixed(0)} ms |`;
        rows.push(
          `| ${size} | ${setup.label} | ${taskCount} | ${m.toFixed(2)} | ${(m / embedded).toFixed(2)} ${cells}`,
        );
      }
    }
  } finally {
    await redis.stop();
  }
  const command = `npm run bench:workers -- --sizes ${sizes.join(',')} --rounds ${rounds}`;
  await writeSection(
    path.join(repoRoot, 'BENCHMARKS.md'),
    'workers',
    `## The distributed executor (BullMQ on Redis, \`settle worker\`)

Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, Node ${process.version}; a private
redis-server and the workers on the same machine as the coordinator, so the workers share its
two cores: this measures the executor's overhead, not a speed-up (that needs more machines).
Workers are started before the timed runs (a worker is long-running); every run is a fresh
warehouse, and every setup published the same content checksum. Median of ${rounds} alternating rounds.

| size | executor | tasks | wall s | / embedded | overhead s (paired) | overhead per task |
|---|---|---|---|---|---|---|
${rows.join('\n')}`,
  );
  process.stdout.write(rows.join('\n') + '\n');
}

async function timedSetup(redis: RedisServer, snapshot: string, setup: Setup): Promise<RunMeasure> {
  const warehouse = await mkdtemp(path.join(os.tmpdir(), 'settle-bench-workers-'));
  const workers: WorkerProcess[] = await Promise.all(
    // The default lock duration (the helper shortens it for the stall tests).
    setup.workers.map((extra) =>
      startWorker(redis.url, { args: [...extra, '--lock-duration', '30000'] }),
    ),
  );
  try {
    return await settleRun(snapshot, warehouse, workers.length > 0 ? redis.url : undefined);
  } finally {
    await stopWorkers(workers);
    await rm(warehouse, { recursive: true, force: true });
  }
}

await main();
