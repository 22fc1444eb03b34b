import { request } from 'node:http';
import path from 'node:path';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/server.js';
import { WarehouseLayout } from '../../src/warehouse/layout.js';
import { readRows } from './pipeline.js';

/** `settle serve` in-process on an ephemeral port, polling fast; log lines are collected. */
export async function serveWarehouse(
  warehouse: string,
  options: Partial<ServeOptions> = {},
): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const server = await startServer({
    layout: new WarehouseLayout(warehouse),
    host: '127.0.0.1',
    port: 0,
    pollMs: 100,
    log: (line) => logs.push(line),
    ...options,
  });
  return Object.assign(server, { logs });
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** GET a path of the server (already encoded) and parse the JSON body. */
export async function getJson(
  base: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(new URL(target, base), { headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** A version's published rows read independently with DuckDB (BIGINT as bigint). */
export function versionRows(
  warehouse: string,
  date: string,
  version: string,
): Promise<Array<Record<string, unknown>>> {
  return readRows(
    path.join(warehouse, 'merchant_settlement_summary', `date=${date}`, version, 'data'),
  );
}

/**
 * GET a request target exactly as written (node:http sends it verbatim; fetch would resolve `..`
 * and `%2e%2e` first), so the server's own checks of the raw target are what is tested.
 */
export function getRaw(base: string, target: string): Promise<JsonResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: `/${target}`, method: 'GET' },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
