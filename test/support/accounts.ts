// Accounts written straight into the database for read-model tests (the bucket's summary, the
// never-worked and trace lists, the team board): no billing report, no workflow.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { dueDateForDaysPastDue } from '../../domain/ageing.ts';
import { uniqueCode } from './fixtures.ts';

export interface AccountSpec {
  branchId: string;
  balanceMinor?: number;
  daysPastDue?: number;
  status?: 'current' | 'delinquent' | 'trace' | 'closed' | 'written_off';
  /** The open case's stage; null: no case at all; 'closed': a closed case. */
  caseStage?: 'soft' | 'hard' | 'pre_legal' | 'legal' | 'closed' | null;
  segmentId?: string | null;
  customerType?: 'retail' | 'corporate';
  timeZone?: string;
  currency?: string;
}

export async function createAccount(db: Db, spec: AccountSpec) {
  const ref = uniqueCode('ACC-T');
  const timeZone = spec.timeZone ?? 'America/New_York';
  const balance = BigInt(spec.balanceMinor ?? 10_000);
  const days = spec.daysPastDue ?? 20;
  const customer = await db.customer.create({ data: { externalRef: `CUST-${ref}`, type: spec.customerType ?? 'retail', name: `Debtor ${ref}`, timeZone, branchId: spec.branchId } });
  const account = await db.account.create({
    data: {
      externalRef: ref,
      customerId: customer.id,
      branchId: spec.branchId,
      segmentId: spec.segmentId ?? null,
      currency: spec.currency ?? 'USD',
      status: spec.status ?? (balance > 0n ? 'delinquent' : 'current'),
      balanceMinor: balance,
      oldestDueDate: balance > 0n ? new Date(`${dueDateForDaysPastDue(days, new Date(), timeZone)}T00:00:00Z`) : null,
    },
  });
  const stage = spec.caseStage === undefined ? 'soft' : spec.caseStage;
  if (stage !== null) {
    await db.collectionCase.create({
      data: { accountId: account.id, episode: 1, workflowId: `collection-case/${account.id}/1/${randomUUID()}`, status: stage === 'closed' ? 'closed' : 'open', stage, balanceAtOpen: balance, daysPastDueAtOpen: days },
    });
  }
  return account;
}
