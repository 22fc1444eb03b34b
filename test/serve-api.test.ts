import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONEY_COLUMNS, PUBLISHED_COLUMNS } from '../src/contract/columns.js';
import type { RunningServer } from '../src/serve/server.js';
import { WarehouseLayout } from '../src/warehouse/layout.js';
import { readSuccess, swapPointer } from '../src/warehouse/versions.js';
import { repoRoot, settle } from './util/pipeline.js';
import { getJson, getRaw, serveWarehouse, versionRows } from './util/serve.js';
import { DATE, entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';

/**
 * `settle serve`'s JSON API over real HTTP, on the fixture snapshot's published version (every
 * fault of SPEC section 3: incomplete shards, rejects, flags), each answer compared with the
 * version's Parquet read independently with DuckDB; then the server while the warehouse changes
 * under it (publish, rollback, damage).
 */
const DECIMALS: Record<string, number> = { EUR: 2, JPY: 0, USD: 2 };

let warehouse: string;
let server: RunningServer;
let parquet: Array<Record<string, unknown>>;
let expected: Array<Record<string, unknown>>;
let success: { content_checksum: string; created_at: string; lineage: Record<string, unknown> };

/** The API form of a Parquet row: money as exact strings, counts as numbers, plus decimals. */
function apiRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of PUBLISHED_COLUMNS) {
    const v = row[c.name];
    if (c.name === 'settlement_date') out[c.name] = DATE;
    else if (c.kind === 'money') out[c.name] = (v as bigint).toString();
    else if (c.kind === 'count') out[c.name] = Number(v as bigint);
    else out[c.name] = v;
  }
  out['decimals'] = DECIMALS[row['currency'] as string];
  return out;
}

const get = (target: string, headers: Record<string, string> = {}) =>
  getJson(server.url, target, headers);

/** Every row of a listing, following `next` cursors; checks each page's version and size. */
async function walk(query: string, limit: number): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const cursor: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const page = await get(`api/dates/${DATE}/merchants?limit=${limit}${query}${cursor}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body['version']).toBe('v7811');
    const got = page.body['rows'] as Array<Record<string, unknown>>;
    expect(got.length).toBeLessThanOrEqual(limit);
    rows.push(...got);
    after = page.body['next'] as string | null;
    if (after === null) return rows;
    expect(got.length).toBe(limit);
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  warehouse = await tempDir('settle-serve-api-');
  await settle(path.join(repoRoot, 'fixtures', 'snapshot'), { warehouse });
  parquet = await versionRows(warehouse, DATE, 'v7811');
  expected = parquet.map(apiRow);
  success = JSON.parse(
    await readFile(
      path.join(warehouse, 'merchant_settlement_summary', `date=${DATE}`, 'v7811', '_SUCCESS'),
      'utf8',
    ),
  ) as typeof success;
  server = await serveWarehouse(warehouse);
});

afterAll(async () => {
  await server?.close();
});

describe('settle serve API: shapes and numbers against the Parquet', () => {
  it('health and dates name the current version; dates list every published version', async () => {
    const health = await get('api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', version: 'v7811', settlement_date: DATE });
    const dates = await get('api/dates');
    expect(dates.headers.get('cache-control')).toBe('no-cache');
    expect(dates.body).toMatchObject({
      dates: [
        {
          date: DATE,
          current_version: 'v7811',
          versions: [
            {
              version: 'v7811',
              current: true,
              content_checksum: success.content_checksum,
              published_at: success.created_at,
              row_count: parquet.length,
            },
          ],
        },
      ],
    });
  });

  it("every merchant's rows equal its Parquet rows (money as exact minor-unit strings)", async () => {
    const merchants = [...new Set(parquet.map((r) => r['merchant_id'] as string))];
    for (const merchant of merchants) {
      const res = await get(`api/dates/${DATE}/merchants/${encodeURIComponent(merchant)}`);
      expect(res.status).toBe(200);
      expect(res.body['version']).toBe('v7811');
      expect(res.body['rows']).toEqual(expected.filter((r) => r['merchant_id'] === merchant));
    }
  });

  it('summary: lineage, money totals per currency, merchant and flag counts, incomplete shards', async () => {
    const res = await get(`api/dates/${DATE}/summary`);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({
      version: 'v7811',
      settlement_date: DATE,
      content_checksum: success.content_checksum,
      published_at: success.created_at,
      lineage: {
        manifest_sha256: success.lineage['manifest_sha256'],
        opening_version: null,
        supersedes: null,
      },
      merchants: new Set(parquet.map((r) => r['merchant_id'])).size,
      rows: parquet.length,
      reserve_review: parquet.filter((r) => r['reserve_review']).length,
      books_incomplete: parquet.filter((r) => !r['books_complete']).length,
      payout_eligible: parquet.filter((r) => r['payout_eligible']).length,
    });
    const currencies = body['currencies'] as Array<Record<string, unknown>>;
    expect(currencies.map((c) => c['currency'])).toEqual(['EUR', 'JPY', 'USD']);
    for (const c of currencies) {
      const rows = parquet.filter((r) => r['currency'] === c['currency']);
      expect(c['decimals']).toBe(DECIMALS[c['currency'] as string]);
      expect(c['rows']).toBe(rows.length);
      for (const money of MONEY_COLUMNS)
        expect((c['totals'] as Record<string, string>)[money], money).toBe(
          rows.reduce((sum, r) => sum + (r[money] as bigint), 0n).toString(),
        );
    }
    const shards = new Map<string, Set<string>>();
    for (const r of parquet)
      for (const item of ((r['incomplete_reason'] as string | null) ?? '').split(';'))
        if (item !== '') {
          const [reason, shard] = item.split(':') as [string, string];
          shards.set(shard, (shards.get(shard) ?? new Set()).add(reason));
        }
    const incomplete = body['incomplete_shards'] as Array<Record<string, unknown>>;
    expect(incomplete.map((s) => [s['shard_id'], s['reasons']])).toEqual(
      [...shards.keys()].sort().map((s) => [s, [...(shards.get(s) ?? [])].sort()]),
    );
    expect(incomplete.find((s) => s['shard_id'] === '12')?.['reasons']).toEqual(['replica_lag']);
    expect((incomplete[0]?.['details'] as string[]).length).toBeGreaterThan(0);
  });

  it('pagination walks the whole version in dataset order, no duplicates, no gaps', async () => {
    expect(await walk('', 7)).toEqual(expected);
    const first = await get(`api/dates/${DATE}/merchants`);
    expect((first.body['rows'] as unknown[]).length).toBe(Math.min(100, expected.length));
    expect(first.body['limit']).toBe(100);
  });

  it('filters: each flag, a currency, a prefix and combinations, across pages', async () => {
    const cases: Array<[string, (r: Record<string, unknown>) => boolean]> = [
      ['&flag=reserve_review', (r) => r['reserve_review'] === true],
      ['&flag=books_incomplete', (r) => r['books_complete'] === false],
      ['&flag=not_eligible', (r) => r['payout_eligible'] === false],
      ['&currency=JPY', (r) => r['currency'] === 'JPY'],
      ['&q=M00001', (r) => (r['merchant_id'] as string).startsWith('M00001')],
      [
        '&currency=EUR&flag=not_eligible&q=M0000',
        (r) =>
          r['currency'] === 'EUR' &&
          r['payout_eligible'] === false &&
          (r['merchant_id'] as string).startsWith('M0000'),
      ],
      ['&currency=XAU', () => false],
      ['&q=Z', () => false],
    ];
    for (const [query, keep] of cases) {
      const want = expected.filter(keep);
      if (!['&currency=XAU', '&q=Z'].includes(query)) expect(want.length, query).toBeGreaterThan(3);
      expect(await walk(query, 3), query).toEqual(want);
    }
  });

  it('pinned answers are cacheable for good (ETag = content checksum, 304); current ones are not', async () => {
    const etag = `"${success.content_checksum}"`;
    for (const target of [
      `api/dates/${DATE}/summary?version=v7811`,
      `api/dates/${DATE}/merchants?version=v7811&limit=2`,
      `api/dates/${DATE}/merchants/M000003?version=v7811`,
    ]) {
      const pinned = await get(target);
      expect(pinned.status).toBe(200);
      expect(pinned.headers.get('etag')).toBe(etag);
      expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const again = await fetch(new URL(target, server.url), {
        headers: { 'If-None-Match': etag },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
    }
    const current = await get(`api/dates/${DATE}/merchants/M000003`);
    expect(current.headers.get('cache-control')).toBe('no-cache');
    expect(current.headers.get('etag')).toBeNull();
    expect(current.body['version']).toBe('v7811');
    const head = await fetch(new URL(`api/dates/${DATE}/summary`, server.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('settle serve API: bad input gets 400 or 404 with a JSON error, never a stack', () => {
  const long = 'M'.repeat(10_000);
  const cases: Array<[string, number]> = [
    ['api/dates/2026-4-5/summary', 400],
    ['api/dates/2026-02-30/summary', 400],
    ['api/dates/..%2F..%2Fetc/summary', 400],
    ['api/dates/%2e%2e/summary', 400],
    ['api/dates/2026-04-05%00/summary', 400],
    [`api/dates/${DATE}/summary?version=..%2Fv7811`, 400],
    [`api/dates/${DATE}/summary?version=%2e%2e`, 400],
    [`api/dates/${DATE}/summary?version=v7811%00`, 400],
    [`api/dates/${DATE}/summary?version=7811`, 400],
    [`api/dates/${DATE}/summary?verison=v7811`, 400],
    [`api/dates/${DATE}/summary?version=v1&version=v7811`, 400],
    [`api/dates/${DATE}/merchants/${long}`, 400],
    [`api/dates/${DATE}/merchants/M%00`, 400],
    [`api/dates/${DATE}/merchants/M%0A1`, 400],
    [`api/dates/${DATE}/merchants/%2e%2e`, 400],
    [`api/dates/${DATE}/merchants/a%2Fb`, 400],
    [`api/dates/${DATE}/merchants/a%5Cb`, 400],
    [`api/dates/${DATE}/merchants?limit=-1`, 400],
    [`api/dates/${DATE}/merchants?limit=0`, 400],
    [`api/dates/${DATE}/merchants?limit=1e9`, 400],
    [`api/dates/${DATE}/merchants?limit=1001`, 400],
    [`api/dates/${DATE}/merchants?limit=abc`, 400],
    [`api/dates/${DATE}/merchants?flag=everything`, 400],
    [`api/dates/${DATE}/merchants?flag=`, 400],
    [`api/dates/${DATE}/merchants?q=..`, 400],
    [`api/dates/${DATE}/merchants?q=%00`, 400],
    [`api/dates/${DATE}/merchants?q=${long}`, 400],
    [`api/dates/${DATE}/merchants?currency=%2e%2e`, 400],
    [`api/dates/${DATE}/merchants?after=garbage`, 400],
    [`api/dates/${DATE}/merchants?sort=desc`, 400],
    ['api/health?x=1', 400],
    ['api/dates/2026-04-06/summary', 404],
    ['api/dates/2026-04-06/merchants/M000003', 404],
    [`api/dates/${DATE}/summary?version=v9999`, 404],
    [`api/dates/${DATE}/merchants/NOBODY`, 404],
    [`api/dates/${DATE}/merchants/M'%3B%20DROP%20TABLE%20x%3B--`, 404],
    [`api/dates/${DATE}/merchants/%27%20OR%20%271%27%3D%271`, 404],
    [`api/dates/${DATE}/merchants/a..b`, 400],
    ['api/nothing', 404],
    ['assets/../../package.json', 400],
    ['assets/%2e%2e%2fpackage.json', 400],
    ['assets/nothing.js', 404],
  ];
  it.each(cases)('GET /%s -> %i', async (target, status) => {
    const res = await getRaw(server.url, target);
    expect(res.status).toBe(status);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(typeof res.body['error']).toBe('string');
    expect(res.body['error']).not.toMatch(/\n|\bat .*\.(ts|js):\d+/);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('a forged cursor (valid shape, tampered key) is refused; a real one is accepted', async () => {
    const page = await get(`api/dates/${DATE}/merchants?limit=1`);
    const cursor = page.body['next'] as string;
    const [payload, tag] = cursor.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify(['M000099', 'USD'])).toString('base64url')}.${tag}`;
    expect((await get(`api/dates/${DATE}/merchants?after=${forged}`)).status).toBe(400);
    expect(
      (await get(`api/dates/${DATE}/merchants?after=${payload}.${'A'.repeat(16)}`)).status,
    ).toBe(400);
    expect((await get(`api/dates/${DATE}/merchants?after=${cursor}`)).status).toBe(200);
  });

  it('non-GET methods get 405; the server never answers with a stack trace', async () => {
    const res = await fetch(new URL('api/health', server.url), { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: expect.stringContaining('read-only') as unknown });
  });
});

describe('settle serve: bearer token', () => {
  it('without or with a wrong token 401, with the right one 200; the token is never logged', async () => {
    const token = 'tok-0123456789abcdef-secret';
    const guarded = await serveWarehouse(warehouse, { token });
    try {
      const at = (headers: Record<string, string>) => getJson(guarded.url, 'api/health', headers);
      const none = await at({});
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await at({ Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
      expect((await at({ Authorization: `Bearer ${token}x` })).status).toBe(401);
      expect((await at({ Authorization: token })).status).toBe(401);
      expect((await at({ Authorization: `Bearer ${token}` })).status).toBe(200);
      const page = await fetch(guarded.url, { headers: { Authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      expect((await fetch(guarded.url)).status).toBe(401);
      expect(guarded.logs.join('\n')).not.toContain(token);
    } finally {
      await guarded.close();
    }
  });
});

const M = 'M000003';
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
  await recordTruth(warehouse, 'v7811');
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
    const wh = await tempDir('settle-serve-switch-');
    await cp(warehouse, wh, { recursive: true });
    server = await serveWarehouse(wh);
    const seen: Array<{ version: string; rows: string; status: number }> = [];
    let running = true;
    const loop = async (): Promise<void> => {
      while (running) {
        const res = await getJson(server.url, `api/dates/${DATE}/merchants/${M}`);
        const version = String(res.body['version']);
        const rows = (res.body['rows'] ?? []) as Array<Record<string, unknown>>;
        seen.push({ version, status: res.status, rows: fingerprint(rows) });
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const loops = Array.from({ length: 3 }, loop);
    const currentIs = (v: string) => async () =>
      (await getJson(server.url, `api/dates/${DATE}/summary`)).body['version'] === v;
    try {
      const published = await settle(second, { warehouse: wh, epoch: 'ledger-snapshot-7900' });
      expect(published.version).toBe('v7900');
      await recordTruth(wh, 'v7900');
      expect(await waitFor(currentIs('v7900'), 1000)).toBeLessThan(1000);
      const layout = new WarehouseLayout(wh);
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
    const wh = await tempDir('settle-serve-damaged-');
    await cp(warehouse, wh, { recursive: true });
    const dateDir = path.join(wh, 'merchant_settlement_summary', `date=${DATE}`);
    // A version without _SUCCESS does not exist for readers.
    await mkdir(path.join(dateDir, 'v9999', 'data'), { recursive: true });
    const server = await serveWarehouse(wh);
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

  it('a version whose Parquet was removed: 503 with the reason (no server path), repeatedly; other answers unaffected', async () => {
    const wh = await tempDir('settle-serve-removed-');
    await cp(warehouse, wh, { recursive: true });
    const data = path.join(wh, 'merchant_settlement_summary', `date=${DATE}`, 'v7811', 'data');
    const removeData = async (): Promise<void> => {
      for (const file of await readdir(data)) await rm(path.join(data, file));
    };
    // Removed after the version was loaded: rows still answer from memory, totals cannot be read.
    const loaded = await serveWarehouse(wh);
    try {
      expect((await getJson(loaded.url, `api/dates/${DATE}/merchants/${M}`)).status).toBe(200);
      await removeData();
      const summary = await getJson(loaded.url, `api/dates/${DATE}/summary`);
      expect(summary.status).toBe(503);
      expect(summary.body['error']).toMatch(/^totals of v7811 cannot be read: .*<warehouse>/);
      expect(summary.body['error']).not.toContain(wh);
      expect((await getJson(loaded.url, `api/dates/${DATE}/merchants/${M}`)).status).toBe(200);
    } finally {
      await loaded.close();
    }
    // Removed before it was ever loaded: every answer from it is a 503 naming the problem.
    const server = await serveWarehouse(wh);
    try {
      for (const target of [
        `api/dates/${DATE}/merchants/${M}`,
        `api/dates/${DATE}/summary`,
        `api/dates/${DATE}/merchants`,
        `api/dates/${DATE}/merchants/${M}`,
      ]) {
        const res = await getJson(server.url, target);
        expect(res.status, target).toBe(503);
        expect(res.body['error']).toMatch(/^version v7811 cannot be read: No files found/);
        expect(res.body['error']).not.toContain(wh);
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
