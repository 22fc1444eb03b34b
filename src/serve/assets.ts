import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../util/package-root.js';

/**
 * The dashboard's files (src/serve/assets/, shipped as they are). They are read once at start-up
 * and served from memory; nothing is fetched from elsewhere.
 */
export const assetRoot = path.join(packageRoot, 'src', 'serve', 'assets');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

export function loadAssets(root = assetRoot): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(root).sort()) {
    const type = TYPES[path.extname(name)];
    if (type === undefined) continue;
    const body = new Uint8Array(readFileSync(path.join(root, name)));
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    assets.set(name, { body, type, etag });
  }
  if (!assets.has('index.html')) throw new Error(`dashboard assets missing in ${root}`);
  return assets;
}
