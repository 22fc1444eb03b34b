import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` with the sha256 of its content: compare two of these to see any write. */
export async function treeDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else
        out[path.relative(dir, full)] = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
    }
  };
  if ((await stat(dir).catch(() => undefined))?.isDirectory()) await walk(dir);
  return out;
}

/** The date's CURRENT pointer, or undefined when there is none. */
export async function readCurrent(
  warehouse: string,
  date: string,
): Promise<{ version: string; content_checksum: string; history?: unknown[] } | undefined> {
  try {
    return JSON.parse(
      await readFile(
        path.join(warehouse, 'merchant_settlement_summary', `date=${date}`, 'CURRENT'),
        'utf8',
      ),
    ) as { version: string; content_checksum: string };
  } catch {
    return undefined;
  }
}

/** Progress lines a long command prints on stderr when it is not a terminal. */
const PROGRESS = /^settle: \w+ done in \d+\.\d+ s/;

/** What stderr says besides progress: the error lines. */
export function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '' && !PROGRESS.test(line));
}

/** One `settle: ...` error line on stderr (no stack trace) besides progress. */
export function oneErrorLine(stderr: string): string {
  const lines = errorLines(stderr);
  if (lines.length !== 1 || !lines[0]?.startsWith('settle: '))
    throw new Error(`expected one "settle: ..." line, got:\n${stderr}`);
  return lines[0];
}
