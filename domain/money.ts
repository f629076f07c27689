// Money is an integer number of minor units (cents) with its ISO 4217 currency. Never a float.
// BigInt inside the system; at the JSON edge it becomes a safe integer `amountMinor`.

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: string;
}

export interface MoneyJson {
  amountMinor: number;
  currency: string;
}

export function money(amountMinor: bigint | number, currency: string): Money {
  return { amountMinor: BigInt(amountMinor), currency: currency.toUpperCase() };
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

/** The JSON form; refuses amounts a JavaScript number cannot carry exactly. */
export function moneyToJson(value: Money): MoneyJson {
  return { amountMinor: minorToNumber(value.amountMinor), currency: value.currency };
}

export function minorToNumber(amountMinor: bigint): number {
  if (amountMinor > BigInt(Number.MAX_SAFE_INTEGER) || amountMinor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${amountMinor} is outside the safe integer range`);
  }
  return Number(amountMinor);
}

/** For people: "$125.50". Assumes the currency's usual two decimals where Intl does not say. */
export function formatMinorUnits(amountMinor: bigint, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(Number(amountMinor) / 10 ** digits);
}
