import { Hono, type Context } from 'hono';
import { registerApi } from './api.js';
import type { Asset } from './assets.js';
import type { ServeContext, ServeEnv } from './context.js';
import { badRequest, HttpError } from './http-error.js';

/** Every response: no sniffing, no framing, no referrer, and nothing loaded from elsewhere. */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The request target as the client sent it (before URL normalisation resolved `..`): no NUL
 * anywhere, no encoded slash or backslash and no dot segment (plain or percent-encoded) in the
 * path. Values never reach a file path anyway; this refuses path tricks outright.
 */
function checkRequestTarget(target: string): void {
  if (/%00|\u0000/i.test(target)) throw badRequest('the request holds a NUL character');
  const path = target.split('?')[0] ?? '';
  if (/%2f|%5c/i.test(path)) throw badRequest('the path holds an encoded slash or backslash');
  if (path.split('/').some((s) => ['.', '..'].includes(decodeSegment(s))))
    throw badRequest('the path holds a dot segment');
}

function serveAsset(c: Context<ServeEnv>, asset: Asset | undefined): Response {
  if (asset === undefined) throw new HttpError(404, 'no such file');
  c.header('ETag', asset.etag);
  c.header('Cache-Control', 'no-cache');
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  return c.body(asset.body);
}

/** The hono app of `settle serve`: guard, bearer check, JSON API, dashboard page. */
export function createApp(ctx: ServeContext, assets: ReadonlyMap<string, Asset>): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  app.use('*', async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    if (ctx.closing()) c.header('Connection', 'close');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      throw new HttpError(405, `${c.req.method} is not supported: this API is read-only`);
    }
    if (ctx.token !== undefined && !ctx.token(c.req.header('authorization'))) {
      c.header('WWW-Authenticate', 'Bearer realm="settle"');
      throw new HttpError(401, 'missing or wrong bearer token');
    }
    checkRequestTarget(c.env?.incoming?.url ?? new URL(c.req.url).pathname);
    await next();
  });
  registerApi(app, ctx);
  app.get('/', (c) => serveAsset(c, assets.get('index.html')));
  app.get('/assets/:name', (c) => serveAsset(c, assets.get(c.req.param('name'))));
  app.notFound((c) => c.json({ error: 'no such endpoint' }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    const line = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    ctx.log(`settle serve: internal error on ${c.req.method} ${c.req.path}: ${line}`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
