// Messages a case sends on its own account: here, the confirmation that it was settled. The
// strategy engine adds reminders and notices through the same path; its text is the effective
// `case_closed` email template (built-in, or an admin's version).
import type { Db } from '../platform/db/client.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { nextAllowedContactTime } from '../domain/contact-policy.ts';
import { systemActor } from './audit.ts';
import { queueMessage } from './messages.ts';
import { renderEffectiveTemplate } from './templates.ts';

export interface Senders {
  email: string;
  sms: string;
  /** The creditor the debts are owed to, as the validation notice names it (COMPANY_NAME). */
  creditorName?: string;
}

export async function sendCaseClosedNotice(db: Db, queues: MessageQueues, senders: Senders, caseId: string): Promise<{ messageId: string | null }> {
  const found = await db.collectionCase.findUniqueOrThrow({
    where: { id: caseId },
    include: { account: { include: { customer: { include: { contacts: { where: { kind: 'email', optedOut: false }, orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } } } } },
  });
  const to = found.account.customer.contacts[0]?.value;
  if (!to) return { messageId: null };
  const paid = formatMinorUnits(found.balanceAtOpen, found.account.currency);
  const rendered = await renderEffectiveTemplate(db, 'case_closed', 'email', found.account.customer.type, { customerName: found.account.customer.name, accountRef: found.account.externalRef, balance: paid, daysPastDue: found.daysPastDueAtOpen });
  const { messageId } = await queueMessage(db, queues, systemActor, {
    idempotencyKey: `case-closed:${caseId}`,
    channel: 'email',
    to,
    from: senders.email,
    subject: rendered.subject,
    body: rendered.body,
    accountId: found.accountId,
    caseId,
    // The case may close at any hour; the email still goes out only within contact hours (X1).
    notBefore: nextAllowedContactTime(new Date(), found.account.customer.timeZone),
  });
  return { messageId };
}
