// Small builders for test data: a branch, users with known passwords, an API key.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { hashPassword } from '../../api/auth/secrets.ts';
import { newApiKeySecret } from '../../api/auth/api-keys.ts';
import type { Role } from '../../domain/access.ts';

export const testPassword = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export const uniqueCode = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`;

export async function createBranch(db: Db, code = uniqueCode('B'), timeZone = 'America/New_York') {
  return db.branch.create({ data: { code, name: `${code} CSC`, timeZone } });
}

export async function createUser(db: Db, role: Role, branchId: string | null = null) {
  passwordHash ??= hashPassword(testPassword);
  const email = `${role}.${randomBytes(4).toString('hex')}@test.example`;
  return db.user.create({ data: { email, name: `Test ${role}`, role, branchId, passwordHash: await passwordHash } });
}

export async function createApiKey(db: Db, scopes: string[], branchId: string | null = null) {
  const secret = newApiKeySecret();
  await db.apiKey.create({ data: { name: `test ${scopes.join(',')}`, prefix: secret.prefix, secretHash: secret.secretHash, scopes, branchId } });
  return secret.key;
}

export function delinquencyReport(branchCode: string, options: { accountRef?: string; amountMinor?: number; dueDate?: string; timeZone?: string } = {}) {
  const ref = options.accountRef ?? uniqueCode('ACC-');
  return {
    customer: { externalRef: `CUST-${ref}`, name: 'Jane Doe', type: 'retail', timeZone: options.timeZone ?? 'America/New_York', branchCode, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net`, isPrimary: true }] },
    account: { externalRef: ref, currency: 'USD' },
    invoices: [{ externalRef: `INV-${ref}-1`, issuedAt: '2026-09-20', dueDate: options.dueDate ?? '2026-10-05', amountMinor: options.amountMinor ?? 12550, openMinor: options.amountMinor ?? 12550 }],
  };
}
