// API keys for systems (billing, ERP, CRM): `ak_<prefix>_<secret>`. The prefix finds the row; only
// the secret's hash is stored. Keys carry scopes (permission names) and may be tied to a branch.
import type { Db } from '../../platform/db/client.ts';
import { randomToken, sameSecret, sha256 } from './secrets.ts';

export function newApiKeySecret(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomToken(6).replace(/[-_]/g, 'x');
  const secret = randomToken(32);
  return { key: `ak_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export async function findApiKey(db: Db, presented: string) {
  const match = /^ak_([A-Za-z0-9]+)_([A-Za-z0-9_-]+)$/.exec(presented);
  if (!match) return null;
  const [, prefix, secret] = match;
  const key = await db.apiKey.findUnique({ where: { prefix: prefix! } });
  if (!key || key.revokedAt || !sameSecret(key.secretHash, sha256(secret!))) return null;
  return key;
}
