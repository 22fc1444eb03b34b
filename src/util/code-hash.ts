import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * What a committed task's output depends on: the SQL of the stages, the shipped reference data,
 * and the source of the modules that run tasks (stages, contract, db, sql, util). A committed task
 * is reused only by the same code that produced it, and a queue worker only takes tasks planned
 * by the same code. Commands, the CLI, export, serve and the benchmarks are outside it.
 *
 * The hash is of the TypeScript sources: `npm run build` records it in dist/code-hash.json, so
 * the built CLI and the sources under test (vitest) agree, and processes of both can share a run.
 */
const HASHED = {
  sql: ['stages', 'reference'],
  src: ['stages', 'contract', 'db', 'sql', 'util', 'errors.ts'],
} as const;

const here = path.dirname(fileURLToPath(import.meta.url));
const recorded = path.join(here, '..', 'code-hash.json');

export function codeHash(): string {
  if (cached !== undefined) return cached;
  try {
    cached = (JSON.parse(readFileSync(recorded, 'utf8')) as { code_hash: string }).code_hash;
  } catch {
    cached = hashSources(path.join(here, '..', '..'));
  }
  return cached;
}

/** The hash of `<repo>/src` and `<repo>/sql` (the build writes it beside the compiled modules). */
export function hashSources(repoRoot: string): string {
  const hash = createHash('sha256');
  const roots: Array<[string, readonly string[]]> = [
    [path.join(repoRoot, 'sql'), HASHED.sql],
    [path.join(repoRoot, 'src'), HASHED.src],
  ];
  for (const [root, entries] of roots) {
    for (const entry of entries) {
      for (const file of walk(path.join(root, entry))) {
        if (!/\.(sql|csv|ts)$/.test(file)) continue;
        hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
      }
    }
  }
  return hash.digest('hex');
}

/** Called by `npm run build` from dist/: records the sources' hash for the compiled modules. */
export function writeCodeHash(): void {
  const hash = hashSources(path.join(here, '..', '..'));
  writeFileSync(recorded, `${JSON.stringify({ code_hash: hash })}\n`);
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
