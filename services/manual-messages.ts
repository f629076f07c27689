// A collector sends one of the message templates to the debtor from the account (C3, C8). The
// contact policy is asked first, with the template (a final notice may still go after a cease
// request): a blocked or deferred send is refused with the policy's reason and explanation (X1) so
// the collector knows why and when. Otherwise the template is rendered for the debtor's tone and
// queued on the same pipeline as the strategy's messages (services/messages.ts), once per client
// request: a double click queues one message.
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { contactDecision } from '../domain/contact-rules.ts';
import { daysPastDue, toDateOnly } from '../domain/ageing.ts';
import { formatMinorUnits } from '../domain/money.ts';
import type { Channel } from '../domain/contact-policy.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import { auditedTransaction, type Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { recordFirstContact, validationNoticePending } from './case-compliance.ts';
import { requireAccountInScope } from './account-queries.ts';
import { contactFactsForAccount, contactPolicyForAccount, refuseUnlessAllowed } from './contact-policy.ts';
import { ServiceError } from './errors.ts';
import { queueMessage } from './messages.ts';
import { effectiveTemplate, listEffectiveTemplates, renderEffectiveTemplate } from './templates.ts';

export interface TemplateMessageRequest {
  templateCode: string;
  channel: Channel;
  /** The contact to send to; by default the primary (else first) contact of the channel's kind that has not opted out. */
  contactId?: string | undefined;
  clientRequestId?: string | undefined;
}

const kindOf: Record<Channel, string> = { email: 'email', sms: 'mobile', letter: 'address' };

/** `workflows`: told when this message is the case's first communication about the debt (its validation notice follows, X1). */
export async function sendTemplateMessage(db: Db, queues: MessageQueues, senders: { email: string; sms: string }, principal: Principal, actor: Actor, accountId: string, request: TemplateMessageRequest, options: { workflows?: Pick<CaseWorkflows, 'notifyFactsChanged'>; now?: Date } = {}) {
  const now = options.now ?? new Date();
  await requireAccountInScope(db, principal, accountId);
  const account = await db.account.findUniqueOrThrow({
    where: { id: accountId },
    include: { customer: { include: { contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } }, cases: { where: { status: 'open' }, select: { id: true, workflowId: true } } },
  });
  const contacts = account.customer.contacts;
  const contact = request.contactId ? contacts.find((c) => c.id === request.contactId) : contacts.find((c) => c.kind === kindOf[request.channel] && !c.optedOut);
  if (request.contactId && !contact) throw new ServiceError('not_found', 'no such contact on this account’s customer');
  if (!contact) throw new ServiceError('invalid_state', `the debtor has no ${kindOf[request.channel]} contact to send a ${request.channel} to`);
  if (contact.kind !== kindOf[request.channel]) throw new ServiceError('outcome_invalid', `a ${request.channel} goes to a ${kindOf[request.channel]} contact, not a ${contact.kind}`, [{ path: 'body.contactId', message: `choose a ${kindOf[request.channel]} contact` }]);
  if (contact.optedOut) throw new ServiceError('opted_out', `${contact.value} has opted out of ${request.channel}`);
  if (!(await effectiveTemplate(db, request.templateCode, request.channel, account.customer.type))) throw new ServiceError('not_found', `there is no ${request.channel} template ${request.templateCode}`);

  const [policy, facts] = await Promise.all([contactPolicyForAccount(db, accountId), contactFactsForAccount(db, accountId, now, { debt: true })]);
  refuseUnlessAllowed(contactDecision({ channel: request.channel, template: request.templateCode }, facts, policy, now), request.channel);

  const rendered = await renderEffectiveTemplate(db, request.templateCode, request.channel, account.customer.type, {
    customerName: account.customer.name,
    accountRef: account.externalRef,
    balance: formatMinorUnits(account.balanceMinor, account.currency),
    daysPastDue: daysPastDue(account.oldestDueDate ? toDateOnly(account.oldestDueDate) : null, now, account.customer.timeZone),
  });
  const scope = `${principal.kind}:${principal.id}`;
  const { messageId, created } = await queueMessage(db, queues, actor, {
    idempotencyKey: `manual:${accountId}:${scope}:${request.clientRequestId ?? randomUUID()}`,
    channel: request.channel,
    to: contact.value,
    from: request.channel === 'email' ? senders.email : request.channel === 'sms' ? senders.sms : 'Collections department',
    subject: rendered.subject,
    body: rendered.body,
    accountId,
    caseId: account.cases[0]?.id ?? null,
  });
  const openCase = account.cases[0];
  if (openCase) {
    if (created) await auditedTransaction(db, (tx) => recordFirstContact(tx, actor, { caseId: openCase.id, accountId, at: now, how: `${request.channel} ${request.templateCode} (sent by a collector)` }));
    if (await validationNoticePending(db, openCase.id)) await options.workflows?.notifyFactsChanged(openCase.workflowId);
  }
  return { messageId, created, channel: request.channel, to: contact.value, templateCode: request.templateCode, subject: rendered.subject };
}

/** The templates a collector can send on this account: one per code and channel, in the debtor's tone (else the other tone's). */
export async function templatesForAccount(db: Db, principal: Principal, accountId: string) {
  await requireAccountInScope(db, principal, accountId);
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { type: true } } } });
  const all = await listEffectiveTemplates(db);
  const byKey = new Map<string, (typeof all)[number]>();
  for (const t of all) {
    const key = `${t.code}/${t.channel}`;
    if (!byKey.has(key) || t.tone === account.customer.type) byKey.set(key, t);
  }
  return [...byKey.values()].map((t) => ({ code: t.code, channel: t.channel, subject: t.subject || null }));
}
