import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { SqlFragment } from './fragment.js';

/** The project's sql/ directory. */
export const sqlRoot = path.join(packageRoot, 'sql');

const cache = new Map<string, string>();

/** Loads `sql/<relativePath>`; a missing file is an error naming its path. */
export function loadSql(relativePath: string): string {
  const cached = cache.get(relativePath);
  if (cached !== undefined) return cached;
  const fullPath = path.join(sqlRoot, relativePath);
  let text: string;
  try {
    text = readFileSync(fullPath, 'utf8');
  } catch {
    throw new Error(`SQL file not found: ${fullPath}`);
  }
  cache.set(relativePath, text);
  return text;
}

/**
 * Loads a SQL file and splices `{{name}}` placeholders with SQL fragments (sql/fragment.ts):
 * quoted literals, integer literals, or text the contract renders from its own constants.
 * Comment lines (the file's header names its splices) are left as written.
 */
export function renderSql(relativePath: string, splices: Record<string, SqlFragment> = {}): string {
  return loadSql(relativePath)
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('--')
        ? line
        : line.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
            const value = splices[name];
            if (value === undefined)
              throw new Error(`SQL file ${relativePath} needs splice {{${name}}}`);
            return value;
          }),
    )
    .join('\n');
}
