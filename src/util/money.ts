/**
 * Integer minor units (a decimal string of any length) as grouped major units, by string
 * arithmetic only, never through floating point: ("-123456", 2) → "-1,234.56". The dashboard
 * serves the same function to the browser as plain JS (src/serve/assets/format.js).
 */
export function formatMinor(minor: string, decimals: number): string {
  if (!/^-?\d+$/.test(minor)) throw new Error(`not an integer amount: ${minor}`);
  const negative = minor.startsWith('-');
  const digits = (negative ? minor.slice(1) : minor)
    .replace(/^0+(?=\d)/, '')
    .padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative && !/^0*$/.test(digits) ? '-' : ''}${whole}${fraction}`;
}
