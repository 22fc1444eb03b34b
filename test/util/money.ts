/**
 * Integer minor units as grouped major units ("-1,234.56") by BigInt arithmetic: the expected
 * value for pages that show money, computed independently of src/.
 */
export function groupedMajor(minor: bigint, decimals: number): string {
  const unit = 10n ** BigInt(decimals);
  const abs = minor < 0n ? -minor : minor;
  const fraction = decimals > 0 ? `.${(abs % unit).toString().padStart(decimals, '0')}` : '';
  return `${minor < 0n ? '-' : ''}${(abs / unit).toLocaleString('en-US')}${fraction}`;
}
