import { describe, expect, test } from 'vitest';
import { addMoney, minorToNumber, money, moneyToJson, subtractMoney } from '../../domain/money.ts';

describe('money', () => {
  test('adds and subtracts in minor units without float error', () => {
    const total = addMoney(money(10, 'usd'), money(20, 'USD'));
    expect(total).toEqual({ amountMinor: 30n, currency: 'USD' });
    expect(subtractMoney(total, money(30, 'USD')).amountMinor).toBe(0n);
  });

  test('refuses to mix currencies', () => {
    expect(() => addMoney(money(1, 'USD'), money(1, 'EUR'))).toThrow(/currency mismatch/);
  });

  test('JSON form carries exact integers and refuses what a number cannot hold', () => {
    expect(moneyToJson(money(12550n, 'USD'))).toEqual({ amountMinor: 12550, currency: 'USD' });
    expect(() => minorToNumber(2n ** 60n)).toThrow(RangeError);
  });
});
