/**
 * Tests of the reference implementation (test/util/reference.ts) against hand-computed numbers
 * on tiny hand-built snapshots. Every expected value below is derived by hand from SPEC §2-4.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  byteCompare,
  computeReference,
  defaultPolicy,
  loadIsoCurrencies,
  parseIsoWithOffset,
  type ReferenceInput,
  type ReferenceResult,
  type ReferenceRow,
} from './util/reference.js';

const DATE = '2026-04-05';
const ON_TIME = '2026-04-06T02:00:00+02:00'; // == cutoff 2026-04-06T00:00:00Z → not late
const LATE = '2026-04-05T23:59:59Z';

type V = string | number | null;
/** entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type, amount_minor, currency, settlement_date */
type Row = [V, V, V, V, V, V, V, V, V, V];

let iso: Set<string>;
let db: DuckDBInstance;
const tmpDirs: string[] = [];

beforeAll(async () => {
  iso = await loadIsoCurrencies();
  if (iso.size === 0) iso = new Set(['USD', 'EUR', 'JPY', 'GBP', 'BHD']);
  db = await DuckDBInstance.create(':memory:');
});

afterAll(async () => {
  db.closeSync();
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

const lit = (v: V): string =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;

async function copyToParquet(select: string, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const conn = await db.connect();
  try {
    await conn.run(`COPY (${select}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
  }
}

async function writeSegment(file: string, rows: Row[]): Promise<void> {
  const cols =
    'CAST(c0 AS VARCHAR) AS entry_id, CAST(c1 AS VARCHAR) AS shard_id, CAST(c2 AS BIGINT) AS seq, ' +
    'CAST(c3 AS VARCHAR) AS account_id, CAST(c4 AS VARCHAR) AS merchant_id, CAST(c5 AS VARCHAR) AS customer_ref, ' +
    'CAST(c6 AS VARCHAR) AS entry_type, CAST(c7 AS BIGINT) AS amount_minor, CAST(c8 AS VARCHAR) AS currency, ' +
    "CAST(c9 || ' 12:00:00+00' AS TIMESTAMPTZ) AS event_time, CAST(c9 AS DATE) AS settlement_date";
  const values =
    rows.length === 0
      ? `(VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '${DATE}')) t(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9) WHERE false`
      : `(VALUES ${rows.map((r) => `(${r.map(lit).join(', ')})`).join(', ')}) t(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9)`;
  await copyToParquet(`SELECT ${cols} FROM ${values}`, file);
}

interface Seg {
  file: string;
  first_seq: number;
  last_seq: number;
  row_count: number;
  /** undefined → file not written */
  rows?: Row[];
}
interface Shard {
  watermark?: string;
  segments?: Seg[];
  /** raw index text overriding the generated one; null → no index file */
  indexText?: string | null;
  /** extra files (not listed) */
  extra?: Record<string, Row[]>;
}

async function snapshot(
  accounts: [string, string, string, string][],
  shards: Record<string, Shard>,
): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'settle-ref-'));
  tmpDirs.push(root);
  await copyToParquet(
    `SELECT CAST(a AS VARCHAR) AS account_id, CAST(m AS VARCHAR) AS merchant_id, CAST(s AS VARCHAR) AS shard_id, CAST(c AS VARCHAR) AS currency FROM (VALUES ${accounts
      .map((a) => `(${a.map(lit).join(', ')})`)
      .join(', ')}) t(a, m, s, c)`,
    path.join(root, 'accounts.parquet'),
  );
  for (const [id, sh] of Object.entries(shards)) {
    const dir = path.join(root, `shard=${id}`, `date=${DATE}`);
    await mkdir(dir, { recursive: true });
    const segs = sh.segments ?? [];
    for (const s of segs)
      if (s.rows !== undefined) await writeSegment(path.join(dir, s.file), s.rows);
    for (const [f, rows] of Object.entries(sh.extra ?? {}))
      await writeSegment(path.join(dir, f), rows);
    const text =
      sh.indexText !== undefined
        ? sh.indexText
        : JSON.stringify({
            shard_id: id,
            settlement_date: DATE,
            replica_high_watermark: sh.watermark ?? ON_TIME,
            segments: segs.map(({ file, first_seq, last_seq, row_count }) => ({
              file,
              first_seq,
              last_seq,
              row_count,
            })),
          });
    if (text !== null) await writeFile(path.join(dir, '_segments.json'), text);
  }
  return root;
}

const run = (root: string, extra: Partial<ReferenceInput> = {}): Promise<ReferenceResult> =>
  computeReference({ snapshotDir: root, settlementDate: DATE, isoCurrencies: iso, ...extra });

function row(res: ReferenceResult, m: string, c: string): ReferenceRow {
  const r = res.rows.find((x) => x.merchant_id === m && x.currency === c);
  if (r === undefined) throw new Error(`no row ${m}/${c}`);
  return r;
}

/** A row with every column zero / default, for toEqual comparisons. */
function zeroRow(m: string, c: string, over: Partial<ReferenceRow> = {}): ReferenceRow {
  return {
    settlement_date: DATE,
    merchant_id: m,
    currency: c,
    entry_count: 0n,
    charge_count: 0n,
    gross_inflow: 0n,
    refunds: 0n,
    chargeback_count: 0n,
    chargebacks_net: 0n,
    fees: 0n,
    adjustments_net: 0n,
    net_inflow: 0n,
    payouts_settled: 0n,
    failed_payout_count: 0n,
    payouts_failed: 0n,
    holds_delta: 0n,
    reserve_delta: 0n,
    available_delta: 0n,
    distinct_customers: 0n,
    available_balance: 0n,
    holds_balance: 0n,
    reserve_balance: 0n,
    rejected_entries: 0n,
    books_complete: true,
    incomplete_reason: null,
    reserve_review: false,
    payout_eligible: false,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// The main 2-shard example
// ---------------------------------------------------------------------------------------------

const ACCOUNTS: [string, string, string, string][] = [
  ['A1', 'M1', '00', 'USD'],
  ['A2', 'M1', '01', 'EUR'],
  ['B1', 'M2', '00', 'USD'],
  ['C1', 'M3', '01', 'JPY'],
  ['E1', 'M6', '01', 'GBP'],
];

const r = (
  id: V,
  shard: V,
  seq: V,
  acct: V,
  m: V,
  cust: V,
  type: V,
  amt: V,
  cur: V,
  d: V = DATE,
): Row => [id, shard, seq, acct, m, cust, type, amt, cur, d];

function mainShards(opts: { short: boolean; lag: boolean }): Record<string, Shard> {
  const seg1: Row[] = [
    r('e1', '00', 1, 'A1', 'M1', 'c1', 'charge', 1000, 'USD'),
    r('e2', '00', 2, 'A1', 'M1', 'c2', 'charge', 2000, 'USD'),
    r('e2', '00', 2, 'A1', 'M1', 'c2', 'charge', 2000, 'USD'), // exact duplicate
    r('e3', '00', 3, 'A1', 'M1', 'c1', 'charge', 500, 'USD'),
    r('e4', '00', 4, 'A1', 'M1', null, 'refund', 300, 'USD'),
    r('e5', '00', 5, 'A1', 'M1', null, 'chargeback', 400, 'USD'),
    r('e6', '00', 6, 'A1', 'M1', null, 'chargeback_reversal', 100, 'USD'),
    r('e7', '00', 7, 'A1', 'M1', null, 'fee', 50, 'USD'),
    r('e8', '00', 8, 'A1', 'M1', null, 'adjustment_credit', 70, 'USD'),
  ];
  const seg2: Row[] = [
    r('e9', '00', 9, 'A1', 'M1', null, 'adjustment_debit', 20, 'USD'),
    r('e10', '00', 10, 'A1', 'M1', null, 'payout', 600, 'USD'),
    r('e11', '00', 11, 'A1', 'M1', null, 'payout_failed', 200, 'USD'),
    r('e12', '00', 12, 'A1', 'M1', null, 'hold', 150, 'USD'),
    r('e13', '00', 13, 'A1', 'M1', null, 'hold_release', 40, 'USD'),
    r('e14', '00', 14, 'A1', 'M1', null, 'reserve', 90, 'USD'),
    r('e15', '00', 15, 'A1', 'M1', null, 'reserve_release', 30, 'USD'),
    // several reasons at once (bad type, bad amount, bad currency, missing key): first one wins
    r('e16', '00', 16, 'A1', null, null, 'CHARGE', 0, 'usd'),
    // out_of_window and missing_customer_ref: out_of_window wins; counted on M2/USD
    r('e17', '00', 17, 'B1', 'M2', '', 'charge', 5000, 'USD', '2026-04-04'),
    r('e18', '00', 18, 'B1', 'M2', 'c9', 'charge', 700, 'USD'),
    // account A1 belongs to M1: directory_mismatch, counted on the row's own M2/USD
    r('e19', '00', 19, 'A1', 'M2', 'c1', 'charge', 100, 'USD'),
    r('e20', '00', 20, 'Z9', 'M1', null, 'fee', 5, 'USD'), // unknown_account → M1/USD
    r('e21', '00', 21, 'B1', 'M2', 'c1', 'charge', 100, 'usd'), // bad_currency → M2/usd (no row)
    r('e22', '00', 22, '', 'M2', 'c1', 'charge', 100, 'USD'), // missing_key → M2/USD
    r('e23', '00', 23, 'B1', 'M2', null, 'charge', 100, 'USD'), // missing_customer_ref → M2/USD
  ];
  const seg3: Row[] = [24, 25, 26, 27].map((s) =>
    r(`e${s}`, '00', s, 'B1', 'M2', 'cx', 'charge', 999, 'USD'),
  );
  const s01: Row[] = [
    r('e100', '01', 100, 'A2', 'M1', 'c5', 'charge', 3000, 'EUR'),
    r('e101', '01', 101, 'A2', 'M1', null, 'chargeback', 3000, 'EUR'),
    r('e102', '01', 102, 'C1', 'M3', 'c7', 'charge', 10000, 'JPY'),
    r('e103', '01', 103, 'C1', 'M3', 'c7', 'charge', 20000, 'JPY'),
    r('e104', '01', 104, 'C1', 'M3', null, 'fee', null, 'JPY'), // bad_amount → M3/JPY
  ];
  return {
    '00': {
      segments: [
        { file: 'seg-1.parquet', first_seq: 1, last_seq: 8, row_count: 8, rows: seg1 },
        { file: 'seg-2.parquet', first_seq: 9, last_seq: 23, row_count: 15, rows: seg2 },
        ...(opts.short
          ? [{ file: 'seg-3.parquet', first_seq: 24, last_seq: 28, row_count: 5, rows: seg3 }]
          : []),
      ],
      extra: { 'stray.parquet': [r('s1', '00', 999, 'A1', 'M1', 'c1', 'charge', 1, 'USD')] },
    },
    '01': {
      watermark: opts.lag ? LATE : ON_TIME,
      segments: [{ file: 'seg-1.parquet', first_seq: 100, last_seq: 104, row_count: 5, rows: s01 }],
    },
    // not in the directory: ignored entirely (not read, not reported)
    '99': {
      segments: [
        {
          file: 'seg-1.parquet',
          first_seq: 1,
          last_seq: 1,
          row_count: 1,
          rows: [r('x1', '99', 1, 'A1', 'M1', 'c1', 'charge', 7, 'USD')],
        },
      ],
      extra: { 'stray.parquet': [] },
    },
  };
}

const M1_USD_DELTAS: Partial<ReferenceRow> = {
  entry_count: 15n, // e1..e15
  charge_count: 3n,
  gross_inflow: 3500n, // 1000 + 2000 + 500 (duplicate of e2 removed)
  refunds: 300n,
  chargeback_count: 1n,
  chargebacks_net: 300n, // 400 - 100
  fees: 50n,
  adjustments_net: 50n, // 70 - 20
  net_inflow: 2900n, // 3500 - 300 - 300 - 50 + 50
  payouts_settled: 600n,
  failed_payout_count: 1n,
  payouts_failed: 200n,
  holds_delta: 110n, // 150 - 40
  reserve_delta: 60n, // 90 - 30
  available_delta: 2330n, // 2900 - 600 + 200 - 110 - 60
  distinct_customers: 2n, // c1, c2
  rejected_entries: 1n, // e20 (e16 has NULL merchant_id)
};

describe('reference implementation: 2-shard example', () => {
  let res: ReferenceResult;
  beforeAll(async () => {
    const root = await snapshot(ACCOUNTS, mainShards({ short: true, lag: true }));
    res = await run(root, {
      opening: [
        {
          merchant_id: 'M1',
          currency: 'USD',
          available_balance: 10n,
          holds_balance: 5n,
          reserve_balance: 7n,
        },
        {
          merchant_id: 'M5',
          currency: 'GBP',
          available_balance: 1000n,
          holds_balance: 2n,
          reserve_balance: 3n,
        },
      ],
    });
  });

  it('rows: every directory pair plus opening pairs, byte-order sorted', () => {
    expect(res.rows.map((x) => `${x.merchant_id}/${x.currency}`)).toEqual([
      'M1/EUR',
      'M1/USD',
      'M2/USD',
      'M3/JPY',
      'M5/GBP',
      'M6/GBP',
    ]);
  });

  it('M1/USD: every entry type, duplicate removed, opening added', () => {
    expect(row(res, 'M1', 'USD')).toEqual(
      zeroRow('M1', 'USD', {
        ...M1_USD_DELTAS,
        available_balance: 2340n,
        holds_balance: 115n,
        reserve_balance: 67n,
        books_complete: false,
        incomplete_reason: 'missing_segment:00;replica_lag:01',
      }),
    );
  });

  it('M1/EUR, M2/USD, M3/JPY, M5/GBP (opening only), M6/GBP (no entries)', () => {
    expect(row(res, 'M1', 'EUR')).toEqual(
      zeroRow('M1', 'EUR', {
        entry_count: 2n,
        charge_count: 1n,
        gross_inflow: 3000n,
        chargeback_count: 1n,
        chargebacks_net: 3000n,
        distinct_customers: 1n,
        books_complete: false,
        incomplete_reason: 'missing_segment:00;replica_lag:01',
      }),
    );
    expect(row(res, 'M2', 'USD')).toEqual(
      zeroRow('M2', 'USD', {
        entry_count: 1n,
        charge_count: 1n,
        gross_inflow: 700n,
        net_inflow: 700n,
        available_delta: 700n,
        available_balance: 700n,
        distinct_customers: 1n,
        rejected_entries: 4n, // e17, e19, e22, e23; the short segment's rows are excluded, not rejected
        books_complete: false,
        incomplete_reason: 'missing_segment:00',
      }),
    );
    expect(row(res, 'M3', 'JPY')).toEqual(
      zeroRow('M3', 'JPY', {
        entry_count: 2n,
        charge_count: 2n,
        gross_inflow: 30000n,
        net_inflow: 30000n,
        available_delta: 30000n,
        available_balance: 30000n,
        distinct_customers: 1n,
        rejected_entries: 1n,
        books_complete: false,
        incomplete_reason: 'replica_lag:01',
      }),
    );
    expect(row(res, 'M5', 'GBP')).toEqual(
      zeroRow('M5', 'GBP', {
        available_balance: 1000n,
        holds_balance: 2n,
        reserve_balance: 3n,
        payout_eligible: true,
      }),
    );
    expect(row(res, 'M6', 'GBP')).toEqual(
      zeroRow('M6', 'GBP', { books_complete: false, incomplete_reason: 'replica_lag:01' }),
    );
  });

  it('rejects: first applicable reason, file relative with forward slashes', () => {
    const f00 = `shard=00/date=${DATE}/seg-2.parquet`;
    const f01 = `shard=01/date=${DATE}/seg-1.parquet`;
    expect(res.rejects).toEqual([
      { entry_id: 'e16', seq: 16n, file: f00, reject_reason: 'unknown_entry_type' },
      { entry_id: 'e17', seq: 17n, file: f00, reject_reason: 'out_of_window' },
      { entry_id: 'e19', seq: 19n, file: f00, reject_reason: 'directory_mismatch' },
      { entry_id: 'e20', seq: 20n, file: f00, reject_reason: 'unknown_account' },
      { entry_id: 'e21', seq: 21n, file: f00, reject_reason: 'bad_currency' },
      { entry_id: 'e22', seq: 22n, file: f00, reject_reason: 'missing_key' },
      { entry_id: 'e23', seq: 23n, file: f00, reject_reason: 'missing_customer_ref' },
      { entry_id: 'e104', seq: 104n, file: f01, reject_reason: 'bad_amount' },
    ]);
  });

  it('stats, shards, unlisted files, reject ratio', () => {
    // read: 9 + 15 + 4 (short seg-3) + 5 = 33 = 20 accepted + 8 rejected + 4 excluded + 1 duplicate
    expect(res.stats).toEqual({
      rows_read: 33n,
      accepted: 20n,
      rejected: 8n,
      excluded: 4n,
      duplicates_removed: 1n,
    });
    expect(res.shards).toEqual({
      '00': { complete: false, reasons: ['missing_segment:00'] },
      '01': { complete: false, reasons: ['replica_lag:01'] },
    });
    expect(res.unlistedFiles).toEqual([`shard=00/date=${DATE}/stray.parquet`]);
    expect(res.duplicateEntryIdsAcrossSegments).toEqual([]);
    expect(res.rejectRatioFails).toBe(true); // 8 * 10000 > 28 * 100
  });
});

describe('reference implementation: same example, healthy variant and policy', () => {
  it('no short segment, no lag: books complete and payout eligibility', async () => {
    const root = await snapshot(ACCOUNTS, mainShards({ short: false, lag: false }));
    const res = await run(root, { policy: { ...defaultPolicy, min_charges: 1 } });
    expect(row(res, 'M1', 'USD')).toEqual(
      zeroRow('M1', 'USD', {
        ...M1_USD_DELTAS,
        available_balance: 2330n,
        holds_balance: 110n,
        reserve_balance: 60n,
        reserve_review: true,
      }),
    );
    // M1/EUR: 1 chargeback of 1 charge → 10000 > 100 → review; M2/USD 700 > 0 → eligible
    expect(row(res, 'M1', 'EUR').reserve_review).toBe(true);
    expect(row(res, 'M1', 'EUR').payout_eligible).toBe(false);
    expect(row(res, 'M2', 'USD')).toMatchObject({
      books_complete: true,
      incomplete_reason: null,
      reserve_review: false,
      payout_eligible: true,
    });
    expect(row(res, 'M6', 'GBP')).toMatchObject({ books_complete: true, payout_eligible: false }); // balance 0
    expect(res.stats).toEqual({
      rows_read: 29n,
      accepted: 20n,
      rejected: 8n,
      excluded: 0n,
      duplicates_removed: 1n,
    });
    expect(res.shards).toEqual({
      '00': { complete: true, reasons: [] },
      '01': { complete: true, reasons: [] },
    });
    // default policy: 3 charges < 20 → no review
    const res2 = await run(root);
    expect(row(res2, 'M1', 'USD')).toMatchObject({ reserve_review: false, payout_eligible: true });
    // a permissive reject ratio passes
    const res3 = await run(root, { policy: { ...defaultPolicy, max_reject_ratio_bps: 10000 } });
    expect(res3.rejectRatioFails).toBe(false);
    // 8 * 10000 = 80000 > 28 * 2857 = 79996 fails; 28 * 2858 = 80024 passes
    expect(
      (await run(root, { policy: { ...defaultPolicy, max_reject_ratio_bps: 2857 } }))
        .rejectRatioFails,
    ).toBe(true);
    expect(
      (await run(root, { policy: { ...defaultPolicy, max_reject_ratio_bps: 2858 } }))
        .rejectRatioFails,
    ).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Segment / index rules
// ---------------------------------------------------------------------------------------------

const ACC1: [string, string, string, string][] = [
  ['A1', 'M1', '00', 'USD'],
  ['B1', 'M2', '01', 'USD'],
];
const charges = (
  shard: string,
  acct: string,
  m: string,
  from: number,
  n: number,
  idPrefix = 'e',
): Row[] =>
  Array.from({ length: n }, (_, i) =>
    r(`${idPrefix}${shard}-${from + i}`, shard, from + i, acct, m, 'c', 'charge', 10, 'USD'),
  );
const healthy01: Shard = {
  segments: [
    {
      file: 's.parquet',
      first_seq: 1,
      last_seq: 2,
      row_count: 2,
      rows: charges('01', 'B1', 'M2', 1, 2),
    },
  ],
};

async function shard00(sh: Shard): Promise<ReferenceResult> {
  return run(await snapshot(ACC1, { '00': sh, '01': healthy01 }));
}

describe('reference implementation: segment and index rules', () => {
  it('index gap: shard incomplete, both complete segments still count', async () => {
    const res = await shard00({
      segments: [
        {
          file: 'a.parquet',
          first_seq: 1,
          last_seq: 3,
          row_count: 3,
          rows: charges('00', 'A1', 'M1', 1, 3),
        },
        {
          file: 'b.parquet',
          first_seq: 5,
          last_seq: 6,
          row_count: 2,
          rows: charges('00', 'A1', 'M1', 5, 2),
        },
      ],
    });
    expect(row(res, 'M1', 'USD')).toMatchObject({
      entry_count: 5n,
      gross_inflow: 50n,
      books_complete: false,
      incomplete_reason: 'missing_segment:00',
    });
    expect(row(res, 'M2', 'USD')).toMatchObject({
      entry_count: 2n,
      books_complete: true,
      incomplete_reason: null,
    });
    expect(res.stats).toMatchObject({ excluded: 0n, accepted: 7n });
  });

  it.each([
    ['unsorted', [{ a: [4, 6] }, { b: [1, 3] }]],
    ['overlapping', [{ a: [1, 3] }, { b: [3, 5] }]],
  ])('%s index: all its segments excluded', async (_name, spec) => {
    const segments: Seg[] = spec.map((o) => {
      const [file, [f, l]] = Object.entries(o)[0] as [string, [number, number]];
      return {
        file: `${file}.parquet`,
        first_seq: f,
        last_seq: l,
        row_count: l - f + 1,
        rows: charges('00', 'A1', 'M1', f, l - f + 1, file),
      };
    });
    const res = await shard00({ segments });
    expect(row(res, 'M1', 'USD')).toMatchObject({
      entry_count: 0n,
      books_complete: false,
      incomplete_reason: 'missing_segment:00',
    });
    // Its files are not read; they count as unlisted, like those of an index that does not parse.
    expect(res.stats).toEqual({
      rows_read: 2n,
      accepted: 2n,
      rejected: 0n,
      excluded: 0n,
      duplicates_removed: 0n,
    });
    expect(res.unlistedFiles).toEqual([
      `shard=00/date=${DATE}/a.parquet`,
      `shard=00/date=${DATE}/b.parquet`,
    ]);
  });

  it.each([
    ['unparseable JSON', '{ not json'],
    [
      'wrong shape',
      JSON.stringify({
        shard_id: '00',
        settlement_date: DATE,
        replica_high_watermark: ON_TIME,
        segments: [{ file: 'a.parquet' }],
      }),
    ],
    [
      'no offset on watermark',
      JSON.stringify({
        shard_id: '00',
        settlement_date: DATE,
        replica_high_watermark: '2026-04-06T01:00:00',
        segments: [],
      }),
    ],
    ['missing index', null],
  ])('%s: shard incomplete, nothing of it counts', async (_name, text) => {
    const res = await shard00({
      indexText: text,
      extra: { 'a.parquet': charges('00', 'A1', 'M1', 1, 3) },
    });
    expect(row(res, 'M1', 'USD')).toMatchObject({
      entry_count: 0n,
      books_complete: false,
      incomplete_reason: 'missing_segment:00',
    });
    expect(res.shards['00']).toEqual({ complete: false, reasons: ['missing_segment:00'] });
    expect(res.unlistedFiles).toEqual([`shard=00/date=${DATE}/a.parquet`]);
    expect(res.stats.rows_read).toBe(2n);
  });

  it('missing shard directory: incomplete; quiet shard with empty index: complete', async () => {
    const missing = await run(await snapshot(ACC1, { '01': healthy01 }));
    expect(missing.shards['00']).toEqual({ complete: false, reasons: ['missing_segment:00'] });
    const quiet = await shard00({ segments: [] });
    expect(quiet.shards['00']).toEqual({ complete: true, reasons: [] });
    expect(row(quiet, 'M1', 'USD')).toEqual(zeroRow('M1', 'USD'));
  });

  it.each<[string, Seg]>([
    ['missing file', { file: 'a.parquet', first_seq: 1, last_seq: 3, row_count: 3 }],
    [
      'long',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 3,
        row_count: 3,
        rows: charges('00', 'A1', 'M1', 1, 4),
      },
    ],
    [
      'short',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 3,
        row_count: 3,
        rows: charges('00', 'A1', 'M1', 1, 2),
      },
    ],
    [
      'seq outside range',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 3,
        row_count: 3,
        rows: charges('00', 'A1', 'M1', 2, 3),
      },
    ],
    [
      'row_count disagrees with range',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 3,
        row_count: 2,
        rows: charges('00', 'A1', 'M1', 1, 3),
      },
    ],
    [
      'two different rows with the same seq',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 2,
        row_count: 2,
        rows: [
          r('x1', '00', 1, 'A1', 'M1', 'c', 'charge', 10, 'USD'),
          r('x2', '00', 1, 'A1', 'M1', 'c', 'charge', 10, 'USD'),
        ],
      },
    ],
    [
      'two different rows with the same entry_id',
      {
        file: 'a.parquet',
        first_seq: 1,
        last_seq: 2,
        row_count: 2,
        rows: [
          r('x1', '00', 1, 'A1', 'M1', 'c', 'charge', 10, 'USD'),
          r('x1', '00', 2, 'A1', 'M1', 'c', 'charge', 10, 'USD'),
        ],
      },
    ],
  ])('%s: segment excluded entirely', async (_name, seg) => {
    const good: Seg = {
      file: 'b.parquet',
      first_seq: 10,
      last_seq: 10,
      row_count: 1,
      rows: charges('00', 'A1', 'M1', 10, 1),
    };
    const res = await shard00({ segments: [seg, good] });
    expect(row(res, 'M1', 'USD')).toMatchObject({
      entry_count: 1n,
      gross_inflow: 10n,
      books_complete: false,
      incomplete_reason: 'missing_segment:00',
    });
    const n = BigInt(seg.rows?.length ?? 0);
    expect(res.stats).toEqual({
      rows_read: n + 3n,
      accepted: 3n,
      rejected: 0n,
      excluded: n,
      duplicates_removed: 0n,
    });
  });

  it('exact duplicates differing only in event_time microseconds are NOT duplicates', async () => {
    const root = await snapshot(ACC1, { '01': healthy01 });
    const dir = path.join(root, `shard=00/date=${DATE}`);
    await mkdir(dir, { recursive: true });
    await copyToParquet(
      `SELECT 'x1' AS entry_id, '00' AS shard_id, 1::BIGINT AS seq, 'A1' AS account_id, 'M1' AS merchant_id, 'c' AS customer_ref,
              'charge' AS entry_type, 10::BIGINT AS amount_minor, 'USD' AS currency,
              TIMESTAMPTZ '2026-04-05 10:00:00.000001+00' + to_microseconds(i) AS event_time, DATE '${DATE}' AS settlement_date
       FROM range(2) t(i)`,
      path.join(dir, 'a.parquet'),
    );
    const idx = {
      shard_id: '00',
      settlement_date: DATE,
      replica_high_watermark: ON_TIME,
      segments: [{ file: 'a.parquet', first_seq: 1, last_seq: 1, row_count: 1 }],
    };
    await writeFile(path.join(dir, '_segments.json'), JSON.stringify(idx));
    const res = await run(root);
    expect(res.stats).toMatchObject({ duplicates_removed: 0n, excluded: 2n });
    expect(res.shards['00']!.complete).toBe(false);
  });

  it('watermark: equal to the cutoff (any offset) is on time, earlier is late', async () => {
    for (const [wm, late] of [
      ['2026-04-06T00:00:00Z', false],
      ['2026-04-05T19:00:00-05:00', false],
      ['2026-04-06T01:59:59.999+02:00', true],
      ['2026-04-05T23:59:59.999999Z', true],
      ['2026-04-06T00:00:00.000001Z', false],
    ] as const) {
      const res = await shard00({ watermark: wm, segments: [] });
      expect(res.shards['00'], wm).toEqual(
        late ? { complete: false, reasons: ['replica_lag:00'] } : { complete: true, reasons: [] },
      );
    }
    expect(parseIsoWithOffset('2026-04-06T00:00:00+0000')).toBe(Date.parse('2026-04-06T00:00:00Z'));
    expect(parseIsoWithOffset('2026-02-30T00:00:00Z')).toBeNull();
  });

  it('lag and missing segment on the same shard both reported', async () => {
    const res = await shard00({
      watermark: LATE,
      segments: [{ file: 'a.parquet', first_seq: 1, last_seq: 1, row_count: 1 }],
    });
    expect(row(res, 'M1', 'USD').incomplete_reason).toBe('missing_segment:00;replica_lag:00');
  });

  it('an entry_id in two complete segments of different shards is reported', async () => {
    const root = await snapshot(ACC1, {
      '00': {
        segments: [
          {
            file: 'a.parquet',
            first_seq: 1,
            last_seq: 1,
            row_count: 1,
            rows: [r('dup', '00', 1, 'A1', 'M1', 'c', 'charge', 10, 'USD')],
          },
        ],
      },
      '01': {
        segments: [
          {
            file: 'a.parquet',
            first_seq: 1,
            last_seq: 1,
            row_count: 1,
            rows: [r('dup', '01', 1, 'B1', 'M2', 'c', 'charge', 10, 'USD')],
          },
        ],
      },
    });
    expect((await run(root)).duplicateEntryIdsAcrossSegments).toEqual(['dup']);
  });
});

describe('reference implementation: helpers', () => {
  it('byte order differs from locale order', () => {
    expect(['b', 'B', 'a', 'é', 'Z'].sort(byteCompare)).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });

  it('shipped ISO list (or fallback) is case-sensitive', () => {
    expect(iso.has('USD')).toBe(true);
    expect(iso.has('JPY')).toBe(true);
    expect(iso.has('usd')).toBe(false);
  });

  it('merchant books span currencies; byte-order merchants and rejected counts on own columns', async () => {
    const root = await snapshot(
      [
        ['a1', 'Mb', '00', 'USD'],
        ['a2', 'Mb', '01', 'EUR'],
        ['a3', 'MB', '00', 'USD'],
      ],
      {
        '00': {
          segments: [
            {
              file: 'a.parquet',
              first_seq: 1,
              last_seq: 1,
              row_count: 1,
              rows: [r('x', '00', 1, 'a3', 'MB', 'c', 'charge', 5, 'USD')],
            },
          ],
        },
        '01': { watermark: LATE, segments: [] },
      },
    );
    const res = await run(root);
    expect(res.rows.map((x) => `${x.merchant_id}/${x.currency}`)).toEqual([
      'MB/USD',
      'Mb/EUR',
      'Mb/USD',
    ]);
    expect(row(res, 'Mb', 'USD')).toMatchObject({
      books_complete: false,
      incomplete_reason: 'replica_lag:01',
    });
    expect(row(res, 'MB', 'USD')).toMatchObject({
      books_complete: true,
      payout_eligible: true,
      available_balance: 5n,
    });
  });
});
