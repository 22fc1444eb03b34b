import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/contract/policy.js';
import {
  entries,
  entry,
  tempDir,
  writeSnapshot,
  type Account,
  type Entry,
} from './util/snapshot.js';
import { settle } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };

/** Each case: the overrides applied to one row and the reason that row must get (the first that applies). */
const cases: Array<[string, Partial<Entry>]> = [
  ['unknown_entry_type', { entry_type: 'CHARGE' }],
  ['unknown_entry_type', { entry_type: null, amount_minor: -1 }],
  ['unknown_entry_type', { entry_type: '' }],
  ['bad_amount', { amount_minor: 0, currency: 'usd' }],
  ['bad_amount', { amount_minor: -5 }],
  ['bad_amount', { amount_minor: null }],
  ['bad_currency', { currency: 'usd', merchant_id: null }],
  ['bad_currency', { currency: 'XXY' }],
  ['bad_currency', { currency: null }],
  ['bad_currency', { currency: '' }],
  ['missing_key', { merchant_id: null, account_id: 'NOPE' }],
  ['missing_key', { merchant_id: '' }],
  ['missing_key', { account_id: null }],
  ['missing_key', { account_id: '' }],
  ['unknown_account', { account_id: 'NOPE', settlement_date: '2026-04-04' }],
  ['directory_mismatch', { merchant_id: 'M2', settlement_date: null }],
  ['directory_mismatch', { shard_id: '01' }],
  ['directory_mismatch', { shard_id: null }],
  ['directory_mismatch', { currency: 'EUR' }],
  ['out_of_window', { settlement_date: '2026-04-04', customer_ref: null }],
  ['out_of_window', { settlement_date: null }],
  ['missing_customer_ref', { customer_ref: null }],
  ['missing_customer_ref', { customer_ref: '' }],
];

describe('reject reasons (SPEC section 3), first applicable reason wins', () => {
  it('rejects every bad row with its reason, keeps it out of the sums, and counts it on its own merchant/currency', async () => {
    const good = entries(A, 1, 2000, (seq) => ({ customer_ref: `C${seq}` }));
    const bad = cases.map(([, overrides], i) => entry(A, 2001 + i, overrides));
    const accepted = entry(A, 2001 + cases.length, { entry_type: 'fee', customer_ref: null });
    const rows = [...good, ...bad, accepted];
    const root = await writeSnapshot(await tempDir(), [A, B], {
      '00': { segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: rows.length, rows }] },
      '01': { segments: [] },
    });
    const result = await settle(root, {
      policy: { ...DEFAULT_POLICY, max_reject_ratio_bps: 10_000 },
    });
    const rejectBySeq = new Map(result.rejects.map((r) => [Number(r['seq']), r]));
    cases.forEach(([reason], i) => {
      const reject = rejectBySeq.get(2001 + i);
      expect(reject?.['reject_reason'], `case ${i}: ${JSON.stringify(cases[i]![1])}`).toBe(reason);
      expect(reject?.['file']).toBe('shard=00/date=2026-04-05/seg-1.parquet');
    });
    expect(result.rejects).toHaveLength(cases.length);
    const m1 = result.rows.find((r) => r['merchant_id'] === 'M1' && r['currency'] === 'USD')!;
    expect(m1['entry_count']).toBe(2001n);
    expect(m1['fees']).toBe(BigInt(accepted.amount_minor!));
    // Rejected rows whose own merchant_id and currency are M1/USD.
    const ownM1Usd = bad.filter((r) => r.merchant_id === 'M1' && r.currency === 'USD').length;
    expect(m1['rejected_entries']).toBe(BigInt(ownM1Usd));
    const m2 = result.rows.find((r) => r['merchant_id'] === 'M2')!;
    expect(m2['rejected_entries']).toBe(
      BigInt(bad.filter((r) => r.merchant_id === 'M2' && r.currency === 'EUR').length),
    );
    expect(Object.keys(result.rejects[0]!).sort()).toEqual(
      [
        'account_id',
        'amount_minor',
        'currency',
        'customer_ref',
        'entry_id',
        'entry_type',
        'event_time',
        'file',
        'merchant_id',
        'reject_reason',
        'seq',
        'settlement_date',
        'shard_id',
      ].sort(),
    );
  });

  it('a reject ratio above policy fails the error assertion and publishes nothing', async () => {
    const rows = [
      ...entries(A, 1, 98),
      entry(A, 99, { amount_minor: 0 }),
      entry(A, 100, { currency: 'usd' }),
    ];
    const root = await writeSnapshot(await tempDir(), [A], {
      '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: 100, rows }] },
    });
    const error = (await settle(root).catch((e: unknown) => e)) as {
      exitCode: number;
      message: string;
    };
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('reject_ratio');
    // Exactly at the limit (1 of 100 = 100 bps) passes.
    rows[99] = entry(A, 100);
    const atLimit = await writeSnapshot(await tempDir(), [A], {
      '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: 100, rows }] },
    });
    const ok = await settle(atLimit);
    expect(ok.assertions.find((a) => a.name === 'reject_ratio')?.status).toBe('pass');
  });

  it('rejected amounts are never summed: rejected rows whose amounts add up past 2^63 still settle', async () => {
    const huge = 2n ** 62n + 1n;
    const rows = [
      ...entries(A, 1, 98),
      entry(A, 99, { amount_minor: huge, settlement_date: '2026-04-04' }),
      entry(A, 100, { amount_minor: huge, settlement_date: '2026-04-04' }),
    ];
    const root = await writeSnapshot(await tempDir(), [A], {
      '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: 100, rows }] },
    });
    const result = await settle(root, {
      policy: { ...DEFAULT_POLICY, max_reject_ratio_bps: 10_000 },
    });
    expect(result.rejects.map((r) => [r['reject_reason'], r['amount_minor']])).toEqual([
      ['out_of_window', huge],
      ['out_of_window', huge],
    ]);
    const m1 = result.rows.find((r) => r['merchant_id'] === 'M1')!;
    expect(m1['rejected_entries']).toBe(2n);
    expect(m1['gross_inflow']).toBe(
      BigInt(rows.slice(0, 98).reduce((a, r) => a + Number(r.amount_minor), 0)),
    );
  });

  it("lists a shard's reasons in reason order whichever of its files they come from", async () => {
    const rows1 = [
      ...entries(A, 1, 98),
      entry(A, 99, { settlement_date: '2026-04-04' }),
      entry(A, 100, { amount_minor: 0 }),
    ];
    const rows2 = [...entries(A, 101, 99, () => ({})), entry(A, 200, { currency: 'XXY' })];
    const root = await writeSnapshot(await tempDir(), [A], {
      '00': {
        segments: [
          { file: 'seg-1.parquet', first_seq: 1, last_seq: 100, rows: rows1 },
          { file: 'seg-2.parquet', first_seq: 101, last_seq: 200, rows: rows2 },
        ],
      },
    });
    const result = await settle(root, {
      policy: { ...DEFAULT_POLICY, max_reject_ratio_bps: 10_000 },
    });
    const shard = result.report.shards.find((s) => s.shard_id === '00')!;
    expect(Object.entries(shard.reject_reasons)).toEqual([
      ['bad_amount', 1],
      ['bad_currency', 1],
      ['out_of_window', 1],
    ]);
  });
});
