import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * What a committed task's output depends on: the SQL of the stages, the shipped reference data,
 * and the modules that run tasks (stages, contract, db, sql, util). A committed task is reused
 * only by the same code that produced it. Commands, the CLI, export, serve and the benchmarks
 * are outside it: editing them keeps committed work reusable.
 */
const HASHED = {
  sql: ['stages', 'reference'],
  program: ['stages', 'contract', 'db', 'sql', 'util', 'errors.js', 'errors.ts'],
} as const;

export function codeHash(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256');
  const programRoot = fileURLToPath(new URL('..', import.meta.url));
  const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url));
  const roots: Array<[string, readonly string[]]> = [
    [sqlRoot, HASHED.sql],
    [programRoot, HASHED.program],
  ];
  for (const [root, entries] of roots) {
    for (const entry of entries) {
      for (const file of walk(path.join(root, entry))) {
        if (!/\.(sql|csv|js|ts)$/.test(file)) continue;
        hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
      }
    }
  }
  cached = hash.digest('hex');
  return cached;
}

function walk(entry: string): string[] {
  let info;
  try {
    info = statSync(entry);
  } catch {
    return [];
  }
  if (!info.isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => walk(path.join(entry, name)));
}
