import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb, type Db } from '../src/db/duckdb.js';
import { buildManifest } from '../src/stages/manifest.js';
import { runPipeline } from '../src/stages/pipeline.js';
import { withMemoryLimit } from '../src/stages/ids-task.js';
import { WarehouseLayout } from '../src/warehouse/layout.js';
import { DATE, tempDir, twoShardSnapshot } from './util/snapshot.js';

const setting = async (db: Db, name: string): Promise<string> =>
  (await db.one<{ v: string }>(`SELECT current_setting('${name}')::VARCHAR AS v`)).v;

describe('one engine freezes the manifest and runs it (settle run)', () => {
  it('Db.configure sets threads, memory limit and spill directory of an open engine', async () => {
    const spill = await tempDir();
    const asOpened = await withDb({ memoryLimit: '300MB' }, (db) => setting(db, 'memory_limit'));
    await withDb({ threads: 1 }, async (db) => {
      await db.configure({ threads: 2, memoryLimit: '300MB', tempDir: spill });
      expect(await setting(db, 'threads')).toBe('2');
      expect(await setting(db, 'memory_limit')).toBe(asOpened);
      expect(await setting(db, 'temp_directory')).toBe(spill);
    });
  });

  it("runs under the run's settings, spills into the run directory, stays open, same checksum as its own engine", async () => {
    const snapshot = await twoShardSnapshot(25);
    const request = { snapshot, settlementDate: DATE, inputEpoch: 'e-1' };
    const engine = { threads: 1, memoryLimit: '400MB' };
    const ownEngine = await withDb({}, (db) => buildManifest(db, request)).then((frozen) =>
      runPipeline(frozen, { layout: new WarehouseLayout(path.join(snapshot, 'wh-a')), engine }),
    );
    const layout = new WarehouseLayout(await tempDir());
    const expectedLimit = await withDb(engine, (db) => setting(db, 'memory_limit'));
    await withDb({ threads: 2 }, async (db) => {
      const frozen = await buildManifest(db, request);
      const shared = await runPipeline(frozen, { layout, db, engine });
      expect(shared.outcome).toBe('published');
      expect(shared.contentChecksum).toBe(ownEngine.contentChecksum);
      // Still open, and set as the run asked: the caller closes it.
      expect(await setting(db, 'threads')).toBe('1');
      expect(await setting(db, 'memory_limit')).toBe(expectedLimit);
      expect(await setting(db, 'temp_directory')).toContain(
        path.join(layout.runDir(frozen.sha256), 'spill'),
      );
    });
  });
});

describe('the entry-id check runs under its own memory limit', () => {
  it("lowers the limit for the check only, never above the run's, and restores the run's after (also when the check fails)", async () => {
    await withDb({ memoryLimit: '2GB' }, async (db) => {
      const runLimit = await setting(db, 'memory_limit');
      const small = await withDb({ memoryLimit: '512MiB' }, (other) =>
        setting(other, 'memory_limit'),
      );
      const inside = await withMemoryLimit(db, '2GB', 512 * 2 ** 20, () =>
        setting(db, 'memory_limit'),
      );
      expect(inside).toBe(small);
      expect(await setting(db, 'memory_limit')).toBe(runLimit);
      await expect(
        withMemoryLimit(db, '2GB', 512 * 2 ** 20, () => db.run("SELECT error('boom')")),
      ).rejects.toThrow('boom');
      expect(await setting(db, 'memory_limit')).toBe(runLimit);
      // A run limit below the check's is kept as it is.
      await db.run("SET memory_limit = '300MB'");
      const low = await setting(db, 'memory_limit');
      expect(
        await withMemoryLimit(db, '300MB', 512 * 2 ** 20, () => setting(db, 'memory_limit')),
      ).toBe(low);
    });
    // No run limit given: the engine's default comes back.
    await withDb({}, async (db) => {
      const engineDefault = await setting(db, 'memory_limit');
      await withMemoryLimit(db, undefined, 512 * 2 ** 20, async () => undefined);
      expect(await setting(db, 'memory_limit')).toBe(engineDefault);
    });
  });
});
