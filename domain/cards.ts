// Card numbers as the field app and the card processor's sandbox see them (F9): the Luhn check,
// the brand, the last four digits. Arrears itself never holds a card number: the phone encrypts the
// card for the processor, keeps only brand and last four for the receipt, and the server passes the
// ciphertext on. Pure.

export function digitsOnly(cardNumber: string): string {
  return cardNumber.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check every card number carries. */
export function passesLuhn(cardNumber: string): boolean {
  const digits = digitsOnly(cardNumber);
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The scheme, from the number's leading digits (IIN ranges of the common schemes). */
export function cardBrand(cardNumber: string): string {
  const d = digitsOnly(cardNumber);
  if (/^4/.test(d)) return 'Visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(d)) return 'Mastercard';
  if (/^3[47]/.test(d)) return 'American Express';
  if (/^6(011|5)/.test(d)) return 'Discover';
  return 'Card';
}

export function lastFour(cardNumber: string): string {
  return digitsOnly(cardNumber).slice(-4);
}

/** The card data the phone encrypts for the processor: exactly these fields, nothing else. */
export interface CardData {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holder: string;
}

export interface CardProblem {
  field: keyof CardData;
  message: string;
}

/** What is wrong with card data as typed, before it is encrypted (the processor checks again). */
export function cardDataProblems(card: CardData, now: Date): CardProblem[] {
  const problems: CardProblem[] = [];
  if (!passesLuhn(card.number)) problems.push({ field: 'number', message: 'this is not a valid card number' });
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) problems.push({ field: 'expMonth', message: 'the month must be 1 to 12' });
  const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  const expired = year < now.getUTCFullYear() || (year === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1);
  if (!Number.isInteger(card.expYear) || expired) problems.push({ field: 'expYear', message: 'the card has expired' });
  if (!/^\d{3,4}$/.test(card.cvc)) problems.push({ field: 'cvc', message: 'the security code is 3 or 4 digits' });
  if (!card.holder.trim()) problems.push({ field: 'holder', message: 'the name on the card is required' });
  return problems;
}
