// A card processor's sandbox, served locally: the embedded default for `./arrears start` (mounted at
// /sandbox/card-processor) and the processor the tests charge through. It behaves as a processor's
// API does and checks what a real one would: a secret key, an Idempotency-Key on every charge (a
// repeat with the same key returns the first answer and charges nothing; the same key with another
// request is refused), amounts as integers in minor units, and card data it alone can decrypt.
// Test cards (any future expiry, any CVC): 4242 4242 4242 4242 is approved; 4000 0000 0000 0002 is
// declined (card_declined); 4000 0000 0000 9995 has insufficient funds; 4000 0000 0000 0069 is expired.
import express, { Router, type Request, type Response } from 'express';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, randomBytes, constants, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PublicJwk } from './jwk.ts';
import { cardBrand, cardDataProblems, lastFour, type CardData } from '../../domain/cards.ts';

export interface SandboxCharge {
  id: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  reference: string;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  brand: string;
  last4: string;
}

export interface SandboxProcessor {
  router: Router;
  /** Every charge it made (one per idempotency key). */
  charges: SandboxCharge[];
  /** Requests it refused, with the reason (for tests). */
  refusals: Array<{ path: string; status: number; message: string }>;
}

const declines: Record<string, { code: string; message: string }> = {
  '4000000000000002': { code: 'card_declined', message: 'The card was declined.' },
  '4000000000009995': { code: 'insufficient_funds', message: 'The card has insufficient funds.' },
  '4000000000000069': { code: 'expired_card', message: 'The card has expired.' },
};

/** The sandbox's RSA key, kept in a file so that cards encrypted before a restart still decrypt. */
export function loadOrCreateSandboxKey(file: string): KeyObject {
  if (existsSync(file)) return createPrivateKey(readFileSync(file, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return privateKey;
}

export function createSandboxProcessor(options: { secretKey: string; privateKey: KeyObject; now?: () => Date }): SandboxProcessor {
  const now = options.now ?? (() => new Date());
  const publicJwk = createPublicKey(options.privateKey).export({ format: 'jwk' }) as PublicJwk;
  const keyId = `sbx_${createHash('sha256').update(JSON.stringify(publicJwk)).digest('hex').slice(0, 16)}`;
  const charges: SandboxCharge[] = [];
  const refusals: SandboxProcessor['refusals'] = [];
  const byKey = new Map<string, { requestHash: string; status: number; body: unknown }>();
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const refuse = (req: Request, res: Response, status: number, type: string, message: string, param?: string) => {
    refusals.push({ path: req.path, status, message });
    res.status(status).json({ error: { type, message, ...(param ? { param } : {}) } });
  };
  const authorised = (req: Request, res: Response) => {
    if (req.headers.authorization !== `Bearer ${options.secretKey}`) {
      refuse(req, res, 401, 'authentication_error', 'Invalid API key provided.');
      return false;
    }
    return true;
  };

  router.get('/v1/client-key', (req, res) => {
    if (!authorised(req, res)) return;
    res.json({ key_id: keyId, algorithm: 'RSA-OAEP-256', public_key_jwk: publicJwk });
  });

  router.post('/v1/charges', (req, res) => {
    if (!authorised(req, res)) return;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 255) return refuse(req, res, 400, 'invalid_request_error', 'An Idempotency-Key header is required on charges.');
    const body = req.body as Record<string, unknown>;
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const seen = byKey.get(key);
    if (seen) {
      if (seen.requestHash !== requestHash) return refuse(req, res, 400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
      res.setHeader('Idempotent-Replayed', 'true');
      return res.status(seen.status).json(seen.body);
    }
    if (!Number.isSafeInteger(body.amount) || (body.amount as number) <= 0) return refuse(req, res, 400, 'invalid_request_error', 'Amount must be a positive integer in the smallest currency unit.', 'amount');
    if (typeof body.currency !== 'string' || !/^[a-z]{3}$/.test(body.currency)) return refuse(req, res, 400, 'invalid_request_error', 'Currency must be a three-letter ISO code in lower case.', 'currency');
    if (body.key_id !== keyId) return refuse(req, res, 400, 'invalid_request_error', 'The card was encrypted with an unknown key.', 'key_id');
    if (typeof body.reference !== 'string' || !body.reference) return refuse(req, res, 400, 'invalid_request_error', 'A reference is required.', 'reference');
    let card: CardData;
    try {
      const plain = privateDecrypt({ key: options.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(String(body.encrypted_card ?? ''), 'base64'));
      card = JSON.parse(plain.toString('utf8')) as CardData;
    } catch {
      return refuse(req, res, 400, 'invalid_request_error', 'The encrypted card could not be decrypted.', 'encrypted_card');
    }
    const problems = cardDataProblems({ number: String(card.number ?? ''), expMonth: Number(card.expMonth), expYear: Number(card.expYear), cvc: String(card.cvc ?? ''), holder: String(card.holder ?? '') }, now());
    const number = String(card.number ?? '').replace(/[\s-]/g, '');
    const decline = problems.length ? { code: problems[0]!.field === 'number' ? 'incorrect_number' : problems[0]!.field === 'expYear' ? 'expired_card' : 'invalid_card', message: problems[0]!.message } : declines[number];
    const charge: SandboxCharge = {
      id: `ch_${randomBytes(12).toString('hex')}`,
      idempotencyKey: key,
      amount: body.amount as number,
      currency: body.currency,
      reference: body.reference,
      status: decline ? 'failed' : 'succeeded',
      failureCode: decline?.code ?? null,
      brand: cardBrand(number),
      last4: lastFour(number),
    };
    charges.push(charge);
    const answer = { id: charge.id, object: 'charge', amount: charge.amount, currency: charge.currency, status: charge.status, card: { brand: charge.brand, last4: charge.last4 }, ...(decline ? { failure_code: decline.code, failure_message: decline.message } : {}), created: Math.floor(now().getTime() / 1000) };
    byKey.set(key, { requestHash, status: 200, body: answer });
    res.json(answer);
  });

  router.get('/v1/charges/:id', (req, res) => {
    if (!authorised(req, res)) return;
    const charge = charges.find((c) => c.id === req.params.id);
    if (!charge) return refuse(req, res, 404, 'invalid_request_error', `No such charge: '${req.params.id}'`);
    res.json({ id: charge.id, object: 'charge', amount: charge.amount, currency: charge.currency, status: charge.status, card: { brand: charge.brand, last4: charge.last4 } });
  });
  return { router, charges, refusals };
}
