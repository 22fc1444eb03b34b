import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullDiskScenario,
  pagesNeeded,
  publishWithFreePages,
  type FullDisk,
} from '../util/full-disk.js';

/** Every free-space level, one page apart, from nothing to just enough (see full-disk.test.ts). */
const DATE = '2026-04-05';
let disk: FullDisk | string;
let v2: string;

beforeAll(async () => {
  ({ disk, v2 } = await fullDiskScenario(DATE));
});

afterAll(() => {
  if (typeof disk !== 'string') disk.unmount();
});

describe('full disk sweep', () => {
  it('every page from 0 to just enough: exit 0 with v2 current, or non-zero with v1 current', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const needed = await pagesNeeded(disk, v2, DATE, 256);
    for (let pages = 0; pages <= needed; pages++) {
      const outcome = await publishWithFreePages(disk, v2, DATE, pages);
      const context = `${outcome.freePages} free pages: exit ${outcome.code} ${outcome.stderr}`;
      expect(outcome.problems, context).toEqual([]);
      expect(outcome.current, context).toBe(outcome.code === 0 ? 'v2' : 'v1');
    }
  });
});
