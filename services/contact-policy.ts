// Reads what the contact policy (domain/contact-rules.ts) needs from PostgreSQL: the debtor's
// jurisdiction and segment settings, cease-communication and lawyer flags, opted-out contacts, and
// the account's recent attempts (messages sent, calls logged) and last telephone conversation.
import type { Db, Prisma } from '../platform/db/client.ts';
import { isOptOutReply } from '../domain/contact-policy.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { debtDatesOf } from './balances.ts';
import type { ContactDecision } from '../domain/contact-rules.ts';
import { builtInJurisdictionPolicies, contactChannels, contactDecision, contactPolicyOverridesSchema, conversationOutcomes, resolveContactPolicy, type ContactChannel, type ContactFacts, type ContactPolicy, type ContactPolicyOverrides } from '../domain/contact-rules.ts';

/** How far back attempts are read: longer than any cap's window may be (90 days). */
const historyDays = 90;

/** Which contact kinds reach the debtor on each channel. */
const kindsFor: Record<ContactChannel, readonly string[]> = { call: ['phone', 'mobile'], sms: ['mobile'], email: ['email'], letter: ['address'], visit: ['address'] };

/**
 * Jurisdiction settings change a few times a year and are read for every contact decision, so each
 * process keeps them for a few seconds; a change made here is seen at once (the cache is dropped).
 */
const policyCacheMs = 5_000;
let policyCache: { db: Db; at: number; value: Promise<Record<string, ContactPolicyOverrides>> } | null = null;

export function storedJurisdictionPolicies(db: Db): Promise<Record<string, ContactPolicyOverrides>> {
  if (policyCache && policyCache.db === db && Date.now() - policyCache.at < policyCacheMs) return policyCache.value;
  const value = db.jurisdictionPolicy.findMany().then((rows) => Object.fromEntries(rows.map((r) => [r.jurisdiction, contactPolicyOverridesSchema.parse(r.policy)])));
  value.catch(() => (policyCache = null));
  policyCache = { db, at: Date.now(), value };
  return value;
}

/** The policy in force for an account: built-in defaults, its jurisdiction's settings, its segment's. */
export async function contactPolicyForAccount(db: Db, accountId: string): Promise<ContactPolicy> {
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { jurisdiction: true } }, segment: { select: { contactPolicy: true } } } });
  const segment = account.segment ? contactPolicyOverridesSchema.safeParse(account.segment.contactPolicy) : null;
  return resolveContactPolicy(account.customer.jurisdiction, segment?.success ? segment.data : undefined, await storedJurisdictionPolicies(db));
}

/** `debt`: also read the debt's dates, for a template that may threaten suit (the statute of limitations). */
export async function contactFactsForAccount(db: Db, accountId: string, now = new Date(), options: { debt?: boolean } = {}): Promise<ContactFacts> {
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
    ...(options.debt ? { debt: await debtDatesOf(db, accountId, account.customer.timeZone) } : {}),
    timeZone: account.customer.timeZone,
    ceaseCommunication: account.customer.ceaseCommunicationAt !== null,
    attorneyRepresented: account.customer.attorneyRepresentedAt !== null,
    optedOutChannels,
    attempts: [...messages.map((m) => ({ channel: m.channel as ContactChannel, at: m.createdAt })), ...calls.map((c) => ({ channel: c.kind as ContactChannel, at: c.occurredAt }))],
    lastConversationAt: conversations.length ? new Date(Math.max(...conversations)) : null,
  };
}

/** Stores a jurisdiction's settings (validated), audited with before and after. */
export async function setJurisdictionPolicy(db: Db, actor: Actor, jurisdiction: string, overrides: ContactPolicyOverrides) {
  const policy = contactPolicyOverridesSchema.parse(overrides);
  const saved = await auditedTransaction(db, async (tx) => {
    const before = await tx.jurisdictionPolicy.findUnique({ where: { jurisdiction } });
    const row = await tx.jurisdictionPolicy.upsert({ where: { jurisdiction }, create: { jurisdiction, policy }, update: { policy } });
    await recordAudit(tx, actor, { action: 'contact_policy.saved', entityType: 'jurisdiction_policy', entityId: jurisdiction, before: before?.policy ?? null, after: policy });
    return row;
  });
  policyCache = null;
  return saved;
}

export async function setSegmentContactPolicy(db: Db, actor: Actor, segmentId: string, overrides: ContactPolicyOverrides) {
  const policy = contactPolicyOverridesSchema.parse(overrides);
  return auditedTransaction(db, async (tx) => {
    const before = await tx.segment.findUnique({ where: { id: segmentId }, select: { contactPolicy: true } });
    if (!before) throw new ServiceError('not_found', `no segment ${segmentId}`);
    await tx.segment.update({ where: { id: segmentId }, data: { contactPolicy: policy } });
    await recordAudit(tx, actor, { action: 'segment.contact_policy_changed', entityType: 'segment', entityId: segmentId, before: before.contactPolicy, after: policy });
    return policy;
  });
}

/** Every jurisdiction known (built in or stored), with its effective policy. */
export async function listJurisdictionPolicies(db: Db) {
  const stored = await storedJurisdictionPolicies(db);
  const codes = [...new Set([...Object.keys(builtInJurisdictionPolicies), ...Object.keys(stored)])].sort();
  return codes.map((code) => ({ jurisdiction: code, stored: code in stored, overrides: stored[code] ?? builtInJurisdictionPolicies[code] ?? {}, effective: resolveContactPolicy(code, undefined, stored) }));
}

/** What the policy says now for each channel on this account: allowed, or deferred/blocked with the reason (X1, explained). */
export async function contactStatusForAccount(db: Db, accountId: string, now = new Date()) {
  const [policy, facts] = await Promise.all([contactPolicyForAccount(db, accountId), contactFactsForAccount(db, accountId, now)]);
  return { policy, channels: contactChannels.map((channel) => ({ channel, decision: contactDecision({ channel }, facts, policy, now) })) };
}

export interface ContactRestrictions {
  /** A written request to stop contact (X1): true records it now, false withdraws it. */
  ceaseCommunication?: boolean;
  /** The debtor's lawyer (X1): contact goes to the lawyer; null clears it. */
  attorney?: { details: string } | null;
  /** Channel opt-outs per contact, e.g. after a STOP reply or a phone request. */
  optOuts?: Array<{ contactId: string; optedOut: boolean }>;
}

/** Records what the debtor asked for about contact (W6, X1), audited on the account. */
export async function setContactRestrictions(db: Db, actor: Actor, accountId: string, input: ContactRestrictions) {
  return auditedTransaction(db, async (tx) => {
    const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, include: { customer: { include: { contacts: true } } } });
    const customer = account.customer;
    const before = { ceaseCommunicationAt: customer.ceaseCommunicationAt, attorneyRepresentedAt: customer.attorneyRepresentedAt, attorneyDetails: customer.attorneyDetails, optedOut: customer.contacts.filter((c) => c.optedOut).map((c) => c.id) };
    const data: Prisma.CustomerUpdateInput = {};
    if (input.ceaseCommunication !== undefined) data.ceaseCommunicationAt = input.ceaseCommunication ? (customer.ceaseCommunicationAt ?? new Date()) : null;
    if (input.attorney !== undefined) {
      data.attorneyRepresentedAt = input.attorney ? (customer.attorneyRepresentedAt ?? new Date()) : null;
      data.attorneyDetails = input.attorney?.details ?? null;
    }
    const updated = await tx.customer.update({ where: { id: customer.id }, data });
    for (const change of input.optOuts ?? []) {
      const contact = customer.contacts.find((c) => c.id === change.contactId);
      if (!contact) throw new ServiceError('not_found', `no contact ${change.contactId} on this account's customer`);
      await tx.contact.update({ where: { id: contact.id }, data: { optedOut: change.optedOut } });
    }
    // The queues' cached call hold is looked at again when the account is next a candidate.
    await tx.account.updateMany({ where: { customerId: customer.id }, data: { callHoldUntil: null } });
    const contacts = await tx.contact.findMany({ where: { customerId: customer.id } });
    const after = { ceaseCommunicationAt: updated.ceaseCommunicationAt, attorneyRepresentedAt: updated.attorneyRepresentedAt, attorneyDetails: updated.attorneyDetails, optedOut: contacts.filter((c) => c.optedOut).map((c) => c.id) };
    const lines = [
      input.ceaseCommunication !== undefined && `Cease-communication request ${input.ceaseCommunication ? 'recorded' : 'withdrawn'}`,
      input.attorney !== undefined && (input.attorney ? `Represented by a lawyer: ${input.attorney.details}` : 'No longer represented by a lawyer'),
      ...(input.optOuts ?? []).map((o) => `${customer.contacts.find((c) => c.id === o.contactId)!.value} ${o.optedOut ? 'opted out' : 'opted back in'}`),
    ].filter((l): l is string => Boolean(l));
    if (lines.length) await tx.activity.create({ data: { accountId, userId: actor.type === 'user' ? actor.id : null, kind: 'note', direction: 'inbound', summary: lines.join('; ') } });
    await recordAudit(tx, actor, { action: 'customer.contact_restrictions_changed', entityType: 'customer', entityId: customer.id, accountId, before, after });
    return after;
  });
}

/**
 * An inbound SMS: a STOP reply (or a synonym) opts that number out on every customer who has it
 * (X1: "any STOP reply honoured"), recorded on each account's log and audited. Other texts are logged.
 */
export async function recordInboundSms(db: Db, actor: Actor, input: { from: string; body: string; providerMessageId: string }) {
  const optOut = isOptOutReply(input.body);
  const contacts = await db.contact.findMany({ where: { value: input.from, kind: { in: ['mobile', 'phone'] } }, include: { customer: { include: { accounts: { select: { id: true } } } } } });
  await auditedTransaction(db, async (tx) => {
    if (await tx.message.findUnique({ where: { idempotencyKey: `inbound:${input.providerMessageId}` } })) return;
    const accountId = contacts[0]?.customer.accounts[0]?.id ?? null;
    await tx.message.create({ data: { idempotencyKey: `inbound:${input.providerMessageId}`, channel: 'sms', direction: 'inbound', toAddress: 'collections', fromAddress: input.from, body: input.body, status: 'delivered', accountId } });
    for (const contact of contacts) {
      if (optOut && !contact.optedOut) await tx.contact.update({ where: { id: contact.id }, data: { optedOut: true } });
      for (const account of contact.customer.accounts) {
        await tx.activity.create({ data: { accountId: account.id, kind: 'sms', direction: 'inbound', outcome: optOut ? 'opted_out' : null, summary: optOut ? `STOP received from ${input.from}: SMS to this number stopped` : `SMS from ${input.from}: ${input.body.slice(0, 300)}` } });
        if (optOut) await recordAudit(tx, actor, { action: 'contact.opted_out', entityType: 'contact', entityId: contact.id, accountId: account.id, before: { optedOut: contact.optedOut }, after: { optedOut: true, via: 'sms_reply' } });
      }
    }
  });
  return { optOut, contactsMatched: contacts.length };
}

/** Channels with at least one contact that has not opted out (strategy guards `requiresChannel`). */
export async function reachableChannelsOf(db: Db, accountId: string): Promise<ContactChannel[]> {
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { contacts: { select: { kind: true, optedOut: true } } } } } });
  return contactChannels.filter((channel) => account.customer.contacts.some((c) => kindsFor[channel].includes(c.kind) && !c.optedOut));
}

/**
 * Refuses a contact the policy does not allow now (X1: deferred or blocked, and explained): the
 * problem's code is the policy's reason, its detail the explanation, and `contactPolicy` carries
 * both with the moment contact is allowed again (for a deferral).
 */
export function refuseUnlessAllowed(decision: ContactDecision, channel: string): void {
  if (decision.kind === 'allowed') return;
  const until = decision.kind === 'deferred' ? decision.until.toISOString() : null;
  const detail = until ? `${decision.explanation}. The policy allows the next ${channel} from ${until}.` : decision.explanation;
  throw new ServiceError(decision.reason, detail, undefined, { contactPolicy: { decision: decision.kind, reason: decision.reason, explanation: decision.explanation, channel, until } });
}
