import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb, type Db } from '../src/db/duckdb.js';
import { buildManifest } from '../src/stages/manifest.js';
import { runPipeline } from '../src/stages/pipeline.js';
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
