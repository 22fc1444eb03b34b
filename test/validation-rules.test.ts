import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  entries,
  entry,
  tempDir,
  writeSnapshot,
  type Account,
  type ShardSpec,
} from './util/snapshot.js';
import { settle } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
const accounts = [A, B];

/** Shard 00: two segments of 10 rows; shard 01: one segment of 10 rows. All accepted charges of 1001.. */
function healthy(): Record<string, ShardSpec> {
  return {
    '00': {
      segments: [
        { file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(A, 1, 10) },
        { file: 'seg-2.parquet', first_seq: 11, last_seq: 20, rows: entries(A, 11, 10) },
      ],
    },
    '01': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(B, 1, 10) }],
    },
  };
}

/**
 * One shard per case (ids c0, c1, ...), each with its own account and merchant (M-c<i>) and the
 * healthy two-segment layout of shard 00, broken by its case: many rules, one pipeline run.
 */
function shardPerCase(breakers: Array<(s: ShardSpec, account: Account) => void>): {
  accounts: Account[];
  shards: Record<string, ShardSpec>;
} {
  const accountsOut: Account[] = [];
  const shards: Record<string, ShardSpec> = {};
  breakers.forEach((breakIt, i) => {
    const account: Account = {
      account_id: `A-c${i}`,
      merchant_id: `M-c${i}`,
      shard_id: `c${i}`,
      currency: 'USD',
    };
    const shard: ShardSpec = {
      segments: [
        { file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(account, 1, 10) },
        { file: 'seg-2.parquet', first_seq: 11, last_seq: 20, rows: entries(account, 11, 10) },
      ],
    };
    breakIt(shard, account);
    accountsOut.push(account);
    shards[`c${i}`] = shard;
  });
  return { accounts: accountsOut, shards };
}

async function run(shards: Record<string, ShardSpec>, accountList = accounts) {
  const root = await writeSnapshot(await tempDir(), accountList, shards);
  return settle(root);
}

/** One run for a group of cases: each case breaks its own shard (merchant M-c<i>) of a healthy snapshot. */
function runCaseGroup(
  breakers: Array<(s: ShardSpec, account: Account) => void>,
): () => Awaited<ReturnType<typeof run>> {
  let result: Awaited<ReturnType<typeof run>> | undefined;
  beforeAll(async () => {
    const { accounts: caseAccounts, shards } = shardPerCase(breakers);
    result = await run({ ...healthy(), ...shards }, [...accounts, ...caseAccounts]);
  });
  return () => result as Awaited<ReturnType<typeof run>>;
}

function rowOf(result: Awaited<ReturnType<typeof run>>, merchant: string, currency: string) {
  const row = result.rows.find((r) => r['merchant_id'] === merchant && r['currency'] === currency);
  if (row === undefined) throw new Error(`no row ${merchant}/${currency}`);
  return row;
}

function shardReport(result: Awaited<ReturnType<typeof run>>, shard: string) {
  const report = result.report.shards.find((s) => s.shard_id === shard);
  if (report === undefined) throw new Error(`no shard ${shard}`);
  return report;
}

const sumOf = (first: number, count: number): bigint =>
  BigInt(Array.from({ length: count }, (_, i) => 1000 + first + i).reduce((a, b) => a + b, 0));

describe('segment validation (SPEC section 3)', () => {
  it('healthy snapshot: every row counts, books complete', async () => {
    const result = await run(healthy());
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(20n);
    expect(rowOf(result, 'M1', 'USD')['gross_inflow']).toBe(sumOf(1, 20));
    expect(rowOf(result, 'M1', 'USD')['books_complete']).toBe(true);
    expect(rowOf(result, 'M1', 'USD')['incomplete_reason']).toBeNull();
  });

  it('exact duplicate rows are removed and counted, the segment stays complete', async () => {
    const shards = healthy();
    const seg = shards['00']!.segments[0]!;
    seg.rows = [...seg.rows!, seg.rows![2]!, seg.rows![2]!, seg.rows![5]!];
    const result = await run(shards);
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(20n);
    expect(rowOf(result, 'M1', 'USD')['gross_inflow']).toBe(sumOf(1, 20));
    expect(shardReport(result, '00').duplicates_removed).toBe(3);
    expect(shardReport(result, '00').rows_read).toBe(23);
    expect(rowOf(result, 'M1', 'USD')['books_complete']).toBe(true);
  });

  it('a segment exported twice (every row duplicated) stays complete, each row counted once', async () => {
    const rows = entries(A, 1, 3000);
    const root = await writeSnapshot(await tempDir(), accounts, {
      '00': {
        segments: [
          { file: 'seg-1.parquet', first_seq: 1, last_seq: 3000, rows: [...rows, ...rows] },
        ],
      },
      '01': { segments: [] },
    });
    const result = await settle(root);
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(3000n);
    expect(rowOf(result, 'M1', 'USD')['gross_inflow']).toBe(sumOf(1, 3000));
    expect(shardReport(result, '00').duplicates_removed).toBe(3000);
    expect(rowOf(result, 'M1', 'USD')['books_complete']).toBe(true);
  });

  const excludedCases: Array<[string, (s: ShardSpec, account: Account) => void]> = [
    [
      'missing file',
      (s) => {
        delete s.segments[1]!.rows;
      },
    ],
    [
      'short segment (fewer rows than row_count)',
      (s) => {
        s.segments[1]!.rows!.pop();
      },
    ],
    [
      'long segment (a row beyond last_seq)',
      (s, account) => {
        s.segments[1]!.rows!.push(entry(account, 21));
      },
    ],
    [
      'seq gap inside the segment, same row count',
      (s) => {
        s.segments[1]!.rows![4]!.seq = 9999;
      },
    ],
    [
      'two different rows with the same seq',
      (s) => {
        const rows = s.segments[1]!.rows!;
        rows.push({ ...rows[0]!, amount_minor: 5 });
      },
    ],
    [
      'two different rows with the same entry_id',
      (s) => {
        const rows = s.segments[1]!.rows!;
        rows[1]!.entry_id = rows[0]!.entry_id;
      },
    ],
    [
      'row_count disagrees with first_seq..last_seq',
      (s) => {
        s.segments[1]!.row_count = 9;
      },
    ],
  ];
  describe('incomplete segment is excluded entirely (one shard per case, one run)', () => {
    const result = runCaseGroup(excludedCases.map(([, b]) => b));
    excludedCases.forEach(([name], i) => {
      it(name, () => {
        const row = rowOf(result(), `M-c${i}`, 'USD');
        expect(row['entry_count']).toBe(10n);
        expect(row['gross_inflow']).toBe(sumOf(1, 10));
        expect(row['books_complete']).toBe(false);
        expect(row['incomplete_reason']).toBe(`missing_segment:c${i}`);
        expect(row['payout_eligible']).toBe(false);
        const report = shardReport(result(), `c${i}`);
        expect(
          report.excluded + report.accepted + report.rejected + report.duplicates_removed,
        ).toBe(report.rows_read);
      });
    });
    it('leaves the healthy shards complete', () => {
      expect(rowOf(result(), 'M1', 'USD')['books_complete']).toBe(true);
      expect(rowOf(result(), 'M2', 'EUR')['books_complete']).toBe(true);
    });
  });

  it('an entry_id shared with an excluded segment is not double-counted money', async () => {
    const shards = healthy();
    // seg-2 is short (incomplete): its copy of E-00-1 is excluded, so the id counts once.
    shards['00']!.segments[1] = {
      file: 'seg-2.parquet',
      first_seq: 11,
      last_seq: 20,
      rows: entries(A, 11, 9).map((e, i) => (i === 0 ? { ...e, entry_id: 'E-00-1' } : e)),
    };
    const result = await run(shards);
    expect(result.assertions.find((a) => a.name === 'unique_entry_id')?.status).toBe('pass');
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(10n);
  });

  it('bad rows inside an excluded segment are excluded, not rejected', async () => {
    const shards = healthy();
    shards['00']!.segments[1] = {
      file: 'seg-2.parquet',
      first_seq: 11,
      last_seq: 20,
      row_count: 11, // long: the index claims a row more than first..last holds
      rows: entries(A, 11, 10, () => ({ entry_type: 'CHARGE', currency: 'usd' })),
    };
    const result = await run(shards);
    expect(shardReport(result, '00')).toMatchObject({ rejected: 0, excluded: 10, accepted: 10 });
    expect(result.rejects).toEqual([]);
    expect(rowOf(result, 'M1', 'USD')['rejected_entries']).toBe(0n);
  });

  it('a gap between index segments makes the shard incomplete but both segments count', async () => {
    const shards = healthy();
    shards['00']!.segments[1] = {
      file: 'seg-2.parquet',
      first_seq: 21,
      last_seq: 30,
      rows: entries(A, 21, 10),
    };
    const result = await run(shards);
    const row = rowOf(result, 'M1', 'USD');
    expect(row['entry_count']).toBe(20n);
    expect(row['books_complete']).toBe(false);
    expect(row['incomplete_reason']).toBe('missing_segment:00');
  });

  const badIndexes: Array<[string, (s: ShardSpec, account: Account) => void]> = [
    [
      'no index',
      (s) => {
        s.index = null;
      },
    ],
    [
      'index that is not JSON',
      (s) => {
        s.index = '{"shard_id": "00", ';
      },
    ],
    [
      'index segments out of first_seq order',
      (s) => {
        s.segments.reverse();
      },
    ],
    [
      'overlapping index segments',
      (s, account) => {
        s.segments[1]!.first_seq = 10;
        s.segments[1]!.rows = entries(account, 10, 11);
      },
    ],
  ];
  describe('a bad index excludes every segment of its shard (one shard per case, one run)', () => {
    const result = runCaseGroup(badIndexes.map(([, b]) => b));
    badIndexes.forEach(([name], i) => {
      it(name, () => {
        const row = rowOf(result(), `M-c${i}`, 'USD');
        expect(row['entry_count']).toBe(0n);
        expect(row['incomplete_reason']).toBe(`missing_segment:c${i}`);
        expect(row['payout_eligible']).toBe(false);
      });
    });
  });

  it('an index with no segments and a timely watermark is a complete, quiet shard', async () => {
    const shards = healthy();
    shards['00'] = { segments: [] };
    const result = await run(shards);
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(0n);
    expect(rowOf(result, 'M1', 'USD')['books_complete']).toBe(true);
  });

  it('replica lag flags the shard without excluding rows; a watermark equal to the cutoff is not late', async () => {
    const shards = healthy();
    shards['00']!.watermark = '2026-04-05T23:59:59+00:00';
    shards['01']!.watermark = '2026-04-06T02:00:00+02:00';
    const result = await run(shards);
    const row = rowOf(result, 'M1', 'USD');
    expect(row['entry_count']).toBe(20n);
    expect(row['books_complete']).toBe(false);
    expect(row['incomplete_reason']).toBe('replica_lag:00');
    expect(rowOf(result, 'M2', 'EUR')['books_complete']).toBe(true);
  });

  it('books_complete is per merchant across all its accounts; reasons are distinct and byte-sorted', async () => {
    const A2: Account = { account_id: 'A2', merchant_id: 'M1', shard_id: '01', currency: 'EUR' };
    const shards = healthy();
    shards['00']!.watermark = '2026-04-05T12:00:00Z';
    delete shards['00']!.segments[0]!.rows;
    shards['01']!.index = null;
    const result = await run(shards, [A, A2, B]);
    for (const currency of ['USD', 'EUR']) {
      expect(rowOf(result, 'M1', currency)['incomplete_reason']).toBe(
        'missing_segment:00;missing_segment:01;replica_lag:00',
      );
    }
    expect(rowOf(result, 'M2', 'EUR')['incomplete_reason']).toBe('missing_segment:01');
  });

  it('shard directories the account directory does not name are ignored, unlisted files are reported', async () => {
    const shards = healthy();
    shards['77'] = {
      segments: [
        {
          file: 'seg-1.parquet',
          first_seq: 1,
          last_seq: 3,
          rows: entries({ ...A, shard_id: '77' }, 1, 3),
        },
      ],
    };
    const root = await writeSnapshot(await tempDir(), accounts, shards);
    await writeFile(
      path.join(root, 'shard=00', 'date=2026-04-05', 'seg-extra.parquet'),
      'not listed',
    );
    const result = await settle(root);
    expect(rowOf(result, 'M1', 'USD')['entry_count']).toBe(20n);
    expect(result.report.shards.map((s) => s.shard_id)).toEqual(['00', '01']);
    expect(result.report.unlisted_files).toEqual(['shard=00/date=2026-04-05/seg-extra.parquet']);
  });
});
