import { appendFile, cp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { contentChecksum } from '../src/stages/publish.js';
import {
  entries,
  entry,
  tempDir,
  writeEntriesFile,
  writeSnapshot,
  type Account,
} from './util/snapshot.js';
import { readRows, runArgs } from './util/pipeline.js';
import { cli } from './util/cli.js';
import { oneErrorLine, readCurrent, treeDigest } from './util/files.js';

/**
 * Issue 9's trust holes, each through the real CLI (in process): corrections never count money
 * twice, an absent date is not a quiet day, a taken version id has a way forward, a failed run
 * never moves CURRENT, damaged warehouses are refused, and verify reads what is on disk.
 */
const DATE = '2026-04-05';
const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
const dateDir = (wh: string, date = DATE): string =>
  path.join(wh, 'merchant_settlement_summary', `date=${date}`);

async function snapshot(date = DATE, rows = 20): Promise<string> {
  const at = (account: Account, n: number) =>
    entries(account, 1, n, () => ({ settlement_date: date, event_time: `${date} 10:00:00+00` }));
  return writeSnapshot(
    await tempDir(),
    [A, B],
    {
      '00': {
        segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: rows, rows: at(A, rows) }],
      },
      '01': { segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: at(B, 10) }] },
    },
    date,
  );
}

const run = (snap: string, wh: string, epoch: string, ...extra: string[]) =>
  cli([...runArgs(snap, DATE, epoch, '--warehouse', wh), ...extra]);

describe('money counted once: corrections', () => {
  it('the same entry in two correction files counts once (first file wins); a repeat inside one file fails unique_entry_id', async () => {
    const wh = await tempDir();
    const snap = await snapshot(DATE, 200);
    expect((await run(snap, wh, 'e-1')).code).toBe(0);
    const credit = entry(A, 9001, {
      entry_id: 'C1',
      entry_type: 'adjustment_credit',
      amount_minor: 500,
    });
    await writeEntriesFile(path.join(snap, 'corr', 'a.parquet'), [credit]);
    await writeEntriesFile(path.join(snap, 'corr', 'b.parquet'), [
      credit,
      { ...credit, entry_id: 'C2', seq: 9002 },
    ]);
    const result = await run(
      snap,
      wh,
      'e-1',
      '--corrections',
      'corr/a.parquet,corr/b.parquet',
      '--json',
    );
    expect(result.code, result.stderr).toBe(0);
    const version = (JSON.parse(result.stdout) as { versionDir: string }).versionDir;
    const m1 = (await readRows(path.join(version, 'data'))).find((r) => r['merchant_id'] === 'M1');
    expect(m1?.['adjustments_net']).toBe(1000n); // C1 once (500) + C2 (500), not 1500
    const rejects = await readRows(path.join(version, 'rejects'));
    expect(rejects.map((r) => [r['entry_id'], r['reject_reason'], r['file']])).toEqual([
      ['C1', 'duplicate_entry_id', 'corr/b.parquet'],
    ]);

    await writeEntriesFile(path.join(snap, 'corr', 'twice.parquet'), [
      credit,
      { ...credit, seq: 9003 },
    ]);
    const twice = await run(snap, wh, 'e-1', '--corrections', 'corr/twice.parquet');
    expect(twice.code, twice.stderr).toBe(3);
    expect(oneErrorLine(twice.stderr)).toContain('unique_entry_id');
  });
});

describe('no silent zeros', () => {
  it('a date the snapshot does not hold is refused unless --allow-empty; then it publishes an all-zero day', async () => {
    const wh = await tempDir();
    const snap = await snapshot();
    const refused = await cli([...runArgs(snap, '2026-04-06', 'e-1', '--warehouse', wh)]);
    expect(refused.code).toBe(2);
    expect(oneErrorLine(refused.stderr)).toContain('it holds 2026-04-05');
    expect(await treeDigest(wh)).toEqual({});
    const allowed = await cli([
      ...runArgs(snap, '2026-04-06', 'e-1', '--warehouse', wh, '--allow-empty', '--json'),
    ]);
    expect(allowed.code, allowed.stderr).toBe(0);
    const rows = await readRows(
      path.join((JSON.parse(allowed.stdout) as { versionDir: string }).versionDir, 'data'),
    );
    expect(rows.map((r) => [r['merchant_id'], r['entry_count']])).toEqual([
      ['M1', 0n],
      ['M2', 0n],
    ]);
  });

  it('a version id taken by a mistaken run has a way forward: --version-id, recorded in _SUCCESS and history', async () => {
    const wh = await tempDir();
    const wrong = await snapshot('2026-04-04');
    expect((await cli(runArgs(wrong, '2026-04-04', 'e-7', '--warehouse', wh))).code).toBe(0);
    const right = await snapshot();
    const refused = await run(right, wh, 'e-7');
    expect(refused.code).toBe(2);
    expect(oneErrorLine(refused.stderr)).toMatch(/v7 already exists for 2026-04-04.*--version-id/);
    expect(await readCurrent(wh, DATE)).toBeUndefined();
    const taken = await run(right, wh, 'e-7', '--version-id', 'v7');
    expect(oneErrorLine(taken.stderr)).toContain('choose another --version-id');
    const published = await run(right, wh, 'e-7', '--version-id', 'v7-fixed');
    expect(published.code, published.stderr).toBe(0);
    const marker = JSON.parse(
      await readFile(path.join(dateDir(wh), 'v7-fixed', '_SUCCESS'), 'utf8'),
    );
    expect(marker.version).toBe('v7-fixed');
    expect((await readCurrent(wh, DATE))?.history).toMatchObject([
      { event: 'publish', version: 'v7-fixed' },
    ]);
    expect(await readFile(path.join(dateDir(wh), '_history.jsonl'), 'utf8')).toContain(
      '"v7-fixed"',
    );
    // The same request again is a no-op, not a refusal.
    expect((await run(right, wh, 'e-7', '--version-id', 'v7-fixed')).stdout).toContain(
      'already published',
    );
  });

  it('read commands refuse a missing warehouse, a file, a damaged CURRENT or one naming a missing version (exit 2)', async () => {
    const wh = await tempDir();
    expect((await run(await snapshot(), wh, 'e-1')).code).toBe(0);
    const readers = (w: string): string[][] => [
      ['sql', 'SELECT 1', '--warehouse', w],
      ['versions', '--warehouse', w],
      [
        'export',
        '--date',
        DATE,
        '--format',
        'csv',
        '--out',
        path.join(wh, '..', 'x.csv'),
        '--warehouse',
        w,
      ],
      ['diff', '--from', 'v1', '--to', 'v1', '--warehouse', w],
      ['verify', '--version', 'v1', '--warehouse', w],
      ['rollback', '--date', DATE, '--to', 'v1', '--warehouse', w],
    ];
    const file = path.join(await tempDir(), 'file');
    await writeFile(file, 'x');
    const damaged = async (content: string | null): Promise<string> => {
      const copy = path.join(await tempDir(), 'wh');
      await cp(wh, copy, { recursive: true });
      if (content === null) await rm(path.join(dateDir(copy), 'v1', '_SUCCESS'));
      else await writeFile(path.join(dateDir(copy), 'CURRENT'), content);
      return copy;
    };
    const situations: Array<[string, string, RegExp]> = [
      ['missing', path.join(wh, 'nope'), /does not exist/],
      ['a file', file, /is a file/],
      ['torn CURRENT', await damaged('{"version": "v'), /CURRENT is not valid JSON/],
      ['CURRENT without a version', await damaged('{}'), /CURRENT names no valid version/],
      [
        'CURRENT naming an unpublished version',
        await damaged(null),
        /CURRENT names v1, which is not a published version/,
      ],
    ];
    for (const [what, w, problem] of situations) {
      for (const args of readers(w)) {
        const result = await cli(args);
        expect(result.code, `${args[0]} on ${what}: ${result.stderr}`).toBe(2);
        expect(oneErrorLine(result.stderr), `${args[0]} on ${what}`).toMatch(problem);
      }
    }
  });
});

describe('a failed run never moves CURRENT', () => {
  const points = [
    'task-written:reduce-0-p4-s4-*',
    'stage:data-written',
    'atomic-write:_SUCCESS',
    'publish:success-written',
    'atomic-write:CURRENT',
  ];
  it('fails (ENOSPC) at every write before the swap: exit 1, CURRENT and v1 untouched; the rerun publishes', async () => {
    const wh = await tempDir();
    expect((await run(await snapshot(), wh, 'e-1', '--partitions', '4')).code).toBe(0);
    const before = await readCurrent(wh, DATE);
    const v1 = await treeDigest(path.join(dateDir(wh), 'v1'));
    const snap2 = await snapshot(DATE, 25);
    for (const point of points) {
      process.env['SETTLE_FAIL_AT'] = point;
      const failed = await run(snap2, wh, 'e-2', '--partitions', '4').finally(
        () => delete process.env['SETTLE_FAIL_AT'],
      );
      expect(failed.code, `${point}: ${failed.stderr}`).toBe(1);
      expect(oneErrorLine(failed.stderr)).toContain('ENOSPC');
      expect(await readCurrent(wh, DATE), point).toEqual(before);
      expect(await treeDigest(path.join(dateDir(wh), 'v1'))).toEqual(v1);
    }
    const ok = await run(snap2, wh, 'e-2', '--partitions', '4');
    expect(ok.code, ok.stderr).toBe(0);
    expect((await readCurrent(wh, DATE))?.version).toBe('v2');
  });

  it('derived files failing after the swap are a warning; the next pointer move rewrites them', async () => {
    const wh = await tempDir();
    expect((await run(await snapshot(), wh, 'e-1')).code).toBe(0);
    process.env['SETTLE_FAIL_AT'] = 'atomic-write:catalog.sql';
    const result = await run(await snapshot(DATE, 25), wh, 'e-2').finally(
      () => delete process.env['SETTLE_FAIL_AT'],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: .*catalog\.sql not rewritten .*ENOSPC/);
    expect((await readCurrent(wh, DATE))?.version).toBe('v2');
    expect(await readFile(path.join(wh, 'catalog.sql'), 'utf8')).not.toContain("'v2'");
    expect((await cli(['rollback', '--date', DATE, '--to', 'v1', '--warehouse', wh])).code).toBe(0);
    expect(await readFile(path.join(wh, 'catalog.sql'), 'utf8')).toContain("'v2'");
  });

  it('a torn last line of _history.jsonl (an older writer crashed mid-append) does not swallow the next event', async () => {
    const wh = await tempDir();
    expect((await run(await snapshot(), wh, 'e-1')).code).toBe(0);
    // The pointer as an older version wrote it: no history inside, the log beside it torn.
    const pointer = path.join(dateDir(wh), 'CURRENT');
    const legacy = JSON.parse(await readFile(pointer, 'utf8')) as Record<string, unknown>;
    delete legacy['history'];
    await writeFile(pointer, JSON.stringify(legacy));
    await appendFile(
      path.join(dateDir(wh), '_history.jsonl'),
      '{"at":"2026-04-06T00:00:00Z","event":"rollb',
    );
    expect((await run(await snapshot(DATE, 25), wh, 'e-2')).code).toBe(0);
    const events = (await readCurrent(wh, DATE))?.history as Array<{
      event: string;
      version: string;
    }>;
    expect(events.map((e) => `${e.event}:${e.version}`)).toEqual(['publish:v1', 'publish:v2']);
    const lines = (await readFile(path.join(dateDir(wh), '_history.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).version)).toEqual(['v1', 'v2']);
  });
});

describe('inputs compared by content, not timestamps', () => {
  it('a file touched into the future with unchanged content is not a change; changed bytes of the same size are', async () => {
    const wh = await tempDir();
    const snap = await snapshot();
    const seg = path.join(snap, 'shard=01', `date=${DATE}`, 'seg-1.parquet');
    const frozen = await run(snap, wh, 'e-1', '--json');
    const manifest = (JSON.parse(frozen.stdout) as { manifestPath: string }).manifestPath;
    const future = new Date(Date.now() + 3_600_000);
    await utimes(seg, future, future);
    const rerun = await cli(['run', '--manifest', manifest, '--warehouse', wh]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const bytes = await readFile(seg);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 1;
    await writeFile(seg, bytes);
    await utimes(seg, future, future);
    const changed = await cli(['run', '--manifest', manifest, '--warehouse', wh]);
    expect(changed.code).toBe(2);
    expect(oneErrorLine(changed.stderr)).toContain('changed since the manifest was made');
  });
});

describe('verify reads what is on disk', () => {
  it('an edited data file, an edited stored manifest or a forged checksum: exit 1 naming what differs', async () => {
    const wh = await tempDir();
    expect((await run(await snapshot(), wh, 'e-1')).code).toBe(0);
    const v1 = path.join(dateDir(wh), 'v1');
    const ok = await cli(['verify', '--version', 'v1', '--warehouse', wh, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(
      JSON.parse(ok.stdout).checks.map((c: { name: string; match: boolean }) => [c.name, c.match]),
    ).toEqual([
      ['files on disk', true],
      ['stored manifest', true],
      ['rebuild from manifest', true],
    ]);

    const data = path.join(v1, 'data', 'part-00000.parquet');
    const original = await readFile(data);
    await withDb({}, (db) =>
      db.run(
        `COPY (SELECT * REPLACE (fees + 1 AS fees) FROM read_parquet(${quoteString(data)})) TO ${quoteString(`${data}.x`)} (FORMAT parquet)`,
      ),
    );
    await rename(`${data}.x`, data);
    const edited = await cli(['verify', '--version', 'v1', '--warehouse', wh, '--json']);
    expect(edited.code).toBe(1);
    expect(oneErrorLine(edited.stderr)).toMatch(/MISMATCH: files on disk \w+ differs/);
    expect(edited.stderr).not.toContain('rebuild');
    await writeFile(data, original);

    const manifest = path.join(v1, '_manifest.json');
    await appendFile(manifest, ' ');
    const forged = await cli(['verify', '--version', 'v1', '--warehouse', wh]);
    expect(forged.code).toBe(1);
    expect(oneErrorLine(forged.stderr)).toMatch(/MISMATCH: stored manifest/);
  });
});

describe('versions checksummed by an earlier algorithm', () => {
  it('a version whose _SUCCESS records no algorithm (json-rows-v1) still verifies and reruns as a no-op; an unknown algorithm is refused', async () => {
    const wh = await tempDir();
    const snap = await snapshot();
    expect((await run(snap, wh, 'e-1')).code).toBe(0);
    const v1 = path.join(dateDir(wh), 'v1');
    const successFile = path.join(v1, '_SUCCESS');
    const current = path.join(dateDir(wh), 'CURRENT');
    const marker = JSON.parse(await readFile(successFile, 'utf8'));
    expect(marker.checksum_algorithm).toBe('text-rows-v2');
    // As a build before text-rows-v2 wrote it: the json-rows-v1 checksum, no algorithm named.
    const legacy = (await withDb({}, (db) => contentChecksum(db, v1, 'json-rows-v1')))
      .contentChecksum;
    expect(legacy).not.toBe(marker.content_checksum);
    const older = { ...marker, content_checksum: legacy };
    delete older.checksum_algorithm;
    await writeFile(successFile, `${JSON.stringify(older, null, 2)}\n`);
    const pointer = JSON.parse(await readFile(current, 'utf8'));
    await writeFile(current, JSON.stringify({ ...pointer, content_checksum: legacy }));

    const verified = await cli(['verify', '--version', 'v1', '--warehouse', wh, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).checks.every((c: { match: boolean }) => c.match)).toBe(true);
    const rerun = await run(snap, wh, 'e-1');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('already published (no-op)');
    expect(rerun.stdout).toContain(legacy);
    expect(JSON.parse(await readFile(successFile, 'utf8'))).toEqual(older);
    const listed = await cli(['versions', '--warehouse', wh, '--json']);
    expect(JSON.stringify(JSON.parse(listed.stdout))).toContain(
      '"checksum_algorithm":"json-rows-v1"',
    );

    await writeFile(
      successFile,
      `${JSON.stringify({ ...older, checksum_algorithm: 'rows-v9' }, null, 2)}\n`,
    );
    const unknown = await cli(['verify', '--version', 'v1', '--warehouse', wh]);
    expect(unknown.code).toBe(2);
    expect(oneErrorLine(unknown.stderr)).toMatch(
      /checksummed with rows-v9, which this settle does not know/,
    );
  });
});
