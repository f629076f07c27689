// How the phone encrypts a card for the merchant's processor (F9): RSA-OAEP with SHA-256 over the
// JSON of the card data, under the processor's public key (WebCrypto, in the browser and in Node
// alike). Only the processor holds the private key; Arrears stores the ciphertext until the visit
// syncs and never sees the number. The receipt keeps only the brand and the last four digits.
import { cardBrand, digitsOnly, lastFour, type CardData } from './cards.ts';

export interface EncryptedCard {
  encrypted: string;
  keyId: string;
  brand: string;
  last4: string;
}

export async function encryptCard(card: CardData, key: { keyId: string; publicKeyJwk: object }): Promise<EncryptedCard> {
  // The JWK's type differs between the DOM's and Node's WebCrypto typings; the object is the same.
  const publicKey = await crypto.subtle.importKey('jwk', key.publicKeyJwk as never, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
  const number = digitsOnly(card.number);
  const plain = new TextEncoder().encode(JSON.stringify({ number, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc, holder: card.holder.trim() }));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, plain));
  let binary = '';
  for (const byte of cipher) binary += String.fromCharCode(byte);
  return { encrypted: btoa(binary), keyId: key.keyId, brand: cardBrand(number), last4: lastFour(number) };
}
