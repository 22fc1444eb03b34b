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
import { merchantRowsJson, rowJson } from './row-json.js';
import { summaryBody } from './summary.js';
import { findMerchant, merchantId, merchantOfRow } from './version-data.js';
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
 * before the version is even loaded. Current: `no-cache`, the body names the version.
 */
async function answer(
  c: Context<ServeEnv>,
  resolved: Resolved,
  body: () => Promise<object> | object,
): Promise<Response> {
  if (!resolved.pinned) {
    c.header('Cache-Control', 'no-cache');
    return c.json(await body());
  }
  const etag = `"${resolved.marker.content_checksum}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', IMMUTABLE);
  if (notModified(c, etag)) return c.body(null, 304);
  return c.json(await body());
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

  app.get('/api/dates/:date/summary', async (c) => {
    const day = date(c);
    const { version } = parseOr400(versionQuery, query(c), 'query');
    const resolved = resolveVersion(ctx, day, version);
    return answer(c, resolved, async () =>
      summaryBody(ctx.layout, ctx.db, await versionData(ctx, resolved)),
    );
  });

  app.get('/api/dates/:date/merchants/:merchant', async (c) => {
    const day = date(c);
    const merchant = parseOr400(merchantParam, c.req.param('merchant'), 'merchant');
    const { version } = parseOr400(versionQuery, query(c), 'query');
    const resolved = resolveVersion(ctx, day, version);
    return answer(c, resolved, async () => {
      const data = await versionData(ctx, resolved);
      const m = findMerchant(data, utf8.encode(merchant));
      if (m < 0)
        throw notFound(
          `merchant ${JSON.stringify(merchant)} has no rows in ${data.marker.version}`,
        );
      return {
        version: data.marker.version,
        settlement_date: data.marker.settlement_date,
        merchant_id: merchant,
        rows: merchantRowsJson(data, m),
      };
    });
  });

  app.get('/api/dates/:date/merchants', async (c) => {
    const day = date(c);
    const params = parseOr400(pageQuery, query(c), 'query');
    const after = params.after === undefined ? undefined : decodeCursor(params.after);
    const resolved = resolveVersion(ctx, day, params.version);
    return answer(c, resolved, async () => {
      const data = await versionData(ctx, resolved);
      const limit = params.limit ?? 100;
      const page = findPage(data, {
        prefix: params.q === undefined ? undefined : utf8.encode(params.q),
        currency: params.currency,
        flag: params.flag,
        limit,
        after,
      });
      const rows = page.rows.map((row) =>
        rowJson(data, row, merchantId(data, merchantOfRow(data, row))),
      );
      const last = rows.at(-1);
      return {
        version: data.marker.version,
        settlement_date: data.marker.settlement_date,
        limit,
        rows,
        next:
          page.more && last !== undefined
            ? encodeCursor(String(last['merchant_id']), String(last['currency']))
            : null,
      };
    });
  });
}
