import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import { Db } from '../db/duckdb.js';
import { runtimeFailure } from '../errors.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { createFetch } from './app.js';
import { loadAssets } from './assets.js';
import { bearerCheck } from './auth.js';
import { Catalog } from './catalog.js';
import type { ServeContext } from './context.js';
import { SerialDb } from './serial-db.js';
import { VersionStore } from './version-store.js';

export interface ServeOptions {
  layout: WarehouseLayout;
  host: string;
  /** 0: any free port. */
  port: number;
  /** With a token, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** How often the warehouse is rescanned for a new CURRENT (default 250 ms). */
  pollMs?: number;
  /** Versions kept in memory at most (default 3). */
  maxVersions?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  context: ServeContext;
  /** Stops accepting, lets requests in flight finish, then releases everything. */
  close(): Promise<void>;
}

const malformed = (err: unknown): Response =>
  new Response(
    JSON.stringify({
      error: err instanceof RequestError ? `malformed request: ${err.message}` : 'internal error',
    }),
    {
      status: err instanceof RequestError ? 400 : 500,
      headers: { 'Content-Type': 'application/json' },
    },
  );

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(runtimeFailure(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`)),
    );
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Starts `settle serve`'s HTTP server; resolves once it listens (the warehouse scanned once). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const db = new SerialDb(await Db.open());
  const store = new VersionStore(options.layout, db, {
    maxVersions: options.maxVersions ?? 3,
    retryMs: 2000,
    log,
  });
  const catalog = new Catalog(options.layout, store, options.pollMs ?? 250, log);
  let closing = false;
  const context: ServeContext = {
    layout: options.layout,
    catalog,
    store,
    db,
    token: options.token === undefined ? undefined : bearerCheck(options.token),
    log,
    closing: () => closing,
  };
  const fetch = createFetch(context, loadAssets());
  const server = createServer(
    getRequestListener((request, env) => fetch(request, env as HttpBindings), {
      errorHandler: malformed,
    }),
  );
  let address: AddressInfo;
  try {
    await catalog.start();
    address = await listen(server, options.port, options.host);
  } catch (err) {
    catalog.stop();
    await db.close();
    throw err;
  }
  // Warm the newest date's current version so the first page view does not wait for it.
  const newest = catalog.dates()[0];
  const current = newest === undefined ? undefined : catalog.current(newest.date);
  if (current?.kind === 'version') store.get(current.marker).catch(() => undefined);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    context,
    async close() {
      closing = true;
      catalog.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections close once idle; their last responses say Connection: close.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearInterval(sweep);
      clearTimeout(force);
      await db.close();
    },
  };
}
