import { iso4217 } from '../contract/iso4217.js';

let exponents: Map<string, number> | undefined;

/**
 * The ISO 4217 minor-unit exponent of a currency, from the list the project ships
 * (sql/reference/iso4217.csv). Codes without an exponent (XAU, XDR, ...) and codes not on the
 * list count as 0: their amounts are whole units, as `export --amounts major` writes them.
 */
export function decimalsOf(currency: string): number {
  exponents ??= new Map(iso4217().map(({ code, exponent }) => [code, exponent ?? 0]));
  return exponents.get(currency) ?? 0;
}
