// Small builders for test data: a branch, users with known passwords, an API key.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { hashPassword } from '../../api/auth/secrets.ts';
import { newApiKeySecret } from '../../api/auth/api-keys.ts';
import type { Role } from '../../domain/access.ts';
import { refreshAccountBalance } from '../../services/balances.ts';
import { daytimeZone } from './time-zones.ts';

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

/**
 * An account in arrears with an open case, written straight to the database (no workflow): for
 * tests of the read side and of serving, where the case's process is not under test.
 */
export async function createAccountInArrears(db: Db, options: { branchId: string; balanceMinor?: number; daysPastDue?: number; timeZone?: string; name?: string; segmentId?: string; stage?: 'soft' | 'hard' | 'pre_legal' | 'legal' }) {
  const ref = uniqueCode('ACC-');
  const timeZone = options.timeZone ?? daytimeZone();
  const balance = BigInt(options.balanceMinor ?? 10_000);
  const due = new Date(Date.now() - (options.daysPastDue ?? 30) * 86_400_000);
  const dueDate = new Date(`${due.toISOString().slice(0, 10)}T00:00:00Z`);
  const customer = await db.customer.create({ data: { externalRef: `CUST-${ref}`, type: 'retail', name: options.name ?? `Debtor ${ref}`, timeZone, branchId: options.branchId, contacts: { create: [{ kind: 'mobile', value: `+1555${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`, isPrimary: true }] } } });
  const account = await db.account.create({ data: { externalRef: ref, customerId: customer.id, branchId: options.branchId, segmentId: options.segmentId ?? null, currency: 'USD', status: 'delinquent', balanceMinor: balance, oldestDueDate: dueDate } });
  await db.invoice.create({ data: { accountId: account.id, externalRef: `INV-${ref}`, issuedAt: new Date(dueDate.getTime() - 20 * 86_400_000), dueDate, amountMinor: balance, openMinor: balance } });
  await db.$transaction((tx) => refreshAccountBalance(tx, account.id));
  const collectionCase = await db.collectionCase.create({ data: { accountId: account.id, episode: 1, workflowId: `test-case/${account.id}`, status: 'open', stage: options.stage ?? 'soft', balanceAtOpen: balance, daysPastDueAtOpen: options.daysPastDue ?? 30 } });
  return { ...account, ref, caseId: collectionCase.id, customerId: customer.id };
}
