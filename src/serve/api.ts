import type { Context, Hono } from 'hono';
import { utf8 } from './bytes.js';
import {
  resolveVersion,
  versionData,
  type Resolved,
  type ServeContext,
  type ServeEnv,
} from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { notFound } from './http-error.js';
import { findPage } from './page.js';
import {
  checkDate,
  emptyQuery,
  merchantParam,
  pageQuery,
  parseOr400,
  singleValues,
  versionQuery,
} from './params.js';
import { bodyWithRows, JsonText, merchantRowsText, pageRowsText } from './row-text.js';
import { summaryBody } from './summary.js';
import { findMerchant, merchantId, merchantOfRow, type VersionData } from './version-data.js';
import { datesBody, healthBody } from './dates-body.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** True when If-None-Match names this entity tag (or `*`); weak comparison, as for GET. */
function notModified(c: Context<ServeEnv>, etag: string): boolean {
  const header = c.req.header('if-none-match');
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/**
 * Answers from one resolved version. Pinned: the content checksum is the entity tag and the body
 * may be cached for good (a published version never changes); a matching If-None-Match gets 304
 * before the version is even loaded. Current: `no-cache`, the body names the version. When the
 * version is in memory the answer is built synchronously (the common case, and the fast one).
 */
function answer(
  c: Context<ServeEnv>,
  ctx: ServeContext,
  resolved: Resolved,
  body: (data: VersionData) => object | Promise<object>,
): Response | Promise<Response> {
  if (resolved.pinned) {
    const etag = `"${resolved.marker.content_checksum}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', IMMUTABLE);
    if (notModified(c, etag)) return c.body(null, 304);
  } else {
    c.header('Cache-Control', 'no-cache');
  }
  const send = (built: object): Response => {
    if (!(built instanceof JsonText)) return c.json(built);
    c.header('Content-Type', 'application/json');
    return c.body(built.text);
  };
  const respond = (data: VersionData): Response | Promise<Response> => {
    const built = body(data);
    return built instanceof Promise ? built.then(send) : send(built);
  };
  const loaded = ctx.store.peek(resolved.marker.version);
  if (loaded !== undefined) return respond(loaded);
  return versionData(ctx, resolved).then(respond);
}

const query = (c: Context<ServeEnv>): Record<string, string> => singleValues(c.req.queries());
const date = (c: Context<ServeEnv>): string => checkDate(c.req.param('date') ?? '');

/** The JSON API of SPEC section 9. Every body names the version its numbers come from. */
export function registerApi(app: Hono<ServeEnv>, ctx: ServeContext): void {
  app.get('/api/health', (c) => {
    parseOr400(emptyQuery, query(c), 'query');
    c.header('Cache-Control', 'no-cache');
    return c.json(healthBody(ctx));
  });

  app.get('/api/dates', (c) => {
    parseOr400(emptyQuery, query(c), 'query');
    c.header('Cache-Control', 'no-cache');
    return c.json(datesBody(ctx));
  });

  app.get('/api/dates/:date/summary', (c) => {
    const day = date(c);
    const { version } = parseOr400(versionQuery, query(c), 'query');
    const resolved = resolveVersion(ctx, day, version);
    return answer(c, ctx, resolved, (data) => summaryBody(ctx.layout, ctx.db, data));
  });

  app.get('/api/dates/:date/merchants/:merchant', (c) => {
    const day = date(c);
    const merchant = parseOr400(merchantParam, c.req.param('merchant'), 'merchant');
    const { version } = parseOr400(versionQuery, query(c), 'query');
    const resolved = resolveVersion(ctx, day, version);
    return answer(c, ctx, resolved, (data) => {
      const m = findMerchant(data, utf8.encode(merchant));
      if (m < 0)
        throw notFound(
          `merchant ${JSON.stringify(merchant)} has no rows in ${data.marker.version}`,
        );
      const head = {
        version: data.marker.version,
        settlement_date: data.marker.settlement_date,
        merchant_id: merchant,
      };
      return bodyWithRows(head, merchantRowsText(data, m));
    });
  });

  app.get('/api/dates/:date/merchants', (c) => {
    const day = date(c);
    const params = parseOr400(pageQuery, query(c), 'query');
    const after = params.after === undefined ? undefined : decodeCursor(params.after);
    const resolved = resolveVersion(ctx, day, params.version);
    return answer(c, ctx, resolved, (data) => {
      const limit = params.limit ?? 100;
      const page = findPage(data, {
        prefix: params.q === undefined ? undefined : utf8.encode(params.q),
        currency: params.currency,
        flag: params.flag,
        limit,
        after,
      });
      const last = page.rows.at(-1);
      const next =
        page.more && last !== undefined
          ? encodeCursor(
              merchantId(data, merchantOfRow(data, last)),
              data.currencies[data.rowCurrency[last] as number] as string,
            )
          : null;
      const head = {
        version: data.marker.version,
        settlement_date: data.marker.settlement_date,
        limit,
      };
      return bodyWithRows(head, pageRowsText(data, page.rows), { next });
    });
  });
}
