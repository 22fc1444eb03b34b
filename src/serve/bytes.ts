/**
 * Byte-order comparison of UTF-8 keys: the dataset is sorted by merchant_id in UTF-8 byte order
 * (DuckDB's default collation), so lookups compare bytes, never JS strings (UTF-16 order differs
 * from byte order above U+FFFF).
 */

export const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/** Compares a[aFrom, aTo) with b[bFrom, bTo) byte by byte; shorter prefix first. */
export function compareBytes(
  a: Uint8Array,
  aFrom: number,
  aTo: number,
  b: Uint8Array,
  bFrom: number,
  bTo: number,
): number {
  const aLength = aTo - aFrom;
  const bLength = bTo - bFrom;
  const n = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < n; i++) {
    const d = (a[aFrom + i] as number) - (b[bFrom + i] as number);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** True when a[aFrom, aTo) starts with all of `prefix`. */
export function startsWith(a: Uint8Array, aFrom: number, aTo: number, prefix: Uint8Array): boolean {
  if (aTo - aFrom < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (a[aFrom + i] !== prefix[i]) return false;
  return true;
}

export function decodeUtf8(bytes: Uint8Array, from: number, to: number): string {
  return decoder.decode(bytes.subarray(from, to));
}

/** Strings in UTF-8 byte order (for the few string keys held as JS strings, like currencies). */
export function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  return compareBytes(x, 0, x.length, y, 0, y.length);
}
