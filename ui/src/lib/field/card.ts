// Taking a card at the door (F9): checked with the processor's own rules, then encrypted at once
// with the processor's public key (cached with the day, so it works offline). What comes back is all
// the phone ever keeps: the ciphertext, the brand and the last four digits. The number, expiry and
// security code live only in the card form's fields until this returns, and the form clears them.
import { cardDataProblems, type CardData, type CardProblem } from '$domain/cards.ts';
import { encryptCard, type EncryptedCard } from '$domain/card-encryption.ts';
import type { CardProcessorKey } from '../api/field.ts';

export type CardTaken = { ok: true; card: EncryptedCard } | { ok: false; problems: CardProblem[] };

export async function takeCard(card: CardData, key: CardProcessorKey, now = new Date()): Promise<CardTaken> {
  const problems = cardDataProblems(card, now);
  if (problems.length) return { ok: false, problems };
  return { ok: true, card: await encryptCard(card, key) };
}
