// What a field rep types as an amount becomes exact minor units on the phone (ui/src/lib/field/money.ts):
// no floating point between the keyboard and the payment.
import { describe, expect, test } from 'vitest';
import { amountText, parseAmount } from '../../ui/src/lib/field/money.ts';

describe('amounts typed on the phone', () => {
  test('dollars and cents become cents exactly, however they are typed', () => {
    expect(parseAmount('50', 'USD')).toBe(5_000);
    expect(parseAmount('50.5', 'USD')).toBe(5_050);
    expect(parseAmount(' 1,045.07 ', 'USD')).toBe(104_507);
    expect(parseAmount('0.29', 'USD')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseAmount('19.99', 'USD')).toBe(1_999);
  });

  test('what is not an amount in the currency is refused, not guessed', () => {
    for (const text of ['', 'abc', '1.234', '-5', '1e3', '12.3.4', '$10']) expect(parseAmount(text, 'USD')).toBeNull();
    expect(parseAmount('100', 'JPY')).toBe(100);
    expect(parseAmount('100.5', 'JPY')).toBeNull();
  });

  test('an amount shown back in the form is the one that was typed', () => {
    expect(amountText(5_050, 'USD')).toBe('50.50');
    expect(amountText(7, 'USD')).toBe('0.07');
    expect(amountText(100, 'JPY')).toBe('100');
    expect(parseAmount(amountText(123_456, 'USD'), 'USD')).toBe(123_456);
  });
});
