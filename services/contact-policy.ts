// Reads what the contact policy (domain/contact-rules.ts) needs from PostgreSQL: the debtor's
// jurisdiction and segment settings, cease-communication and lawyer flags, opted-out contacts, and
// the account's recent attempts (messages sent, calls logged) and last telephone conversation.
import type { Db } from '../platform/db/client.ts';
import { contactChannels, contactPolicyOverridesSchema, conversationOutcomes, resolveContactPolicy, type ContactChannel, type ContactFacts, type ContactPolicy, type ContactPolicyOverrides } from '../domain/contact-rules.ts';

/** How far back attempts are read: longer than any cap's window may be (90 days). */
const historyDays = 90;

/** Which contact kinds reach the debtor on each channel. */
const kindsFor: Record<ContactChannel, readonly string[]> = { call: ['phone', 'mobile'], sms: ['mobile'], email: ['email'], letter: ['address'], visit: ['address'] };

export async function storedJurisdictionPolicies(db: Db): Promise<Record<string, ContactPolicyOverrides>> {
  const rows = await db.jurisdictionPolicy.findMany();
  return Object.fromEntries(rows.map((r) => [r.jurisdiction, contactPolicyOverridesSchema.parse(r.policy)]));
}

/** The policy in force for an account: built-in defaults, its jurisdiction's settings, its segment's. */
export async function contactPolicyForAccount(db: Db, accountId: string): Promise<ContactPolicy> {
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { jurisdiction: true } }, segment: { select: { contactPolicy: true } } } });
  const segment = account.segment ? contactPolicyOverridesSchema.safeParse(account.segment.contactPolicy) : null;
  return resolveContactPolicy(account.customer.jurisdiction, segment?.success ? segment.data : undefined, await storedJurisdictionPolicies(db));
}

export async function contactFactsForAccount(db: Db, accountId: string, now = new Date()): Promise<ContactFacts> {
  const since = new Date(now.getTime() - historyDays * 86_400_000);
  const account = await db.account.findUniqueOrThrow({
    where: { id: accountId },
    select: { customer: { select: { timeZone: true, ceaseCommunicationAt: true, attorneyRepresentedAt: true, contacts: { select: { kind: true, optedOut: true } } } } },
  });
  const [messages, calls] = await Promise.all([
    db.message.findMany({ where: { accountId, direction: 'outbound', createdAt: { gte: since }, status: { notIn: ['failed', 'dead'] } }, select: { channel: true, createdAt: true } }),
    db.activity.findMany({ where: { accountId, kind: { in: ['call', 'visit'] }, direction: 'outbound', occurredAt: { gte: since } }, select: { kind: true, outcome: true, occurredAt: true } }),
  ]);
  const contacts = account.customer.contacts;
  // A channel with no contact at all is not an opt-out: a call task still goes to a collector, who may trace a number.
  const optedOutChannels = contactChannels.filter((channel) => {
    const onChannel = contacts.filter((c) => kindsFor[channel].includes(c.kind));
    return onChannel.length > 0 && onChannel.every((c) => c.optedOut);
  });
  const conversations = calls.filter((c) => c.kind === 'call' && (conversationOutcomes as readonly string[]).includes(c.outcome ?? '')).map((c) => c.occurredAt.getTime());
  return {
    timeZone: account.customer.timeZone,
    ceaseCommunication: account.customer.ceaseCommunicationAt !== null,
    attorneyRepresented: account.customer.attorneyRepresentedAt !== null,
    optedOutChannels,
    attempts: [...messages.map((m) => ({ channel: m.channel as ContactChannel, at: m.createdAt })), ...calls.map((c) => ({ channel: c.kind as ContactChannel, at: c.occurredAt }))],
    lastConversationAt: conversations.length ? new Date(Math.max(...conversations)) : null,
  };
}
