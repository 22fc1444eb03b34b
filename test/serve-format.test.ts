import { describe, expect, it } from 'vitest';
import { formatMinor } from '../src/serve/assets/format.js';
import { groupedMajor as byBigInt } from './util/money.js';

describe('formatMinor (src/serve/assets/format.js)', () => {
  it.each([
    ['0', 2, '0.00'],
    ['5', 3, '0.005'],
    ['-5', 2, '-0.05'],
    ['700', 0, '700'],
    ['-123456', 2, '-1,234.56'],
    ['100000000', 2, '1,000,000.00'],
    ['9223372036854775807', 2, '92,233,720,368,547,758.07'],
    ['-9223372036854775808', 3, '-9,223,372,036,854,775.808'],
  ])('%s with %i decimals -> %s', (minor, decimals, want) => {
    expect(formatMinor(minor, decimals)).toBe(want);
  });

  it('agrees with BigInt arithmetic on values around every power of ten and 2^53', () => {
    const values: bigint[] = [];
    for (let e = 0n; e <= 19n; e++)
      for (const d of [-1n, 0n, 1n]) values.push(10n ** e + d, -(10n ** e + d));
    values.push(2n ** 53n + 1n, -(2n ** 53n + 1n), 2n ** 63n - 1n);
    for (const v of values)
      for (const decimals of [0, 1, 2, 3, 4])
        expect(formatMinor(v.toString(), decimals)).toBe(byBigInt(v, decimals));
  });

  it('refuses what is not an integer string', () => {
    for (const bad of ['1.5', '1e3', '', ' 1', '--1']) expect(formatMinor(bad, 2)).toBe('?');
  });
});
