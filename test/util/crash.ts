import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withDb } from '../../src/db/duckdb.js';
import { contentChecksum } from '../../src/stages/publish.js';
import { repoRoot } from './pipeline.js';

export interface KilledRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the real CLI and SIGKILLs it after `killAfterMs` (or lets SETTLE_CRASH_AT kill it). */
export function runAndKill(
  args: string[],
  options: { env?: Record<string, string>; killAfterMs?: number },
): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist', 'bin', 'settle.js'), ...args],
      {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/**
 * What a consumer may see after any crash: CURRENT is absent or parses and names a version whose
 * `_SUCCESS` exists and whose files reproduce the recorded checksum; every version with `_SUCCESS`
 * verifies. Returns the problems found (empty = consistent).
 */
export async function warehouseProblems(warehouse: string): Promise<string[]> {
  const problems: string[] = [];
  const dataset = path.join(warehouse, 'merchant_settlement_summary');
  let dates: string[] = [];
  try {
    dates = (await readdir(dataset)).filter((d) => d.startsWith('date='));
  } catch {
    return problems;
  }
  for (const date of dates) {
    const dir = path.join(dataset, date);
    let pointer: { version: string; content_checksum: string } | undefined;
    try {
      pointer = JSON.parse(await readFile(path.join(dir, 'CURRENT'), 'utf8')) as {
        version: string;
        content_checksum: string;
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        problems.push(`${date}: CURRENT is torn or unreadable`);
    }
    for (const version of (await readdir(dir)).filter((v) => v.startsWith('v'))) {
      let marker: { content_checksum: string } | undefined;
      try {
        marker = JSON.parse(await readFile(path.join(dir, version, '_SUCCESS'), 'utf8')) as {
          content_checksum: string;
        };
      } catch {
        if (pointer?.version === version)
          problems.push(`${date}: CURRENT names ${version}, which has no _SUCCESS`);
        continue;
      }
      const actual = await withDb({}, (db) => contentChecksum(db, path.join(dir, version)));
      if (actual.contentChecksum !== marker.content_checksum)
        problems.push(`${date}/${version}: files do not reproduce the _SUCCESS checksum`);
      if (pointer?.version === version && pointer.content_checksum !== marker.content_checksum)
        problems.push(`${date}: CURRENT checksum differs from ${version}/_SUCCESS`);
    }
    if (pointer !== undefined && !(await readdir(dir)).includes(pointer.version))
      problems.push(`${date}: CURRENT names missing ${pointer.version}`);
  }
  return problems;
}

export async function currentChecksum(
  warehouse: string,
  date: string,
): Promise<string | undefined> {
  try {
    return (
      JSON.parse(
        await readFile(
          path.join(warehouse, 'merchant_settlement_summary', `date=${date}`, 'CURRENT'),
          'utf8',
        ),
      ) as { content_checksum: string }
    ).content_checksum;
  } catch {
    return undefined;
  }
}
