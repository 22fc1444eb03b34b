import { createHash } from 'node:crypto';
import { badRequest } from './http-error.js';
import type { RowKey } from './page.js';
import { checkCurrency, checkMerchantText } from './params.js';
import { utf8 } from './bytes.js';

/**
 * The `next` cursor of a page: base64url of the JSON key [merchant_id, currency] of its last row,
 * a dot, and a 96-bit SHA-256 tag of that payload. A cursor is a position in a public ordering, not
 * a capability (it reveals and grants nothing a caller cannot already read), so the tag is a
 * checksum that tells a garbled or hand-edited cursor apart from one this server issued, not a
 * secret; being deterministic, it survives restarts and pinned pages stay cacheable for good.
 * Decoding checks every part strictly and re-validates the key like the query parameters.
 */
const LABEL = 'settle serve cursor v1\n';

function tag(payload: string): string {
  return createHash('sha256')
    .update(LABEL)
    .update(payload)
    .digest()
    .subarray(0, 12)
    .toString('base64url');
}

export function encodeCursor(merchant: string, currency: string): string {
  const payload = Buffer.from(JSON.stringify([merchant, currency])).toString('base64url');
  return `${payload}.${tag(payload)}`;
}

export function decodeCursor(cursor: string): RowKey {
  const invalid = badRequest('after: not a cursor from a page of this API');
  const match = /^([A-Za-z0-9_-]{4,1400})\.([A-Za-z0-9_-]{16})$/.exec(cursor);
  if (match === null || tag(match[1] as string) !== match[2]) throw invalid;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(match[1] as string, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(key) || key.length !== 2) throw invalid;
  const [merchant, currency] = key as unknown[];
  if (typeof merchant !== 'string' || typeof currency !== 'string') throw invalid;
  checkMerchantText(merchant, 'after');
  checkCurrency(currency, 'after');
  return { merchant: utf8.encode(merchant), currency };
}
