// What X1's debt-level rules need to know about one case, read from PostgreSQL: when the debtor was
// first communicated with, the validation notice and its period, the debt's dates for the statute of
// limitations, and what is disputed. The rules themselves are pure (domain/validation-notice.ts,
// domain/limitation.ts, domain/collection-gates.ts); this module only gathers their facts.
import type { Db, Prisma } from '../platform/db/client.ts';
import { localDate, toDateOnly } from '../domain/ageing.ts';
import type { GateFacts } from '../domain/collection-gates.ts';
import { timeBarredOn } from '../domain/limitation.ts';
import { complianceView, type CaseCompliance, type CaseComplianceView } from '../domain/case-compliance.ts';
import { debtDatesOf, disputedAmount } from './balances.ts';
import { contactPolicyForAccount } from './contact-policy.ts';
import { recordAudit, type Actor } from './audit.ts';

const caseSelect = {
  id: true,
  accountId: true,
  firstContactAt: true,
  validationNoticeSentAt: true,
  validationNoticeChannel: true,
  validationPeriodEndsOn: true,
  account: { select: { customer: { select: { timeZone: true, jurisdiction: true } } } },
} as const;

/** The case's compliance facts as the workflow carries them and getCase shows them. */
export async function caseComplianceOf(db: Db, caseId: string): Promise<CaseCompliance> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, select: caseSelect });
  const [policy, debt] = await Promise.all([contactPolicyForAccount(db, found.accountId), debtDatesOf(db, found.accountId, found.account.customer.timeZone)]);
  return {
    firstContactAt: found.firstContactAt?.toISOString() ?? null,
    validationNoticeRequired: policy.validationNotice !== null,
    validationNotice:
      found.validationNoticeSentAt && found.validationPeriodEndsOn
        ? { sentAt: found.validationNoticeSentAt.toISOString(), channel: found.validationNoticeChannel === 'letter' ? 'letter' : 'email', periodEndsOn: toDateOnly(found.validationPeriodEndsOn) }
        : null,
    timeBarredOn: timeBarredOn(debt, policy.limitation),
  };
}

/** The case's compliance facts as people read them, on the debtor's today. */
export async function caseComplianceViewOf(db: Db, caseId: string, now = new Date()): Promise<CaseComplianceView> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, select: { account: { select: { customer: { select: { timeZone: true } } } } } });
  return complianceView(await caseComplianceOf(db, caseId), localDate(now, found.account.customer.timeZone));
}

/** What the credit-reporting and legal-referral gates decide on (domain/collection-gates.ts). */
export async function gateFactsOf(db: Db, caseId: string, now: Date): Promise<{ facts: GateFacts; creditReportingWaitDays: number }> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, select: caseSelect });
  const timeZone = found.account.customer.timeZone;
  const [policy, debt, disputedMinor] = await Promise.all([contactPolicyForAccount(db, found.accountId), debtDatesOf(db, found.accountId, timeZone), disputedAmount(db, found.accountId)]);
  return {
    facts: {
      timeZone,
      today: localDate(now, timeZone),
      firstContactAt: found.firstContactAt,
      validationNoticeRequired: policy.validationNotice !== null,
      validationPeriodEndsOn: found.validationPeriodEndsOn ? toDateOnly(found.validationPeriodEndsOn) : null,
      disputedMinor,
      timeBarredOn: timeBarredOn(debt, policy.limitation),
    },
    creditReportingWaitDays: policy.creditReportingWaitDays,
  };
}

/**
 * Records the first communication with the debtor on the case (and on the account, if it is the
 * account's first ever), audited. Later communications change nothing; says whether this one was the
 * first. Run it inside an audited transaction.
 */
export async function recordFirstContact(tx: Prisma.TransactionClient, actor: Actor, contact: { caseId: string; accountId: string; at: Date; how: string }): Promise<boolean> {
  const { count } = await tx.collectionCase.updateMany({ where: { id: contact.caseId, firstContactAt: null }, data: { firstContactAt: contact.at } });
  await tx.account.updateMany({ where: { id: contact.accountId, firstContactAt: null }, data: { firstContactAt: contact.at } });
  if (count > 0) await recordAudit(tx, actor, { action: 'case.first_contact', entityType: 'collection_case', entityId: contact.caseId, accountId: contact.accountId, before: { firstContactAt: null }, after: { firstContactAt: contact.at, how: contact.how } });
  return count > 0;
}

/**
 * Whether the case has communicated with the debtor but sent no validation notice yet: the API then
 * tells the case its facts changed (after the first communication, and again after any later one, so
 * that a lost signal is made good by the next contact).
 */
export async function validationNoticePending(db: Db, caseId: string): Promise<boolean> {
  const found = await db.collectionCase.findUnique({ where: { id: caseId }, select: { accountId: true, status: true, firstContactAt: true, validationNoticeSentAt: true } });
  if (!found || found.status !== 'open' || found.firstContactAt === null || found.validationNoticeSentAt !== null) return false;
  return (await contactPolicyForAccount(db, found.accountId)).validationNotice !== null;
}
