// Sends a case's validation notice (Reg F §1006.34, X1) and records it: by email, or by letter when
// the debtor has no email, rendered from the `validation_notice` template with the amount, the
// itemization date, the creditor and the last day of the validation period. Idempotent per case: a
// retried activity queues one message and records the notice once. The case workflow calls it when
// the first communication about the debt has gone out (domain/validation-notice.ts).
import type { Db, Prisma } from '../platform/db/client.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import { daysPastDue, localDate, toDateOnly } from '../domain/ageing.ts';
import { contactDecision } from '../domain/contact-rules.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { validationNoticeChannel, validationNoticeTemplate, validationPeriodEndsOn } from '../domain/validation-notice.ts';
import type { CaseCompliance } from '../domain/case-compliance.ts';
import { auditedTransaction, recordAudit, systemActor } from './audit.ts';
import { caseComplianceOf } from './case-compliance.ts';
import type { Senders } from './case-notices.ts';
import { contactFactsForAccount, contactPolicyForAccount } from './contact-policy.ts';
import { queueMessage } from './messages.ts';
import { renderEffectiveTemplate } from './templates.ts';

export type ValidationNoticeResult = { status: 'sent' | 'already_sent' | 'not_required' | 'no_address' | 'blocked'; compliance: CaseCompliance };

/** "December 3, 2026": how the notice states its dates. */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
}

export async function sendValidationNotice(db: Db, queues: MessageQueues, senders: Senders, input: { caseId: string; at: string }): Promise<ValidationNoticeResult> {
  const at = new Date(input.at);
  const found = await db.collectionCase.findUniqueOrThrow({
    where: { id: input.caseId },
    include: { account: { include: { customer: { include: { contacts: { where: { optedOut: false }, orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } } } } },
  });
  const answer = async (status: ValidationNoticeResult['status']) => ({ status, compliance: await caseComplianceOf(db, input.caseId) });
  if (found.validationNoticeSentAt) return answer('already_sent');
  const { account } = found;
  const { customer } = account;
  const policy = await contactPolicyForAccount(db, account.id);
  if (!policy.validationNotice) return answer('not_required');

  const email = customer.contacts.find((c) => c.kind === 'email');
  const address = customer.contacts.find((c) => c.kind === 'address');
  const channel = validationNoticeChannel({ email: email !== undefined, letter: address !== undefined });
  if (!channel) {
    await noteOnce(db, found, 'unsent', 'Validation notice not sent: no email or postal address on file. Credit reporting and legal referral wait for it; add a contact to send it.', { reason: 'no_address' });
    return answer('no_address');
  }
  const decision = contactDecision({ channel, template: validationNoticeTemplate }, await contactFactsForAccount(db, account.id, at), policy, at);
  if (decision.kind === 'blocked') {
    await noteOnce(db, found, 'blocked', `Validation notice not sent: ${decision.explanation}`, { reason: decision.reason });
    return answer('blocked');
  }
  // Queued now; delivered when contact hours allow (the email's send time counts, X1).
  const sentAt = decision.kind === 'deferred' ? decision.until : at;
  const periodEndsOn = validationPeriodEndsOn(localDate(sentAt, customer.timeZone), policy.validationNotice, customer.jurisdiction);
  const rendered = await renderEffectiveTemplate(db, validationNoticeTemplate, channel, customer.type, {
    customerName: customer.name,
    accountRef: account.externalRef,
    balance: formatMinorUnits(account.balanceMinor, account.currency),
    daysPastDue: daysPastDue(account.oldestDueDate ? toDateOnly(account.oldestDueDate) : null, at, customer.timeZone),
    ...(await validationNoticeVariables(db, found, senders, periodEndsOn)),
  });
  const contact = channel === 'email' ? email! : address!;
  const { messageId } = await queueMessage(db, queues, systemActor, {
    idempotencyKey: `validation-notice:${found.id}`,
    channel,
    to: contact.value,
    from: channel === 'email' ? senders.email : 'Collections department',
    subject: rendered.subject,
    body: rendered.body,
    accountId: account.id,
    caseId: found.id,
    notBefore: decision.kind === 'deferred' ? decision.until : null,
  });
  await recordValidationNotice(db, { caseId: found.id, accountId: account.id, channel, sentAt, periodEndsOn, messageId });
  return answer('sent');
}

/**
 * Records that the case's validation notice went out (once): when, how, and the validation period's
 * last day; a line in the contact log and an audit entry. Also used when a strategy step sent the
 * notice itself as the first communication.
 */
export async function recordValidationNotice(db: Db, notice: { caseId: string; accountId: string; channel: 'email' | 'letter'; sentAt: Date; periodEndsOn: string; messageId: string }): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const { count } = await tx.collectionCase.updateMany({
      where: { id: notice.caseId, validationNoticeSentAt: null },
      data: { validationNoticeSentAt: notice.sentAt, validationNoticeChannel: notice.channel, validationPeriodEndsOn: new Date(`${notice.periodEndsOn}T00:00:00Z`) },
    });
    if (count === 0) return;
    await tx.activity.create({ data: { accountId: notice.accountId, caseId: notice.caseId, kind: notice.channel, summary: `Validation notice sent by ${notice.channel}: the debtor may dispute the debt until ${notice.periodEndsOn}` } });
    await recordAudit(tx, systemActor, { action: 'validation_notice.sent', entityType: 'collection_case', entityId: notice.caseId, accountId: notice.accountId, after: { channel: notice.channel, sentAt: notice.sentAt, validationPeriodEndsOn: notice.periodEndsOn, messageId: notice.messageId } });
  });
}

/** What a validation notice states beyond a reminder: the creditor, the itemization date, the validation period's last day. */
export async function validationNoticeVariables(db: Db, found: { accountId: string; openedAt: Date; account: { customer: { timeZone: string } } }, senders: Senders, periodEndsOn: string | null) {
  // The itemization date: the last statement (the newest invoice still owed) before collection (§1006.34(b)(3)).
  const owed = await db.invoice.findFirst({ where: { accountId: found.accountId, status: { in: ['open', 'disputed'] }, openMinor: { gt: 0n } }, orderBy: { issuedAt: 'desc' }, select: { issuedAt: true } });
  return {
    creditorName: senders.creditorName ?? 'your service provider',
    itemizationDate: longDate(owed ? toDateOnly(owed.issuedAt) : localDate(found.openedAt, found.account.customer.timeZone)),
    ...(periodEndsOn ? { validationPeriodEnds: longDate(periodEndsOn) } : {}),
  };
}

/** The validation period's last day for a notice sent at `sentAt` to this account's debtor, or null where no notice is required. */
export async function validationPeriodFor(db: Db, accountId: string, sentAt: Date): Promise<string | null> {
  const [policy, account] = await Promise.all([contactPolicyForAccount(db, accountId), db.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { timeZone: true, jurisdiction: true } } } })]);
  return policy.validationNotice ? validationPeriodEndsOn(localDate(sentAt, account.customer.timeZone), policy.validationNotice, account.customer.jurisdiction) : null;
}

async function noteOnce(db: Db, found: { id: string; accountId: string }, what: string, summary: string, after: Prisma.InputJsonObject): Promise<void> {
  const key = `validation-notice:${found.id}:${what}`;
  await auditedTransaction(db, async (tx) => {
    if ((await tx.activity.count({ where: { caseId: found.id, kind: 'note', outcome: key } })) > 0) return;
    await tx.activity.create({ data: { accountId: found.accountId, caseId: found.id, kind: 'note', summary, outcome: key } });
    await recordAudit(tx, systemActor, { action: 'validation_notice.not_sent', entityType: 'collection_case', entityId: found.id, accountId: found.accountId, after });
  });
}
