import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sqlRoot } from '../sql/load.js';

let exponents: Map<string, number> | undefined;

/**
 * The ISO 4217 minor-unit exponent of a currency, from the list the project ships
 * (sql/reference/iso4217.csv). Codes without an exponent (XAU, XDR, ...) and codes not on the
 * list count as 0: their amounts are whole units, as `export --amounts major` writes them.
 */
export function decimalsOf(currency: string): number {
  exponents ??= new Map(
    readFileSync(path.join(sqlRoot, 'reference', 'iso4217.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(','))
      .filter(([code]) => code !== undefined && code !== '')
      .map(([code, exponent]) => [
        code as string,
        /^\d$/.test(exponent ?? '') ? Number(exponent) : 0,
      ]),
  );
  return exponents.get(currency) ?? 0;
}
