/** JSON.stringify replacer that writes bigint as a decimal string. */
export function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
