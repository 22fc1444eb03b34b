import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, tempDir, writeSnapshot, type Account } from '../util/snapshot.js';
import {
  mountTmpfs,
  pagesNeeded,
  publishWithFreePages,
  seedV1,
  type FullDisk,
} from '../util/full-disk.js';

/** Every free-space level, one page apart, from nothing to just enough (see full-disk.test.ts). */
const DATE = '2026-04-05';
const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
let disk: FullDisk | string;
let v2: string;

beforeAll(async () => {
  disk = await mountTmpfs(8 * 2 ** 20);
  const snap = (n: number) =>
    tempDir().then((dir) =>
      writeSnapshot(dir, [A, B], {
        '00': {
          segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: n, rows: entries(A, 1, n) }],
        },
        '01': {
          segments: [
            { file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(B, 1, 10) },
          ],
        },
      }),
    );
  const v1 = await snap(20);
  v2 = await snap(30);
  if (typeof disk !== 'string') await seedV1(disk, v1, DATE);
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
