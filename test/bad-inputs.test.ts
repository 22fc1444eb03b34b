import { mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorLines } from './util/files.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { entries, entry, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { exportCli, runArgs, runCli } from './util/pipeline.js';

/**
 * The catalogue of bad inputs: each case runs the real CLI and asserts the exit code, one clear
 * line naming the file, field or reason, and that nothing was published (CURRENT unchanged).
 */
const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
const DATE = '2026-04-05';

/** A snapshot of these accounts whose two shards hold no segment for the date. */
async function emptyShards(accounts: Account[], date = DATE): Promise<string> {
  return writeSnapshot(
    await tempDir(),
    accounts,
    { '00': { segments: [] }, '01': { segments: [] } },
    date,
  );
}

async function healthySnapshot(): Promise<string> {
  return writeSnapshot(await tempDir(), [A, B], {
    '00': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 20, rows: entries(A, 1, 20) }],
    },
    '01': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(B, 1, 10) }],
    },
  });
}

async function rewriteParquet(file: string, select: string): Promise<void> {
  await withDb({}, async (db) => {
    await db.run(
      `COPY (${select.replace('$src', `read_parquet(${quoteString(file)})`)}) TO ${quoteString(`${file}.new`)} (FORMAT parquet)`,
    );
  });
  await rm(file);
  const { rename } = await import('node:fs/promises');
  await rename(`${file}.new`, file);
}

/** A case whose setup rewrites shard 01's segment of a healthy snapshot with `select`. */
const withRewrittenSegment = (select: string) => async (): Promise<string[]> => {
  const s = await healthySnapshot();
  await rewriteParquet(seg(s), select);
  return run(s);
};

const seg = (snapshot: string, shard = '01'): string =>
  path.join(snapshot, `shard=${shard}`, `date=${DATE}`, 'seg-1.parquet');

async function published(warehouse: string): Promise<string[]> {
  try {
    const dir = path.join(warehouse, 'merchant_settlement_summary', `date=${DATE}`);
    return (await readdir(dir)).filter((f) => f === 'CURRENT' || f.startsWith('v'));
  } catch {
    return [];
  }
}

function expectOneLine(stderr: string, fragment: string | RegExp): void {
  const lines = errorLines(stderr);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^settle: /);
  if (typeof fragment === 'string') expect(lines[0]).toContain(fragment);
  else expect(lines[0]).toMatch(fragment);
}

interface Case {
  name: string;
  code: number;
  message: string | RegExp;
  /** Builds the situation and returns the CLI arguments (the warehouse is appended). */
  setup: (warehouse: string) => Promise<string[]>;
}

const run = (snapshot: string, extra: string[] = []): string[] =>
  runArgs(snapshot, DATE, 'e-1', ...extra);

async function frozenManifest(
  warehouse: string,
  snapshot: string,
): Promise<{ path: string; json: Record<string, unknown> }> {
  const result = await runCli([...run(snapshot), '--warehouse', warehouse, '--json']);
  if (result.code !== 0) throw new Error(result.stderr);
  const manifestPath = (JSON.parse(result.stdout) as { manifestPath: string }).manifestPath;
  // The warehouse now holds v1: later cases check that it stays the only thing published.
  return {
    path: manifestPath,
    json: JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>,
  };
}

/** A case that freezes a healthy snapshot, then runs a copy of its manifest changed by `change`. */
function withTamperedManifest(change: (json: Record<string, unknown>) => unknown) {
  return async (wh: string): Promise<string[]> => {
    const m = await frozenManifest(wh, await healthySnapshot());
    return ['run', '--manifest', await writeJson(change(m.json))];
  };
}

/** Scrambles bytes in the middle of a Parquet file: the footer stays intact, the pages do not. */
async function corruptDataPages(file: string): Promise<void> {
  const bytes = await readFile(file);
  for (let i = Math.floor(bytes.length * 0.2); i < Math.floor(bytes.length * 0.6); i++)
    bytes[i] = (bytes[i]! * 7 + 3) & 0xff;
  await writeFile(file, bytes);
}

async function writeJson(value: unknown): Promise<string> {
  const file = path.join(await tempDir(), 'manifest.json');
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const cases: Case[] = [
  {
    name: 'unreadable Parquet segment',
    code: 2,
    message: 'cannot be read as Parquet',
    setup: async () => {
      const s = await healthySnapshot();
      await writeFile(seg(s), 'PAR1 not really');
      return run(s);
    },
  },
  {
    name: 'wrong column type (amount_minor as DOUBLE)',
    code: 2,
    message: 'column amount_minor has type DOUBLE, expected BIGINT',
    setup: withRewrittenSegment(
      'SELECT * REPLACE (amount_minor::DOUBLE AS amount_minor) FROM $src',
    ),
  },
  {
    name: "one merchant's accepted amounts summing past BIGINT",
    code: 2,
    // 10 charges of 2^62 + 1 each; SPEC section 4 money columns are BIGINT minor units.
    message:
      'merchant M2, currency EUR: accepted charge amounts sum to 46116860184273879050 minor units, past the BIGINT (int64) range of the per-type sums behind gross_inflow; nothing published',
    setup: withRewrittenSegment(
      'SELECT * REPLACE (4611686018427387905::BIGINT AS amount_minor) FROM $src',
    ),
  },
  {
    name: 'event_time without time zone',
    code: 2,
    message: 'column event_time has type TIMESTAMP',
    setup: withRewrittenSegment('SELECT * REPLACE (event_time::TIMESTAMP AS event_time) FROM $src'),
  },
  {
    name: 'missing column',
    code: 2,
    message: 'column settlement_date is missing',
    setup: withRewrittenSegment('SELECT * EXCLUDE (settlement_date) FROM $src'),
  },
  {
    name: 'accounts.parquet not Parquet',
    code: 2,
    message: 'accounts.parquet',
    setup: async () => {
      const s = await healthySnapshot();
      await writeFile(path.join(s, 'accounts.parquet'), 'nope');
      return run(s);
    },
  },
  {
    name: 'account listed twice',
    code: 2,
    message: 'listed more than once',
    setup: async () => {
      return run(await emptyShards([A, A, B]));
    },
  },
  {
    name: 'shard id with a path separator in the directory',
    code: 2,
    message: 'is not a valid shard id',
    setup: async () => {
      const s = await writeSnapshot(await tempDir(), [{ ...A, shard_id: '../x' }], {});
      return run(s);
    },
  },
  {
    name: 'input file changed after the manifest',
    code: 2,
    message: 'changed since the manifest was made',
    setup: async (wh) => {
      const s = await healthySnapshot();
      const m = await frozenManifest(wh, s);
      await rewriteParquet(seg(s), 'SELECT * REPLACE (amount_minor + 1 AS amount_minor) FROM $src');
      return ['run', '--manifest', m.path];
    },
  },
  {
    name: 'input file deleted after the manifest',
    code: 2,
    message: 'input file named by the manifest is missing',
    setup: async (wh) => {
      const s = await healthySnapshot();
      const m = await frozenManifest(wh, s);
      await rm(seg(s));
      return ['run', '--manifest', m.path];
    },
  },
  {
    name: 'manifest not JSON',
    code: 2,
    message: 'manifest is not valid JSON',
    setup: async () => ['run', '--manifest', await writeJson('{"dataset": ')],
  },
  {
    name: 'manifest missing',
    code: 2,
    message: 'manifest file cannot be read',
    setup: async () => ['run', '--manifest', '/nonexistent/manifest.json'],
  },
  {
    name: 'manifest failing the schema',
    code: 2,
    message: 'settlement_date',
    setup: withTamperedManifest((json) => ({ ...json, settlement_date: '5 April' })),
  },
  {
    name: 'manifest path escaping the snapshot root',
    code: 2,
    message: 'stay inside it',
    setup: withTamperedManifest((json) => {
      const files = json['files'] as Array<Record<string, unknown>>;
      return { ...json, files: [{ ...files[0], path: '../../../etc/hostname' }] };
    }),
  },
  {
    name: 'absolute path in the manifest',
    code: 2,
    message: 'stay inside it',
    setup: withTamperedManifest((json) => {
      const files = json['files'] as Array<Record<string, unknown>>;
      return { ...json, files: [{ ...files[0], path: '/etc/hostname' }] };
    }),
  },
  {
    name: 'unknown dataset',
    code: 2,
    message: 'dataset',
    setup: withTamperedManifest((json) => ({ ...json, dataset: 'payments_raw' })),
  },
  {
    name: 'invalid date',
    code: 2,
    message: '--date "2026-13-01"',
    setup: async () => runArgs(await healthySnapshot(), '2026-13-01', 'e-1'),
  },
  {
    name: 'SQL injection through --date',
    code: 2,
    message: 'is not a date (YYYY-MM-DD)',
    setup: async () => runArgs(await healthySnapshot(), "2026-04-05' OR 1=1 --", 'e-1'),
  },
  {
    name: 'epoch without digits',
    code: 2,
    message: 'has no digits',
    setup: async () => runArgs(await healthySnapshot(), DATE, 'snapshot'),
  },
  {
    name: 'empty snapshot directory',
    code: 2,
    message: 'snapshot has no accounts.parquet',
    setup: async () => run(await tempDir()),
  },
  {
    name: 'snapshot is a file',
    code: 2,
    message: 'not a directory',
    setup: async () => {
      const f = path.join(await tempDir(), 'f');
      await writeFile(f, '');
      return run(f);
    },
  },
  {
    name: 'warehouse path is a regular file',
    code: 2,
    message: 'is a file, not a warehouse directory',
    setup: async () => {
      const f = path.join(await tempDir(), 'wh');
      await writeFile(f, '');
      return [...run(await healthySnapshot()), '--warehouse', f];
    },
  },
  {
    name: 'disk full while publishing (simulated ENOSPC on the pointer write)',
    code: 1,
    message: 'ENOSPC',
    setup: async () => {
      process.env['SETTLE_FAIL_AT_NEXT'] = 'atomic-write:CURRENT';
      return run(await healthySnapshot());
    },
  },
  {
    name: 'version id with a path separator (export)',
    code: 2,
    message: 'is not a version id',
    setup: async () => [
      'export',
      '--version',
      '../v1',
      '--format',
      'csv',
      '--out',
      path.join(await tempDir(), 'x.csv'),
    ],
  },
  {
    name: 'SQL injection through --version',
    code: 2,
    message: 'is not a version id',
    setup: async () => [
      'export',
      '--version',
      "v1' OR '1'='1",
      '--format',
      'csv',
      '--out',
      path.join(await tempDir(), 'x.csv'),
    ],
  },
  {
    name: 'export of a missing version',
    code: 2,
    message: 'v404 does not exist',
    setup: async () => [
      'export',
      '--version',
      'v404',
      '--format',
      'csv',
      '--out',
      path.join(await tempDir(), 'x.csv'),
    ],
  },
  {
    name: 'export of a date with no current version',
    code: 2,
    message: 'no current version for 2026-04-05',
    setup: async () => [
      'export',
      '--date',
      DATE,
      '--format',
      'csv',
      '--out',
      path.join(await tempDir(), 'x.csv'),
    ],
  },
  {
    name: 'opening version that is not published',
    code: 2,
    message: '--opening-version: version v7 does not exist',
    setup: async () => run(await healthySnapshot(), ['--opening-version', 'v7']),
  },
  {
    name: 'correction file outside the snapshot root',
    code: 2,
    message: 'outside the snapshot root',
    setup: async () => run(await healthySnapshot(), ['--corrections', '/etc/hostname']),
  },
  {
    name: '--manifest combined with --snapshot',
    code: 2,
    message: 'cannot be combined',
    setup: async () => ['run', '--manifest', 'm.json', '--snapshot', '.'],
  },
  {
    name: 'same version id, different content',
    code: 2,
    message: 'refusing to overwrite',
    setup: async (wh) => {
      await frozenManifest(wh, await healthySnapshot());
      const other = await writeSnapshot(await tempDir(), [A, B], {
        '00': {
          segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 5, rows: entries(A, 1, 5) }],
        },
        '01': { segments: [] },
      });
      return run(other);
    },
  },
  {
    name: 'version id already used by another date',
    code: 2,
    message: 'already exists for 2026-04-05; version ids are unique across dates',
    setup: async (wh) => {
      await frozenManifest(wh, await healthySnapshot());
      return runArgs(await emptyShards([A, B], '2026-04-06'), '2026-04-06', 'e-1');
    },
  },
  {
    name: 'listed segment that is a directory',
    code: 2,
    message: /seg-1\.parquet: listed segment is a directory, not a file/,
    setup: async () => {
      const s = await healthySnapshot();
      await rm(seg(s));
      await mkdir(seg(s));
      return run(s);
    },
  },
  {
    name: 'listed segment that is a dangling symlink',
    code: 2,
    message: /seg-1\.parquet: listed segment is a dangling symlink/,
    setup: async () => {
      const s = await healthySnapshot();
      await rm(seg(s));
      await symlink(path.join(s, 'nowhere.parquet'), seg(s));
      return run(s);
    },
  },
  {
    name: 'listed segment that is a symlink loop',
    code: 2,
    message: /seg-1\.parquet: listed segment is a symlink loop/,
    setup: async () => {
      const s = await healthySnapshot();
      await rm(seg(s));
      await symlink(seg(s), seg(s));
      return run(s);
    },
  },
  {
    name: 'listed segment that links outside the snapshot root',
    code: 2,
    message: /seg-1\.parquet: listed segment resolves to .* outside the snapshot root/,
    setup: async () => {
      const s = await healthySnapshot();
      const outside = path.join(await tempDir(), 'seg.parquet');
      await rename(seg(s), outside);
      await symlink(outside, seg(s));
      return run(s);
    },
  },
  {
    name: 'segment with an intact footer and corrupt data pages',
    code: 2,
    message: /seg-1\.parquet: listed input file cannot be read/,
    setup: async () => {
      const s = await writeSnapshot(await tempDir(), [A, B], {
        '00': {
          segments: [
            { file: 'seg-1.parquet', first_seq: 1, last_seq: 20, rows: entries(A, 1, 20) },
          ],
        },
        '01': {
          segments: [
            { file: 'seg-1.parquet', first_seq: 1, last_seq: 3000, rows: entries(B, 1, 3000) },
          ],
        },
      });
      await corruptDataPages(seg(s));
      return run(s);
    },
  },
  {
    name: 'missing --corrections file',
    code: 2,
    message: /late\.parquet: correction file \(--corrections\) does not exist/,
    setup: async () => run(await healthySnapshot(), ['--corrections', 'late.parquet']),
  },
  {
    name: 'account with a NULL currency',
    code: 2,
    message: 'accounts.parquet: account "B1" has a NULL currency',
    setup: async () => {
      return run(await emptyShards([A, { ...B, currency: null as unknown as string }]));
    },
  },
  ...(['account_id', 'merchant_id', 'shard_id'] as const).map((column) => ({
    name: `account with a NULL ${column}`,
    code: 2,
    message: `accounts.parquet: account ${column === 'account_id' ? 'null' : '"B1"'} has a NULL ${column}`,
    setup: async () => run(await emptyShards([A, { ...B, [column]: null as unknown as string }])),
  })),
  {
    name: 'epoch whose version id exceeds the file-name limit',
    code: 2,
    message: 'a version id has at most 128',
    setup: async () => runArgs(await healthySnapshot(), DATE, `e-${'7'.repeat(300)}`),
  },
  {
    name: 'malformed --version-id',
    code: 2,
    message: '--version-id "../v2" is not a version id',
    setup: async () => run(await healthySnapshot(), ['--version-id', '../v2']),
  },
  {
    name: 'a date no shard of the snapshot holds',
    code: 2,
    message:
      /--date 2026-04-07: no shard of .* holds this date \(it holds 2026-04-05\); pass --allow-empty/,
    setup: async () => runArgs(await healthySnapshot(), '2026-04-07', 'e-1'),
  },
  {
    name: 'read-only sql refuses writes',
    code: 2,
    message: 'read-only',
    setup: async () => ['sql', 'CREATE TABLE x AS SELECT 1'],
  },
  {
    name: 'unknown export format',
    code: 2,
    message: '--format xls',
    setup: async () => ['export', '--date', DATE, '--format', 'xls', '--out', 'x'],
  },
];

describe('bad inputs: exit code, one clear line, nothing published', () => {
  beforeAll(() => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const warehouse = await tempDir();
      const args = await c.setup(warehouse);
      const before = await published(warehouse);
      const failAt = process.env['SETTLE_FAIL_AT_NEXT'];
      delete process.env['SETTLE_FAIL_AT_NEXT'];
      if (failAt !== undefined) process.env['SETTLE_FAIL_AT'] = failAt;
      const result = await runCli([
        ...args,
        ...(args.includes('--warehouse') ? [] : ['--warehouse', warehouse]),
      ]).finally(() => delete process.env['SETTLE_FAIL_AT']);
      expect(result.code, result.stderr).toBe(c.code);
      expectOneLine(result.stderr, c.message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const after = await published(warehouse);
      expect(after).toEqual(before);
      if (before.includes('CURRENT')) {
        const pointer = JSON.parse(
          await readFile(
            path.join(warehouse, 'merchant_settlement_summary', `date=${DATE}`, 'CURRENT'),
            'utf8',
          ),
        ) as { version: string };
        expect(pointer.version).toBe('v1');
      }
    });
  }
});

describe('rows the SPEC rejects never crash the run', () => {
  it('unicode, quotes and control characters in ids flow through as data', async () => {
    const odd: Account = {
      account_id: "A'\u0001",
      merchant_id: 'Mé😀,"\n;DROP TABLE x',
      shard_id: '00',
      currency: 'USD',
    };
    const rows = [
      ...entries(odd, 1, 150),
      entry(odd, 151, { merchant_id: "M'); DELETE FROM summary; --" }),
    ];
    const s = await writeSnapshot(await tempDir(), [odd], {
      '00': { segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: rows.length, rows }] },
    });
    const wh = await tempDir();
    const result = await runCli([...run(s), '--warehouse', wh, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = path.join(await tempDir(), 'x.csv');
    expect((await exportCli(wh, '--date', DATE, '--format', 'csv', '--out', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('"Mé😀,""\n;DROP TABLE x",USD,150,');
    const rejects = await runCli([
      'sql',
      'SELECT merchant_id, reject_reason FROM rejects',
      '--format',
      'json',
      '--warehouse',
      wh,
    ]);
    expect(JSON.parse(rejects.stdout)).toEqual([
      { merchant_id: "M'); DELETE FROM summary; --", reject_reason: 'directory_mismatch' },
    ]);
  });
});

describe('inputs that change while a run reads them', () => {
  it('a segment rewritten after the manifest froze it fails the run (exit 2) before anything is staged', async () => {
    const { buildManifest } = await import('../src/stages/manifest.js');
    const { runPipeline } = await import('../src/stages/pipeline.js');
    const { WarehouseLayout } = await import('../src/warehouse/layout.js');
    const snapshot = await healthySnapshot();
    const frozen = await withDb({}, (db) =>
      buildManifest(db, { snapshot, settlementDate: DATE, inputEpoch: 'e-1' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await rewriteParquet(seg(snapshot), 'SELECT * FROM $src');
    const warehouse = await tempDir();
    const error = (await runPipeline(frozen, {
      layout: new WarehouseLayout(warehouse),
      engine: {},
      shuffle: { partitions: 2, salts: 2 },
    }).catch((e: unknown) => e)) as { exitCode: number; message: string };
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('changed while the run was reading it');
    expect(await published(warehouse)).toEqual([]);
  });
});
