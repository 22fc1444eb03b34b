import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './util/pipeline.js';

/**
 * The import graph of src/ flows one way: bin → cli → commands → (queue, serve) → (stages,
 * generate) → report → warehouse → db → contract → sql → util/errors. A module may import its own
 * folder or a lower layer, never a higher one or a sibling folder of its layer, and no file
 * imports itself through a loop.
 */
const LAYERS: Record<string, number> = {
  util: 0,
  'errors.ts': 0,
  sql: 1,
  contract: 2,
  db: 3,
  warehouse: 4,
  report: 5,
  stages: 6,
  generate: 6,
  queue: 7,
  serve: 7,
  commands: 8,
  'cli.ts': 9,
  bin: 10,
};

const srcRoot = path.join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const top = (file: string): string => path.relative(srcRoot, file).split(path.sep)[0] as string;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map((m) =>
    path.resolve(path.dirname(file), (m[1] as string).replace(/\.js$/, '.ts')),
  );
}

const files = sourceFiles(srcRoot);
const graph = new Map(files.map((f) => [f, imports(f)]));

describe('architecture: the import graph', () => {
  it('every folder of src/ has a layer', () => {
    expect(files.map(top).filter((t) => LAYERS[t] === undefined)).toEqual([]);
  });

  it('has no import up a layer or sideways into another folder of the same layer', () => {
    const bad: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const [from, to] = [top(file), top(target)];
        if (from === to) continue;
        if ((LAYERS[to] ?? 99) >= (LAYERS[from] ?? -1))
          bad.push(`${path.relative(srcRoot, file)} -> ${path.relative(srcRoot, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import loop', () => {
    const state = new Map<string, 'open' | 'done'>();
    const loops: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        loops.push(
          [...trail.slice(trail.indexOf(file)), file]
            .map((f) => path.relative(srcRoot, f))
            .join(' -> '),
        );
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(loops).toEqual([]);
  });
});
