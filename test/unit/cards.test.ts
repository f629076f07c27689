// Cards as the phone and the processor see them (F9): Luhn, brand, expiry; encrypted on the phone
// with the processor's public key, readable only with its private key.
import { describe, expect, test } from 'vitest';
import { constants, createPublicKey, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { cardBrand, cardDataProblems, passesLuhn } from '../../domain/cards.ts';
import { encryptCard } from '../../domain/card-encryption.ts';

describe('card numbers', () => {
  test('the Luhn check, the brand and the last four', () => {
    expect(passesLuhn('4242 4242 4242 4242')).toBe(true);
    expect(passesLuhn('4242 4242 4242 4241')).toBe(false);
    expect(passesLuhn('12')).toBe(false);
    expect(cardBrand('5555555555554444')).toBe('Mastercard');
    expect(cardBrand('2223003122003222')).toBe('Mastercard');
    expect(cardBrand('378282246310005')).toBe('American Express');
    expect(cardBrand('6011111111111117')).toBe('Discover');
  });

  test('expired cards, bad months and short codes are caught before encryption', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    expect(cardDataProblems({ number: '4242424242424242', expMonth: 12, expYear: 2026, cvc: '123', holder: 'J' }, now)).toEqual([]);
    expect(cardDataProblems({ number: '4242424242424242', expMonth: 11, expYear: 26, cvc: '12', holder: '' }, now).map((p) => p.field)).toEqual(['expYear', 'cvc', 'holder']);
    expect(cardDataProblems({ number: '4242424242424242', expMonth: 13, expYear: 2030, cvc: '123', holder: 'J' }, now).map((p) => p.field)).toEqual(['expMonth']);
  });

  test('the phone’s ciphertext holds no digits of the card and only the private key opens it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const sealed = await encryptCard({ number: '4242 4242 4242 4242', expMonth: 1, expYear: 2030, cvc: '321', holder: ' Jane Doe ' }, { keyId: 'k1', publicKeyJwk: jwk });
    expect(sealed).toMatchObject({ keyId: 'k1', brand: 'Visa', last4: '4242' });
    expect(Buffer.from(sealed.encrypted, 'base64').toString('latin1')).not.toContain('4242');
    const plain = JSON.parse(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(sealed.encrypted, 'base64')).toString());
    expect(plain).toEqual({ number: '4242424242424242', expMonth: 1, expYear: 2030, cvc: '321', holder: 'Jane Doe' });
  });
});
