import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseLayout } from '../src/warehouse/layout.js';
import { readSuccess, swapPointer } from '../src/warehouse/versions.js';
import { repoRoot, settle } from './util/pipeline.js';
import { getJson, serveWarehouse, versionRows } from './util/serve.js';
import { DATE, entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';

/**
 * `settle serve` while the warehouse changes under it: a publish and a rollback are served within
 * a second without a restart, a load loop across both sees no 5xx and only answers that match the
 * one version they name, and broken warehouses get clear per-request errors.
 */
const M = 'M000003';
let fixtureWarehouse: string;
let second: string;

/** The rows of merchant M in each version, as `revision` strings (version + money), from Parquet. */
const truth = new Map<string, string>();

async function recordTruth(warehouse: string, version: string): Promise<void> {
  const rows = await versionRows(warehouse, DATE, version);
  truth.set(version, fingerprint(rows.filter((r) => r['merchant_id'] === M)));
}

const fingerprint = (rows: Array<Record<string, unknown>>): string =>
  rows
    .map(
      (r) =>
        `${String(r['currency'])}:${String(r['available_balance'])}:${String(r['holds_balance'])}`,
    )
    .join('|');

async function waitFor(what: () => Promise<boolean>, ms: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await what()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`not within ${ms} ms`);
}

beforeAll(async () => {
  fixtureWarehouse = await tempDir('settle-serve-live-');
  await settle(path.join(repoRoot, 'fixtures', 'snapshot'), { warehouse: fixtureWarehouse });
  await recordTruth(fixtureWarehouse, 'v7811');
  // A second, different day-2026-04-05 ledger to publish while the server runs.
  const accounts: Account[] = [
    { account_id: 'A1', merchant_id: M, shard_id: '00', currency: 'USD' },
    { account_id: 'A2', merchant_id: M, shard_id: '00', currency: 'EUR' },
    { account_id: 'A3', merchant_id: 'M900000', shard_id: '01', currency: 'JPY' },
  ];
  second = await writeSnapshot(await tempDir(), accounts, {
    '00': {
      segments: [
        {
          file: 'seg-1.parquet',
          first_seq: 1,
          last_seq: 12,
          rows: [
            ...entries(accounts[0] as Account, 1, 6),
            ...entries(accounts[1] as Account, 7, 6),
          ],
        },
      ],
    },
    '01': {
      segments: [
        {
          file: 'seg-1.parquet',
          first_seq: 1,
          last_seq: 4,
          rows: entries(accounts[2] as Account, 1, 4),
        },
      ],
    },
  });
});

describe('settle serve: publish and rollback while serving', () => {
  let server: Awaited<ReturnType<typeof serveWarehouse>>;
  afterAll(async () => server?.close());

  it('a load loop across a publish and a rollback: no 5xx, each answer equals the version it names, each switch within 1 s', async () => {
    const warehouse = await tempDir('settle-serve-switch-');
    await cp(fixtureWarehouse, warehouse, { recursive: true });
    server = await serveWarehouse(warehouse);
    const seen: Array<{ version: string; rows: string; status: number }> = [];
    let running = true;
    const loop = async (): Promise<void> => {
      while (running) {
        const res = await getJson(server.url, `api/dates/${DATE}/merchants/${M}`);
        const version = String(res.body['version']);
        const rows = (res.body['rows'] ?? []) as Array<Record<string, unknown>>;
        seen.push({ version, status: res.status, rows: fingerprint(rows) });
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    const currentIs = (v: string) => async () =>
      (await getJson(server.url, `api/dates/${DATE}/summary`)).body['version'] === v;
    try {
      const published = await settle(second, { warehouse, epoch: 'ledger-snapshot-7900' });
      expect(published.version).toBe('v7900');
      await recordTruth(warehouse, 'v7900');
      expect(await waitFor(currentIs('v7900'), 1000)).toBeLessThan(1000);
      const layout = new WarehouseLayout(warehouse);
      const back = await readSuccess(layout, DATE, 'v7811');
      if (back === undefined) throw new Error('v7811 has no _SUCCESS');
      await swapPointer(layout, DATE, back, 'rollback');
      expect(await waitFor(currentIs('v7811'), 1000)).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      running = false;
      await Promise.all(loops);
    }
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(seen.filter((s) => truth.get(s.version) !== s.rows)).toEqual([]);
    const versions = seen.map((s) => s.version);
    expect(new Set(versions)).toEqual(new Set(['v7811', 'v7900']));
    expect(versions.at(-1)).toBe('v7811');
    // Old versions stay reachable by pin.
    const pinned = await getJson(server.url, `api/dates/${DATE}/merchants/${M}?version=v7900`);
    expect(pinned.body['version']).toBe('v7900');
    const dates = await getJson(server.url, 'api/dates');
    const listed = (dates.body['dates'] as Array<Record<string, unknown>>)[0];
    expect(listed?.['current_version']).toBe('v7811');
    expect(
      (listed?.['versions'] as Array<{ version: string }>).map((v) => v.version).sort(),
    ).toEqual(['v7811', 'v7900']);
  });
});

describe('settle serve: broken warehouses get clear errors per request, the server stays up', () => {
  it('a damaged CURRENT: 503 naming it for the current version; pinned versions still answer', async () => {
    const warehouse = await tempDir('settle-serve-damaged-');
    await cp(fixtureWarehouse, warehouse, { recursive: true });
    const dateDir = path.join(warehouse, 'merchant_settlement_summary', `date=${DATE}`);
    // A version without _SUCCESS does not exist for readers.
    await mkdir(path.join(dateDir, 'v9999', 'data'), { recursive: true });
    const server = await serveWarehouse(warehouse);
    try {
      expect((await getJson(server.url, `api/dates/${DATE}/summary?version=v9999`)).status).toBe(
        404,
      );
      await writeFile(path.join(dateDir, 'CURRENT'), '{"version": "v78');
      await waitFor(
        async () => (await getJson(server.url, `api/dates/${DATE}/summary`)).status === 503,
        1000,
      );
      const res = await getJson(server.url, `api/dates/${DATE}/merchants/${M}`);
      expect(res.status).toBe(503);
      expect(res.body['error']).toMatch(/CURRENT/);
      expect(
        (await getJson(server.url, `api/dates/${DATE}/merchants/${M}?version=v7811`)).status,
      ).toBe(200);
      expect((await getJson(server.url, 'api/health')).status).toBe(200);
      const dates = await getJson(server.url, 'api/dates');
      expect(dates.body['dates']).toMatchObject([
        { current_version: null, current_error: expect.stringMatching(/CURRENT/) as unknown },
      ]);
    } finally {
      await server.close();
    }
  });

  it('a version whose Parquet was removed: 503 with the reason, repeatedly; other answers unaffected', async () => {
    const warehouse = await tempDir('settle-serve-removed-');
    await cp(fixtureWarehouse, warehouse, { recursive: true });
    const data = path.join(
      warehouse,
      'merchant_settlement_summary',
      `date=${DATE}`,
      'v7811',
      'data',
    );
    for (const file of await readdir(data)) await rm(path.join(data, file));
    const server = await serveWarehouse(warehouse);
    try {
      for (const target of [
        `api/dates/${DATE}/merchants/${M}`,
        `api/dates/${DATE}/summary`,
        `api/dates/${DATE}/merchants`,
      ]) {
        const res = await getJson(server.url, target);
        expect(res.status, target).toBe(503);
        expect(res.body['error']).toMatch(/v7811 cannot be read/);
      }
      expect((await getJson(server.url, 'api/dates')).status).toBe(200);
      expect((await getJson(server.url, 'api/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a warehouse with nothing published: empty dates, 404 with a reason, health up', async () => {
    const server = await serveWarehouse(await tempDir('settle-serve-empty-'));
    try {
      expect((await getJson(server.url, 'api/dates')).body).toEqual({ dates: [] });
      const health = await getJson(server.url, 'api/health');
      expect(health.body).toMatchObject({ status: 'ok', version: null });
      const res = await getJson(server.url, `api/dates/${DATE}/merchants/${M}`);
      expect(res.status).toBe(404);
      expect(res.body['error']).toBe(`no published version for ${DATE}`);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
