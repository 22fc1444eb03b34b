import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE, tempDir, twoShardSnapshot } from './util/snapshot.js';
import { exportCli, runArgs, runCli, settleCli, spawnCli } from './util/pipeline.js';
import { warehouseProblems } from './util/crash.js';

const pointer = async (wh: string): Promise<{ version: string }> =>
  JSON.parse(
    await readFile(path.join(wh, 'merchant_settlement_summary', `date=${DATE}`, 'CURRENT'), 'utf8'),
  ) as { version: string };

describe('concurrency', () => {
  it('several runs of the same manifest at once: exactly one publishes, the others end cleanly as no-ops', async () => {
    const wh = await tempDir();
    const snapshot = await twoShardSnapshot(300);
    const args = runArgs(snapshot, DATE, 'e-1', '--warehouse', wh, '--json');
    // Separate processes: the lock and the task commits are what keep them apart.
    const results = await Promise.all(Array.from({ length: 4 }, () => spawnCli(args)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const outcomes = results
      .map((r) => (JSON.parse(r.stdout) as { outcome: string }).outcome)
      .sort();
    expect(outcomes).toEqual([
      'already-published',
      'already-published',
      'already-published',
      'published',
    ]);
    const checksums = new Set(
      results.map((r) => (JSON.parse(r.stdout) as { contentChecksum: string }).contentChecksum),
    );
    expect(checksums.size).toBe(1);
    expect((await pointer(wh)).version).toBe('v1');
    expect(await warehouseProblems(wh)).toEqual([]);
  });

  it('readers looping during publishes and rollbacks only ever see one whole version', async () => {
    const wh = await tempDir();
    const snapshots = [
      await twoShardSnapshot(50),
      await twoShardSnapshot(60),
      await twoShardSnapshot(70),
    ];
    expect((await settleCli(snapshots[0]!, DATE, 'e-1', wh)).code).toBe(0);

    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      const out = path.join(await tempDir(), 'current.csv');
      while (writing) {
        const exported = await exportCli(wh, '--date', DATE, '--format', 'csv', '--out', out);
        expect(exported.code, exported.stderr).toBe(0);
        seen.push(await readFile(out, 'utf8'));
        const totals = await runCli([
          'sql',
          'SELECT sum(entry_count) AS n, count(*) AS rows FROM merchant_settlement_summary',
          '--format',
          'csv',
          '--warehouse',
          wh,
        ]);
        expect(totals.code, totals.stderr).toBe(0);
        seen.push(`sql:${totals.stdout}`);
      }
    })();
    const steps = [
      runArgs(snapshots[1]!, DATE, 'e-2'),
      ['rollback', '--date', DATE, '--to', 'v1'],
      runArgs(snapshots[2]!, DATE, 'e-3'),
      ['rollback', '--date', DATE, '--to', 'v2'],
      ['rollback', '--date', DATE, '--to', 'v3'],
    ];
    // Writers are other processes; the readers loop in this one.
    for (const step of steps) expect((await spawnCli([...step, '--warehouse', wh])).code).toBe(0);
    writing = false;
    await reader;

    const whole = new Set<string>();
    for (const version of ['v1', 'v2', 'v3']) {
      const out = path.join(await tempDir(), `${version}.csv`);
      expect(
        (await exportCli(wh, '--version', version, '--format', 'csv', '--out', out)).code,
      ).toBe(0);
      whole.add(await readFile(out, 'utf8'));
    }
    const sqlTotals = new Set([
      'sql:n,rows\r\n60,2\r\n',
      'sql:n,rows\r\n70,2\r\n',
      'sql:n,rows\r\n80,2\r\n',
    ]);
    expect(seen.length).toBeGreaterThan(2);
    for (const observed of seen) {
      if (observed.startsWith('sql:')) expect(sqlTotals.has(observed), observed).toBe(true);
      else expect(whole.has(observed)).toBe(true);
    }
    expect((await pointer(wh)).version).toBe('v3');
  });

  it('a stale lock left by a killed process is taken over; a live one is waited for', async () => {
    const wh = await tempDir();
    const lock = path.join(wh, 'merchant_settlement_summary', '.publish.lock');
    await mkdir(path.dirname(lock), { recursive: true });
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      dead.on('exit', () => resolve(dead.pid as number)),
    );
    await writeFile(lock, JSON.stringify({ pid: deadPid, since: new Date().toISOString() }));
    const snapshot = await twoShardSnapshot(40);
    const first = await settleCli(snapshot, DATE, 'e-1', wh);
    expect(first.code, first.stderr).toBe(0);

    // This test process is alive: the rollback must wait until the lock is released.
    await writeFile(lock, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    let finishedAt: number | undefined;
    const second = runCli(['rollback', '--date', DATE, '--to', 'v1', '--warehouse', wh]).then(
      (r) => ((finishedAt = Date.now()), r),
    );
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(finishedAt, 'the rollback did not wait for the live lock').toBeUndefined();
    const releasedAt = Date.now();
    await rm(lock);
    const result = await second;
    expect(result.code, result.stderr).toBe(0);
    expect(finishedAt).toBeGreaterThanOrEqual(releasedAt);
  });
});

describe('publish lock', () => {
  it('eight waiters racing to break one stale lock: exactly one holder at a time', async () => {
    const { withLock } = await import('../src/warehouse/lock.js');
    const lock = path.join(await tempDir(), '.publish.lock');
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      dead.on('exit', () => resolve(dead.pid as number)),
    );
    await writeFile(lock, JSON.stringify({ pid: deadPid, token: 'stale', since: '' }));
    let inside = 0;
    let maxInside = 0;
    let entered = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(lock, async () => {
          inside++;
          entered++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 10));
          inside--;
        }),
      ),
    );
    expect(entered).toBe(8);
    expect(maxInside).toBe(1);
    await expect(readFile(lock)).rejects.toThrow();
  });
});
