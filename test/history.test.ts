import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import {
  entries,
  entry,
  tempDir,
  writeEntriesFile,
  writeSnapshot,
  type Account,
  type Entry,
} from './util/snapshot.js';
import { exportCli, readRows, runArgs, runCli, settleCli } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '00', currency: 'USD' };
const C: Account = { account_id: 'C1', merchant_id: 'M3', shard_id: '01', currency: 'EUR' };
const accounts = [A, B, C];

const versionDir = (wh: string, date: string, version: string): string =>
  path.join(wh, 'merchant_settlement_summary', `date=${date}`, version);
const pointerOf = (wh: string, date: string): string =>
  path.join(wh, 'merchant_settlement_summary', `date=${date}`, 'CURRENT');

async function snapshotFor(date: string, rowsByShard: Record<string, Entry[]>): Promise<string> {
  const watermark = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 + 60_000).toISOString();
  const shards = Object.fromEntries(
    Object.entries(rowsByShard).map(([id, rows]) => [
      id,
      {
        watermark,
        segments:
          rows.length === 0
            ? []
            : [{ file: 'seg-1.parquet', first_seq: 1, last_seq: rows.length, rows }],
      },
    ]),
  );
  return writeSnapshot(await tempDir(), accounts, shards, date);
}

function dayRows(
  date: string,
  account: Account,
  firstSeq: number,
  types: Array<[string, number]>,
): Entry[] {
  return types.map(([type, amount], i) =>
    entry(account, firstSeq + i, {
      entry_type: type,
      amount_minor: amount,
      settlement_date: date,
      event_time: `${date} 10:00:00+00`,
      customer_ref: type === 'charge' ? `C${i}` : null,
    }),
  );
}

type Balances = { available: bigint; holds: bigint; reserve: bigint };

/** Independent balance arithmetic for the chain test: each entry type's effect on the three balances. */
const effect: Record<string, [bigint, bigint, bigint]> = {
  charge: [1n, 0n, 0n],
  refund: [-1n, 0n, 0n],
  chargeback: [-1n, 0n, 0n],
  chargeback_reversal: [1n, 0n, 0n],
  fee: [-1n, 0n, 0n],
  adjustment_credit: [1n, 0n, 0n],
  adjustment_debit: [-1n, 0n, 0n],
  payout: [-1n, 0n, 0n],
  payout_failed: [1n, 0n, 0n],
  hold: [-1n, 1n, 0n],
  hold_release: [1n, -1n, 0n],
  reserve: [-1n, 0n, 1n],
  reserve_release: [1n, 0n, -1n],
};

function applyDay(balances: Map<string, Balances>, rows: Entry[]): void {
  for (const r of rows) {
    const key = `${r.merchant_id}/${r.currency}`;
    const b = balances.get(key) ?? { available: 0n, holds: 0n, reserve: 0n };
    const [av, ho, re] = effect[r.entry_type!]!;
    const amount = BigInt(r.amount_minor!);
    balances.set(key, {
      available: b.available + av * amount,
      holds: b.holds + ho * amount,
      reserve: b.reserve + re * amount,
    });
  }
}

describe('history: opening balances, corrections, versions, verify, diff, rollback', () => {
  it('a three-day chain carries balances forward, including merchants with no entries that day', async () => {
    const wh = await tempDir();
    const days: Array<[string, Record<string, Entry[]>]> = [
      [
        '2026-04-05',
        {
          '00': [
            ...dayRows('2026-04-05', A, 1, [
              ['charge', 10000],
              ['fee', 300],
              ['hold', 2000],
              ['reserve', 500],
            ]),
            ...dayRows('2026-04-05', B, 5, [['charge', 7000]]),
          ],
          '01': dayRows('2026-04-05', C, 1, [
            ['charge', 900],
            ['payout', 400],
          ]),
        },
      ],
      [
        '2026-04-06',
        {
          '00': dayRows('2026-04-06', A, 1, [
            ['payout', 5000],
            ['hold_release', 1500],
            ['chargeback', 100],
          ]),
          '01': [],
        },
      ],
      [
        '2026-04-07',
        {
          '00': dayRows('2026-04-07', B, 1, [
            ['refund', 1000],
            ['reserve', 50],
          ]),
          '01': dayRows('2026-04-07', C, 1, [
            ['payout_failed', 400],
            ['adjustment_debit', 25],
            ['reserve_release', 10],
          ]),
        },
      ],
    ];
    const expected = new Map<string, Balances>();
    let previous: string | undefined;
    for (const [i, [date, rows]] of days.entries()) {
      const args = runArgs(await snapshotFor(date, rows), date, `e-${i + 1}`, '--warehouse', wh);
      if (previous !== undefined) args.push('--opening-version', previous);
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      previous = `v${i + 1}`;
      applyDay(expected, Object.values(rows).flat());
      const published = await readRows(path.join(versionDir(wh, date, previous), 'data'));
      expect(published.map((r) => `${String(r['merchant_id'])}/${String(r['currency'])}`)).toEqual([
        'M1/USD',
        'M2/USD',
        'M3/EUR',
      ]);
      for (const row of published) {
        const e = expected.get(`${String(row['merchant_id'])}/${String(row['currency'])}`) ?? {
          available: 0n,
          holds: 0n,
          reserve: 0n,
        };
        expect(
          [row['available_balance'], row['holds_balance'], row['reserve_balance']],
          `${date} ${String(row['merchant_id'])}`,
        ).toEqual([e.available, e.holds, e.reserve]);
      }
    }
    const wrongDay = await settleCli(
      await snapshotFor('2026-04-09', { '00': [], '01': [] }),
      '2026-04-09',
      'e-9',
      wh,
      '--opening-version',
      'v1',
    );
    expect(wrongDay.code).toBe(2);
    expect(wrongDay.stderr).toContain('must be for 2026-04-08');
  });

  it('a merchant only in the opening version is carried forward with unchanged balances', async () => {
    const wh = await tempDir();
    const gone: Account = {
      account_id: 'G1',
      merchant_id: 'M0-gone',
      shard_id: '00',
      currency: 'USD',
    };
    const day1 = await writeSnapshot(await tempDir(), [...accounts, gone], {
      '00': {
        segments: [
          {
            file: 's.parquet',
            first_seq: 1,
            last_seq: 1,
            rows: [entry(gone, 1, { amount_minor: 777 })],
          },
        ],
      },
      '01': { segments: [] },
    });
    expect((await settleCli(day1, '2026-04-05', 'e-1', wh)).code).toBe(0);
    const day2 = await snapshotFor('2026-04-06', { '00': [], '01': [] });
    const run = await settleCli(day2, '2026-04-06', 'e-2', wh, '--opening-version', 'v1');
    expect(run.code, run.stderr).toBe(0);
    const row = (await readRows(path.join(versionDir(wh, '2026-04-06', 'v2'), 'data'))).find(
      (r) => r['merchant_id'] === 'M0-gone',
    );
    expect(row).toMatchObject({
      entry_count: 0n,
      available_delta: 0n,
      available_balance: 777n,
      books_complete: true,
    });
  });

  it('a correction publishes v<epoch>.1 superseding the old version, changes exactly one row, and diff shows it', async () => {
    const wh = await tempDir();
    const date = '2026-04-05';
    const snapshot = await snapshotFor(date, {
      '00': [...entries(A, 1, 100), ...entries(B, 101, 100)],
      '01': entries(C, 1, 10),
    });
    expect((await settleCli(snapshot, date, 'ledger-snapshot-7811', wh)).code).toBe(0);
    const correction = await writeEntriesFile(
      path.join(snapshot, 'corrections', 'late-1.parquet'),
      [
        entry(B, 9001, {
          entry_id: 'CORR-1',
          entry_type: 'refund',
          amount_minor: 250,
          customer_ref: null,
        }),
        entry(B, 9002, { entry_id: 'E-00-101', entry_type: 'adjustment_credit', amount_minor: 99 }), // the ledger already has it
      ],
    );
    const run = await settleCli(
      snapshot,
      date,
      'ledger-snapshot-7811',
      wh,
      '--corrections',
      correction,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { version: string }).version).toBe('v7811.1');
    const success = JSON.parse(
      await readFile(path.join(versionDir(wh, date, 'v7811.1'), '_SUCCESS'), 'utf8'),
    ) as { lineage: { supersedes: string } };
    expect(success.lineage.supersedes).toBe('v7811');
    const rejects = await readRows(path.join(versionDir(wh, date, 'v7811.1'), 'rejects'));
    expect(rejects.map((r) => [r['entry_id'], r['reject_reason'], r['file']])).toEqual([
      ['E-00-101', 'duplicate_entry_id', 'corrections/late-1.parquet'],
    ]);

    const diff = await runCli([
      'diff',
      '--from',
      'v7811',
      '--to',
      'v7811.1',
      '--warehouse',
      wh,
      '--json',
    ]);
    expect(diff.code, diff.stderr).toBe(0);
    const parsed = JSON.parse(diff.stdout) as {
      summary: Record<string, number>;
      rows: Array<{ merchant_id: string; change: string; changed_columns: string[] }>;
      totals: Array<{ currency: string; measure: string; difference: string }>;
    };
    expect(parsed.summary).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(parsed.rows[0]).toMatchObject({ merchant_id: 'M2', change: 'changed' });
    expect(parsed.rows[0]!.changed_columns).toEqual([
      'available_balance',
      'available_delta',
      'entry_count',
      'net_inflow',
      'refunds',
      'rejected_entries',
    ]);
    expect(
      parsed.totals.find((t) => t.currency === 'USD' && t.measure === 'refunds')?.difference,
    ).toBe('250');
    const text = await runCli(['diff', '--from', 'v7811', '--to', 'v7811.1', '--warehouse', wh]);
    expect(text.stdout).toContain('0 added, 0 removed, 1 changed');

    // The old version stays intact and exportable by pin; CURRENT names the correction.
    const out = path.join(await tempDir(), 'old.csv');
    expect((await exportCli(wh, '--version', 'v7811', '--format', 'csv', '--out', out)).code).toBe(
      0,
    );
    expect(JSON.parse(await readFile(pointerOf(wh, date), 'utf8')).version).toBe('v7811.1');
  });

  it('a correction file outside the snapshot root is refused (exit 2)', async () => {
    const snapshot = await snapshotFor('2026-04-05', { '00': entries(A, 1, 3), '01': [] });
    const outside = await writeEntriesFile(path.join(await tempDir(), 'c.parquet'), [entry(A, 99)]);
    const result = await settleCli(
      snapshot,
      '2026-04-05',
      'e-1',
      await tempDir(),
      '--corrections',
      outside,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('outside the snapshot root');
  });

  it('versions, rollback (recorded, never deletes), verify (match, tampered output, changed input)', async () => {
    const wh = await tempDir();
    const date = '2026-04-05';
    const snap1 = await snapshotFor(date, { '00': entries(A, 1, 10), '01': entries(C, 1, 5) });
    const snap2 = await snapshotFor(date, { '00': entries(A, 1, 12), '01': entries(C, 1, 5) });
    expect((await settleCli(snap1, date, 'e-1', wh)).code).toBe(0);
    expect((await settleCli(snap2, date, 'e-2', wh)).code).toBe(0);

    const rollback = await runCli(['rollback', '--date', date, '--to', 'v1', '--warehouse', wh]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('moved from v2 to v1');
    const versions = JSON.parse(
      (await runCli(['versions', '--date', date, '--json', '--warehouse', wh])).stdout,
    ) as Array<{
      current: string;
      versions: Array<{ version: string; current: boolean }>;
      history: Array<{ event: string; version: string }>;
    }>;
    expect(versions[0]!.current).toBe('v1');
    expect(versions[0]!.versions.map((v) => [v.version, v.current])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
    expect(versions[0]!.history.map((h) => `${h.event}:${h.version}`)).toEqual([
      'publish:v1',
      'publish:v2',
      'rollback:v1',
    ]);
    expect((await runCli(['versions', '--warehouse', wh])).stdout).toMatch(/v1\s+\|\s+\*/);
    // Rerunning v2's manifest after the rollback is a no-op: it does not undo the rollback.
    expect((await settleCli(snap2, date, 'e-2', wh)).stdout).toContain('already published');
    expect(JSON.parse(await readFile(pointerOf(wh, date), 'utf8')).version).toBe('v1');
    expect((await runCli(['rollback', '--date', date, '--to', 'v9', '--warehouse', wh])).code).toBe(
      2,
    );

    const ok = await runCli(['verify', '--version', 'v2', '--warehouse', wh]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('OK');

    // Tamper with published data (and its marker): the rebuild no longer matches.
    const data = path.join(versionDir(wh, date, 'v1'), 'data', 'part-00000.parquet');
    await withDb({}, (db) =>
      db.run(
        `COPY (SELECT * REPLACE (fees + 1 AS fees) FROM read_parquet(${quoteString(data)})) TO ${quoteString(`${data}.x`)} (FORMAT parquet)`,
      ),
    );
    await rename(`${data}.x`, data);
    const marker = path.join(versionDir(wh, date, 'v1'), '_SUCCESS');
    await writeFile(
      marker,
      JSON.stringify({
        ...JSON.parse(await readFile(marker, 'utf8')),
        content_checksum: '0'.repeat(64),
      }),
    );
    const mismatch = await runCli(['verify', '--version', 'v1', '--warehouse', wh]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('MISMATCH');

    // An input file changed since the manifest: verify refuses with exit 2.
    await writeFile(path.join(snap2, 'shard=01', `date=${date}`, 'seg-1.parquet'), 'changed');
    const changed = await runCli(['verify', '--version', 'v2', '--warehouse', wh]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('changed since the manifest was made');
  });
});
