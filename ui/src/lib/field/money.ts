// Amounts as reps type them ("45", "45.5", "1,045.50") to integer minor units, without floating point.

/** Minor units in the currency's usual number of decimals; null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const cleaned = text.trim().replace(/[\s,]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units back to what the rep typed: 4550 → "45.50". */
export function amountText(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return digits === 0 ? String(minor) : `${Math.floor(minor / 10 ** digits)}.${String(minor % 10 ** digits).padStart(digits, '0')}`;
}

/** An account card's amount (minor units as a string) as money the UI formats. */
export function moneyOf(amountMinor: string | number, currency: string): { amountMinor: number; currency: string } {
  return { amountMinor: Number(amountMinor), currency };
}
