import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorLines } from './util/files.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { repoRoot, runArgs, runCli, settleCli } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
const pointerOf = (wh: string): string =>
  path.join(wh, 'merchant_settlement_summary', 'date=2026-04-05', 'CURRENT');

let snapshot: string;

beforeAll(async () => {
  snapshot = await writeSnapshot(await tempDir(), [A, B], {
    '00': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 30, rows: entries(A, 1, 30) }],
    },
    '01': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 20, rows: entries(B, 1, 20) }],
    },
  });
});

function expectOneLineError(stderr: string, fragment: string): void {
  const lines = errorLines(stderr);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^settle: /);
  expect(lines[0]).toContain(fragment);
}

describe('settle run (real CLI as a child process)', () => {
  it('publishes, prints a summary, and a rerun is a no-op with the same checksum (exit 0)', async () => {
    const wh = await tempDir();
    const args = runArgs(snapshot, '2026-04-05', 'ledger-snapshot-7811', '--warehouse', wh);
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^published v7811 for 2026-04-05 in \d+\.\d s: 2 rows/);
    // Totals in major units, exact: 30 charges of 1001..1030 minor units = 30,465 = 304.65 USD.
    expect(first.stdout).toMatch(/USD +\| +1 \| +30 \| +304\.65 \|/);
    expect(first.stdout).toContain('books complete on every shard');
    const pointer = JSON.parse(await readFile(pointerOf(wh), 'utf8')) as {
      version: string;
      content_checksum: string;
    };
    expect(pointer.version).toBe('v7811');
    // Another partitioning re-runs the scan and reduce tasks and must land on the same checksum.
    const again = await runCli([...args, '--partitions', '3', '--salts', '1', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as {
      outcome: string;
      contentChecksum: string;
      report: {
        stage_seconds: Record<string, number>;
        reduce: { partitions: number; salts: number; partition_rows: number[] };
      };
    };
    expect(json.outcome).toBe('already-published');
    expect(json.contentChecksum).toBe(pointer.content_checksum);
    expect(json.report.reduce).toMatchObject({ partitions: 3, salts: 1 });
    expect(json.report.reduce.partition_rows).toHaveLength(3);
    expect(Object.keys(json.report.stage_seconds)).toEqual(
      expect.arrayContaining(['scan', 'reduce', 'assemble', 'assertions', 'publish']),
    );
  });

  it('SETTLE_THREADS sets the threads of every engine (--threads wins); a bad value exits 2', async () => {
    const wh = await tempDir();
    const query = ['sql', "SELECT current_setting('threads') AS t", '--format', 'csv'];
    const one = await runCli([...query, '--warehouse', wh], { SETTLE_THREADS: '1' });
    expect(one.stdout).toBe('t\r\n1\r\n');
    const bad = await runCli([...query, '--warehouse', wh], { SETTLE_THREADS: 'many' });
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, 'SETTLE_THREADS "many": must be a positive integer');
  });

  it('SETTLE_WAREHOUSE is the default warehouse', async () => {
    const wh = await tempDir();
    const result = await runCli(runArgs(snapshot, '2026-04-05', 'e-42'), { SETTLE_WAREHOUSE: wh });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(pointerOf(wh), 'utf8')).version).toBe('v42');
  });

  const badUsage: Array<[string, string[], string]> = [
    ['missing --epoch', ['run', '--date', '2026-04-05'], 'run needs --epoch'],
    ['invalid date', ['run', '--date', '2026-02-30', '--epoch', 'e1'], '--date "2026-02-30"'],
    [
      'epoch without digits',
      ['run', '--date', '2026-04-05', '--epoch', 'snapshot'],
      'has no digits',
    ],
    [
      'non-numeric --threads',
      ['run', '--date', '2026-04-05', '--epoch', 'e1', '--threads', 'many'],
      'positive integer',
    ],
    ['unknown option', ['run', '--bogus'], 'unknown option'],
  ];
  for (const [name, args, fragment] of badUsage) {
    it(`bad usage exits 2 with one clear line: ${name}`, async () => {
      const wh = await tempDir();
      const withSnapshot =
        args.includes('--date') && !args.includes('--threads')
          ? ['--snapshot', snapshot, ...args.slice(1)]
          : args.slice(1);
      const result = await runCli(['run', ...withSnapshot, '--warehouse', wh]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(fragment);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a snapshot that is not a directory exits 2', async () => {
    const result = await settleCli('/nonexistent/snap', '2026-04-05', 'e1', await tempDir());
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, '/nonexistent/snap');
  });

  it('an error-severity assertion exits 3 and leaves CURRENT and the published version untouched', async () => {
    const wh = await tempDir();
    expect((await settleCli(snapshot, '2026-04-05', 'e-1', wh)).code).toBe(0);
    const before = await readFile(pointerOf(wh), 'utf8');
    // The same entry_id in complete segments of two shards: money would be counted twice.
    const dup = await writeSnapshot(await tempDir(), [A, B], {
      '00': {
        segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 30, rows: entries(A, 1, 30) }],
      },
      '01': {
        segments: [
          {
            file: 'seg-1.parquet',
            first_seq: 1,
            last_seq: 20,
            rows: entries(B, 1, 20, (seq) => (seq === 5 ? { entry_id: 'E-00-5' } : {})),
          },
        ],
      },
    });
    const failed = await settleCli(dup, '2026-04-05', 'e-2', wh);
    expect(failed.code).toBe(3);
    expectOneLineError(failed.stderr, 'unique_entry_id');
    expect(await readFile(pointerOf(wh), 'utf8')).toBe(before);
    await expect(
      readFile(path.join(wh, 'merchant_settlement_summary', 'date=2026-04-05', 'v2', '_SUCCESS')),
    ).rejects.toThrow();
  });

  it('--manifest runs a frozen manifest; a changed input file or a broken manifest exits 2', async () => {
    const wh = await tempDir();
    const snap = await writeSnapshot(await tempDir(), [A], {
      '00': {
        segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 5, rows: entries(A, 1, 5) }],
      },
    });
    const first = await settleCli(snap, '2026-04-05', 'e-7', wh, '--json');
    expect(first.code, first.stderr).toBe(0);
    const manifestPath = (JSON.parse(first.stdout) as { manifestPath: string }).manifestPath;
    const rerun = await runCli(['run', '--manifest', manifestPath, '--warehouse', wh]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('already published');

    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      files: Array<{ path: string }>;
    };
    const escaped = { ...manifest, files: [{ ...manifest.files[0], path: '../../etc/passwd' }] };
    const escapedPath = path.join(await tempDir(), 'escaped.json');
    await writeFile(escapedPath, JSON.stringify(escaped));
    const escapeResult = await runCli(['run', '--manifest', escapedPath, '--warehouse', wh]);
    expect(escapeResult.code).toBe(2);
    expectOneLineError(escapeResult.stderr, 'files.0.path');

    const notJson = path.join(await tempDir(), 'bad.json');
    await writeFile(notJson, '{not json');
    const notJsonResult = await runCli(['run', '--manifest', notJson, '--warehouse', wh]);
    expect(notJsonResult.code).toBe(2);
    expectOneLineError(notJsonResult.stderr, 'not valid JSON');

    await writeFile(path.join(snap, 'shard=00', 'date=2026-04-05', 'seg-1.parquet'), 'changed');
    const changed = await runCli(['run', '--manifest', manifestPath, '--warehouse', wh]);
    expect(changed.code).toBe(2);
    expectOneLineError(changed.stderr, 'changed since the manifest was made');
  });

  it('a runtime failure exits 1 with one line; the stack only with --verbose', async () => {
    process.env['SETTLE_FAIL_AT'] = 'stage:data-written';
    try {
      const wh = await tempDir();
      const result = await settleCli(snapshot, '2026-04-05', 'e-1', wh);
      expect(result.code).toBe(1);
      expectOneLineError(result.stderr, 'file system error: ENOSPC');
      const verbose = await runCli([
        '--verbose',
        ...runArgs(snapshot, '2026-04-05', 'e-1', '--warehouse', wh),
      ]);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
    } finally {
      delete process.env['SETTLE_FAIL_AT'];
    }
  });

  it('a reader that closes the pipe early ends the command quietly with status 141, as SIGPIPE would', () => {
    const bin = path.join(repoRoot, 'dist', 'bin', 'settle.js');
    // `true` exits at once, so settle finds the pipe closed when it writes its help text.
    const shell = spawnSync('bash', [
      '-c',
      `"${process.execPath}" "${bin}" run --help | true; echo "\${PIPESTATUS[0]}"`,
    ]);
    expect(shell.stdout.toString().trim()).toBe('141');
    expect(shell.stderr.toString()).toBe('');
  });
});

describe('settle run: policy from flags and settle.config.json', () => {
  it('--require-complete-books turns incomplete books into exit 3; a config file sets policy and flags win', async () => {
    const snap = await writeSnapshot(await tempDir(), [A, B], {
      '00': {
        segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 5, rows: entries(A, 1, 5) }],
      },
      '01': { watermark: '2026-04-05T23:00:00Z', segments: [] }, // replica lag: books incomplete
    });
    const wh = await tempDir();
    const strict = await settleCli(snap, '2026-04-05', 'e-1', wh, '--require-complete-books');
    expect(strict.code, strict.stderr).toBe(3);
    expectOneLineError(strict.stderr, 'incomplete_books');
    expect(await readdir(wh)).not.toContain('merchant_settlement_summary');

    const config = path.join(await tempDir(), 'settle.config.json');
    await writeFile(
      config,
      JSON.stringify({ policy: { require_complete_books: true, min_charges: 3 } }),
    );
    const fromFile = await settleCli(snap, '2026-04-05', 'e-1', wh, '--config', config);
    expect(fromFile.code).toBe(3);
    await writeFile(
      config,
      JSON.stringify({ policy: { min_charges: 3, chargeback_ratio_bps: 7 } }),
    );
    const lenient = await settleCli(
      snap,
      '2026-04-05',
      'e-1',
      wh,
      '--config',
      config,
      '--min-charges',
      '4',
      '--json',
    );
    expect(lenient.code, lenient.stderr).toBe(0);
    const manifest = JSON.parse(
      await readFile((JSON.parse(lenient.stdout) as { manifestPath: string }).manifestPath, 'utf8'),
    );
    expect(manifest.policy).toEqual({
      min_charges: 4,
      chargeback_ratio_bps: 7,
      max_reject_ratio_bps: 100,
      require_complete_books: false,
    });
    await writeFile(config, JSON.stringify({ policy: { min_charge: 3 } }));
    const bad = await settleCli(snap, '2026-04-05', 'e-1', wh, '--config', config);
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, 'settle.config.json: policy: Unrecognized key');
  });
});
