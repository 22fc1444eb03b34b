// Exact money formatting for the dashboard: integer minor units (a decimal string, any length)
// to grouped major units, by string arithmetic only; never through floating point.

/** ("-123456", 2) → "-1,234.56"; ("700", 0) → "700"; ("5", 3) → "0.005". */
export function formatMinor(minor, decimals) {
  if (typeof minor !== 'string' || !/^-?\d+$/.test(minor)) return '?';
  const negative = minor.startsWith('-');
  const digits = (negative ? minor.slice(1) : minor)
    .replace(/^0+(?=\d)/, '')
    .padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  const zero = /^0*$/.test(digits);
  return `${negative && !zero ? '-' : ''}${whole}${fraction}`;
}
