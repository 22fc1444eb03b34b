import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { generateSnapshot } from '../src/generate/generate.js';
import { cli } from './util/cli.js';
import { readCurrent } from './util/files.js';
import { repoRoot, runArgs, spawnCli } from './util/pipeline.js';
import { until } from './util/redis.js';
import { tempDir } from './util/snapshot.js';
import { withEnv } from './util/env.js';

/**
 * What an operator sees: live progress on a terminal (a pseudo-terminal from `script`), one line
 * per stage elsewhere, nothing with --quiet, never on stdout; Ctrl-C stops cleanly (exit 130,
 * scratch removed, committed tasks kept for the rerun).
 */
const DATE = '2026-04-05';
const fixture = path.join(repoRoot, 'fixtures', 'snapshot');
const bin = path.join(repoRoot, 'dist', 'bin', 'settle.js');
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('progress on stderr', () => {
  it('on a terminal: one line redrawn in place with stage, tasks and elapsed time; stdout stays clean', async (ctx) => {
    if (!hasScript) {
      if (process.env['CI'] === 'true') throw new Error('script (util-linux) is missing');
      return ctx.skip('no script(1) for a pseudo-terminal');
    }
    const wh = await tempDir();
    const out = path.join(await tempDir(), 'stdout.txt');
    const command = [process.execPath, bin, ...runArgs(fixture, DATE, 'e-1', '--warehouse', wh)]
      .map((a) => `'${a}'`)
      .join(' ');
    const tty = spawnSync('script', ['-qec', `${command} > '${out}'`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '160' },
    });
    expect(tty.status, tty.stdout).toBe(0);
    const screen = tty.stdout;
    expect(screen).toMatch(/settle scan \[.*\] \d+\/\d+ tasks, \d+ reused/);
    expect(screen).toMatch(/\d+\.\d s elapsed/);
    expect(screen).toContain('\u001b['); // redrawn in place, not one line per update
    const stdout = await readFile(out, 'utf8');
    expect(stdout).toMatch(/^published v1 for 2026-04-05/);
    expect(stdout).not.toMatch(/settle scan|elapsed \|/);
  });

  it('elsewhere: one plain line per finished stage; --quiet: nothing; never in --json', async () => {
    const plain = await spawnCli([
      ...runArgs(fixture, DATE, 'e-1', '--warehouse', await tempDir()),
      '--json',
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stderr.trim().split('\n');
    expect(lines).toContain(
      lines.find((l) => /^settle: scan done in \d+\.\d+ s, \d+ tasks \(0 reused\)/.test(l)),
    );
    expect(lines.every((l) => l.startsWith('settle: '))).toBe(true);
    expect(JSON.parse(plain.stdout)).toMatchObject({ outcome: 'published' });
    const quiet = await cli([
      ...runArgs(fixture, DATE, 'e-1', '--warehouse', await tempDir()),
      '--quiet',
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('interruption', () => {
  it('SIGINT mid-run: exit 130, one line, the attempt scratch removed, nothing published; the rerun reuses committed tasks', async () => {
    const snapshot = path.join(await tempDir(), 'snap');
    await withDb({}, (db) =>
      generateSnapshot(db, {
        out: snapshot,
        shards: 8,
        merchants: 200,
        entries: 80_000,
        currencies: ['USD'],
        skew: 0,
        seed: 3,
        date: DATE,
        segmentRows: 5_000,
        faults: [],
      }),
    );
    const wh = await tempDir();
    const args = runArgs(snapshot, DATE, 'e-1', '--warehouse', wh);
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, SETTLE_SCAN_TASK_BYTES: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const done = async (): Promise<string[]> => {
      const runs = await readdir(path.join(wh, '_runs')).catch(() => [] as string[]);
      return runs.length === 0
        ? []
        : readdir(path.join(wh, '_runs', runs[0]!, 'done')).catch(() => []);
    };
    await until(async () => (await done()).length >= 2 || child.exitCode !== null, 30_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.trim().split('\n').at(-1)).toBe(
      'settle: interrupted: nothing published; rerun the same command to resume',
    );
    expect(await readCurrent(wh, DATE)).toBeUndefined();
    const runDir = path.join(wh, '_runs', (await readdir(path.join(wh, '_runs')))[0]!);
    expect(await readdir(path.join(runDir, 'attempts'))).toEqual([]);
    expect(
      existsSync(path.join(runDir, 'spill')) ? await readdir(path.join(runDir, 'spill')) : [],
    ).toEqual([]);
    const committed = (await done()).length;
    expect(committed).toBeGreaterThanOrEqual(2);

    const rerun = await withEnv({ SETTLE_SCAN_TASK_BYTES: '1' }, () => cli([...args, '--json']));
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = (JSON.parse(rerun.stdout) as { report: { tasks_reused: number } }).report;
    expect(report.tasks_reused).toBeGreaterThanOrEqual(committed);
  });
});
