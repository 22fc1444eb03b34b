import { execFileSync } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cli } from './cli.js';
import { runArgs } from './pipeline.js';
import { tempDir, twoShardSnapshot } from './snapshot.js';
import { warehouseProblems } from './crash.js';

/**
 * A really full disk: the warehouse lives on a small tmpfs of its own, filled by a filler file
 * until exactly `freePages` pages are left, and a run publishing v2 over a current v1 is made to
 * hit ENOSPC wherever it runs out. Needs the right to mount (root); `mountTmpfs` says when not.
 */
export interface FullDisk {
  root: string;
  warehouse: string;
  unmount(): void;
}

const PAGE = 4096;

export async function mountTmpfs(sizeBytes: number): Promise<FullDisk | string> {
  const root = await tempDir('settle-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', root], {
      stdio: 'pipe',
    });
  } catch (err) {
    return `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`;
  }
  return {
    root,
    warehouse: path.join(root, 'wh'),
    unmount: () => execFileSync('umount', ['-l', root]),
  };
}

async function freePages(root: string): Promise<number> {
  return (await statfs(root)).bavail;
}

/** The warehouse's pointer files right after v1 was seeded, restored before every level. */
const seeded = new Map<string, Buffer>();
const pointerFiles = (disk: FullDisk, date: string): string[] => [
  path.join(disk.warehouse, 'merchant_settlement_summary', `date=${date}`, 'CURRENT'),
  path.join(disk.warehouse, 'merchant_settlement_summary', `date=${date}`, '_history.jsonl'),
  path.join(disk.warehouse, 'catalog.sql'),
];

/** Back to "v1 is current": removes what earlier levels left (runs, versions, filler). */
async function reset(disk: FullDisk, date: string): Promise<void> {
  await rm(path.join(disk.warehouse, '_runs'), { recursive: true, force: true });
  await rm(path.join(disk.root, 'filler'), { force: true });
  const dateDir = path.join(disk.warehouse, 'merchant_settlement_summary', `date=${date}`);
  for (const name of await readdir(dateDir))
    if ((name.startsWith('v') && name !== 'v1') || name.startsWith('.'))
      await rm(path.join(dateDir, name), { recursive: true });
  for (const file of pointerFiles(disk, date)) await writeFile(file, seeded.get(file) ?? '');
}

/** Fills the tmpfs until `pages` pages are free. */
async function fillTo(root: string, pages: number): Promise<void> {
  const handle = await open(path.join(root, 'filler'), 'w');
  try {
    const bulk = (await freePages(root)) - pages - 1;
    if (bulk > 0) await handle.write(Buffer.alloc(bulk * PAGE, 1));
    const chunk = Buffer.alloc(PAGE, 1);
    while ((await freePages(root)) > pages) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

export interface LevelOutcome {
  freePages: number;
  code: number;
  stderr: string;
  current: string | undefined;
  problems: string[];
}

/** Runs the v2 publish with `pages` free pages and reports what a consumer would see after it. */
export async function publishWithFreePages(
  disk: FullDisk,
  snapshot: string,
  date: string,
  pages: number,
  options: { keepRuns?: boolean } = {},
): Promise<LevelOutcome> {
  if (options.keepRuns) await rm(path.join(disk.root, 'filler'), { force: true });
  else await reset(disk, date);
  await fillTo(disk.root, pages);
  const free = await freePages(disk.root);
  const result = await cli([
    ...runArgs(snapshot, date, 'e-2', '--warehouse', disk.warehouse),
    '--partitions',
    '2',
  ]);
  let current: string | undefined;
  try {
    current = (
      JSON.parse(
        await readFile(
          path.join(disk.warehouse, 'merchant_settlement_summary', `date=${date}`, 'CURRENT'),
          'utf8',
        ),
      ) as { version: string }
    ).version;
  } catch {
    current = undefined;
  }
  await rm(path.join(disk.root, 'filler'), { force: true });
  return {
    freePages: free,
    code: result.code,
    stderr: result.stderr,
    current,
    problems: await warehouseProblems(disk.warehouse),
  };
}

/** Publishes v1 (plenty of space) so every later level runs over an existing truth. */
export async function seedV1(disk: FullDisk, snapshot: string, date: string): Promise<void> {
  await mkdir(disk.warehouse, { recursive: true });
  const result = await cli([
    ...runArgs(snapshot, date, 'e-1', '--warehouse', disk.warehouse),
    '--partitions',
    '2',
  ]);
  if (result.code !== 0) throw new Error(`seeding v1 failed: ${result.stderr}`);
  for (const file of pointerFiles(disk, date)) seeded.set(file, await readFile(file));
}

/** The fewest free pages with which the v2 publish succeeds (binary search between 0 and `high`). */
export async function pagesNeeded(
  disk: FullDisk,
  snapshot: string,
  date: string,
  high: number,
): Promise<number> {
  let [lo, hi] = [0, high];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await publishWithFreePages(disk, snapshot, date, mid)).code === 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The full-disk scenario: an 8 MiB tmpfs warehouse where v1 (a two-shard snapshot) is current, and
 * the snapshot of v2 (the same with more rows) whose publish the levels starve. `disk` is the
 * reason when no tmpfs can be mounted here.
 */
export async function fullDiskScenario(
  date: string,
): Promise<{ disk: FullDisk | string; v2: string }> {
  const disk = await mountTmpfs(8 * 2 ** 20);
  const [v1, v2] = [await twoShardSnapshot(20), await twoShardSnapshot(30)];
  if (typeof disk !== 'string') await seedV1(disk, v1, date);
  return { disk, v2 };
}
