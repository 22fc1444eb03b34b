import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisServer } from '../test/util/redis.js';
import { startWorker, stopWorkers, type WorkerProcess } from '../test/util/workers.js';
import { repoRoot, settleRunArgv } from './settle-run.js';
import { writeSection } from './sections.js';

/**
 * `npm run bench:workers -- [--sizes 10m,100m] [--rounds 2]`: the same run on the embedded
 * executor and through BullMQ with one and two `settle worker` processes (a private redis-server,
 * everything on this machine), alternating, medians. Writes the `workers` section of BENCHMARKS.md.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
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
      };
      resolve({
        seconds: (performance.now() - started) / 1000,
        checksum: result.contentChecksum,
      });
    });
  });
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const redis = await startRedis();
  if (typeof redis === 'string') throw new Error(redis);
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      const snapshot = path.join(repoRoot, '.bench-cache', `snap-${size}`);
      const times = setups.map(() => [] as number[]);
      const checksums = new Set<string>();
      for (let round = 0; round < rounds; round++) {
        for (const [i, setup] of setups.entries()) {
          times[i]!.push(await timedSetup(redis, snapshot, setup, checksums));
          process.stderr.write(
            `${size} round ${round + 1}: ${setup.label} ${times[i]!.at(-1)!.toFixed(2)} s\n`,
          );
        }
      }
      if (checksums.size !== 1) throw new Error(`${size}: executors disagree: ${[...checksums]}`);
      const embedded = median(times[0]!);
      for (const [i, setup] of setups.entries()) {
        const m = median(times[i]!);
        rows.push(`| ${size} | ${setup.label} | ${m.toFixed(2)} | ${(m / embedded).toFixed(2)} |`);
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

| size | executor | wall s | / embedded |
|---|---|---|---|
${rows.join('\n')}`,
  );
  process.stdout.write(rows.join('\n') + '\n');
}

async function timedSetup(
  redis: RedisServer,
  snapshot: string,
  setup: Setup,
  checksums: Set<string>,
): Promise<number> {
  const warehouse = await mkdtemp(path.join(os.tmpdir(), 'settle-bench-workers-'));
  const workers: WorkerProcess[] = await Promise.all(
    // The default lock duration (the helper shortens it for the stall tests).
    setup.workers.map((extra) =>
      startWorker(redis.url, { args: [...extra, '--lock-duration', '30000'] }),
    ),
  );
  try {
    const run = await settleRun(snapshot, warehouse, workers.length > 0 ? redis.url : undefined);
    checksums.add(run.checksum);
    return run.seconds;
  } finally {
    await stopWorkers(workers);
    await rm(warehouse, { recursive: true, force: true });
  }
}

await main();
