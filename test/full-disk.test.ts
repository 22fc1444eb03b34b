import { errorLines } from './util/files.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullDiskScenario,
  pagesNeeded,
  publishWithFreePages,
  type FullDisk,
  type LevelOutcome,
} from './util/full-disk.js';

/**
 * SPEC section 6 on a really full disk: whatever the free space, from nothing to just enough, a
 * run exits 0 with CURRENT on the new version, or exits non-zero with CURRENT still on the old
 * one, and every published version reproduces its checksum. `npm run test:faults` sweeps every
 * page below "just enough"; here a handful of levels.
 */
const DATE = '2026-04-05';

let disk: FullDisk | string;
let v2: string;

beforeAll(async () => {
  ({ disk, v2 } = await fullDiskScenario(DATE));
});

afterAll(() => {
  if (typeof disk !== 'string') disk.unmount();
});

export function expectConsistent(outcome: LevelOutcome): void {
  const context = `${outcome.freePages} free pages: exit ${outcome.code} ${outcome.stderr}`;
  expect(outcome.problems, context).toEqual([]);
  if (outcome.code === 0) expect(outcome.current, context).toBe('v2');
  else {
    expect(outcome.current, context).toBe('v1');
    expect(errorLines(outcome.stderr), context).toHaveLength(1);
  }
}

describe('a really full disk never moves CURRENT on a failed run', () => {
  it('from "nothing fits" to "just enough"', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const needed = await pagesNeeded(disk, v2, DATE, 64);
    const levels = [0, 8, needed - 2, needed - 1, needed];
    const outcomes: LevelOutcome[] = [];
    for (const pages of [...new Set(levels)].filter((p) => p >= 0))
      outcomes.push(await publishWithFreePages(disk, v2, DATE, pages));
    for (const outcome of outcomes) expectConsistent(outcome);
    expect(outcomes.at(-1)?.code).toBe(0);
    expect(outcomes.filter((o) => o.code !== 0).length).toBeGreaterThanOrEqual(4);
  });

  it('the rerun of a run the full disk stopped completes in the same run directory', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    // "Nothing fits" stops the run at its first write (the run directory's manifest.json); the
    // rerun, with space again, must not trip over what the failed attempt left there.
    const failed = await publishWithFreePages(disk, v2, DATE, 0);
    expectConsistent(failed);
    expect(failed.code).not.toBe(0);
    const rerun = await publishWithFreePages(disk, v2, DATE, 4096, { keepRuns: true });
    expect(rerun.code, rerun.stderr).toBe(0);
    expectConsistent(rerun);
  });
});
