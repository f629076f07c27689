// A debtor's contact details, edited by the collector from the account (W6): each change is checked
// (domain/contact-details.ts), audited with before and after, and logged on the account's contact
// log. Contacts belong to the customer, so a change shows on every account of that customer; it is
// audited on the account it was made from. One primary contact per kind: making one primary demotes
// the others of its kind (strategy steps send to the primary first).
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { normaliseContactValue, type ContactKind } from '../domain/contact-details.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { requireAccountInScope } from './account-queries.ts';
import { ServiceError } from './errors.ts';

export interface NewContact {
  kind: ContactKind;
  value: string;
  label?: string | undefined;
  isPrimary?: boolean | undefined;
}

export interface ContactChange {
  value?: string | undefined;
  label?: string | undefined;
  isPrimary?: boolean | undefined;
  optedOut?: boolean | undefined;
}

/** The contact log marks contact edits with this outcome; the timeline shows them from the audit trail instead. */
export const contactEditOutcome = 'contact_changed';

type Contact = Prisma.ContactGetPayload<object>;
const snapshot = (c: Contact) => ({ kind: c.kind, value: c.value, label: c.label, isPrimary: c.isPrimary, optedOut: c.optedOut });

async function customerOf(tx: Prisma.TransactionClient, accountId: string) {
  const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { customer: { select: { id: true, jurisdiction: true, contacts: true } } } });
  return account.customer;
}

function validValue(kind: ContactKind, raw: string, jurisdiction: string): string {
  const checked = normaliseContactValue(kind, raw, jurisdiction);
  if (!checked.ok) throw new ServiceError('contact_invalid', checked.message, [{ path: 'body.value', message: checked.message }]);
  return checked.value;
}

function refuseDuplicate(contacts: Contact[], kind: ContactKind, value: string, exceptId?: string) {
  if (contacts.some((c) => c.kind === kind && c.value === value && c.id !== exceptId)) throw new ServiceError('contact_exists', `${value} is already one of this customer's ${kind} contacts`);
}

async function logChange(tx: Prisma.TransactionClient, actor: Actor, accountId: string, action: string, contactId: string, before: object | null, after: object | null, summary: string) {
  await tx.activity.create({ data: { accountId, userId: actor.type === 'user' ? actor.id : null, kind: 'note', outcome: contactEditOutcome, summary } });
  await recordAudit(tx, actor, { action, entityType: 'contact', entityId: contactId, accountId, before, after });
}

export async function addContact(db: Db, principal: Principal, actor: Actor, accountId: string, input: NewContact) {
  await requireAccountInScope(db, principal, accountId);
  return auditedTransaction(db, async (tx) => {
    const customer = await customerOf(tx, accountId);
    const value = validValue(input.kind, input.value, customer.jurisdiction);
    refuseDuplicate(customer.contacts, input.kind, value);
    if (input.isPrimary) await tx.contact.updateMany({ where: { customerId: customer.id, kind: input.kind, isPrimary: true }, data: { isPrimary: false } });
    const created = await tx.contact.create({ data: { customerId: customer.id, kind: input.kind, value, label: input.label?.trim() ?? '', isPrimary: input.isPrimary ?? false } });
    await logChange(tx, actor, accountId, 'contact.added', created.id, null, snapshot(created), `Contact added: ${input.kind} ${value}${created.label ? ` (${created.label})` : ''}`);
    return created;
  });
}

export async function updateContact(db: Db, principal: Principal, actor: Actor, accountId: string, contactId: string, change: ContactChange) {
  await requireAccountInScope(db, principal, accountId);
  return auditedTransaction(db, async (tx) => {
    const customer = await customerOf(tx, accountId);
    const before = customer.contacts.find((c) => c.id === contactId);
    if (!before) throw new ServiceError('not_found', 'no such contact on this account’s customer');
    const data: Prisma.ContactUpdateInput = {};
    if (change.value !== undefined) {
      data.value = validValue(before.kind, change.value, customer.jurisdiction);
      refuseDuplicate(customer.contacts, before.kind, data.value, contactId);
    }
    if (change.label !== undefined) data.label = change.label.trim();
    if (change.optedOut !== undefined) data.optedOut = change.optedOut;
    if (change.isPrimary !== undefined) {
      data.isPrimary = change.isPrimary;
      if (change.isPrimary) await tx.contact.updateMany({ where: { customerId: customer.id, kind: before.kind, isPrimary: true, id: { not: contactId } }, data: { isPrimary: false } });
    }
    const after = await tx.contact.update({ where: { id: contactId }, data });
    const changed = (Object.keys(snapshot(before)) as Array<keyof ReturnType<typeof snapshot>>).filter((k) => snapshot(before)[k] !== snapshot(after)[k]);
    if (changed.length === 0) return after; // nothing changed: nothing to audit
    const words = changed.map((k) => (k === 'value' ? `${before.value} → ${after.value}` : k === 'label' ? `label "${after.label}"` : k === 'isPrimary' ? (after.isPrimary ? 'now primary' : 'no longer primary') : after.optedOut ? 'opted out' : 'opted back in'));
    await logChange(tx, actor, accountId, 'contact.updated', contactId, snapshot(before), snapshot(after), `Contact changed: ${before.kind} ${after.value}: ${words.join(', ')}`);
    return after;
  });
}

export async function removeContact(db: Db, principal: Principal, actor: Actor, accountId: string, contactId: string) {
  await requireAccountInScope(db, principal, accountId);
  await auditedTransaction(db, async (tx) => {
    const customer = await customerOf(tx, accountId);
    const before = customer.contacts.find((c) => c.id === contactId);
    if (!before) throw new ServiceError('not_found', 'no such contact on this account’s customer');
    await tx.contact.delete({ where: { id: contactId } });
    await logChange(tx, actor, accountId, 'contact.removed', contactId, snapshot(before), null, `Contact removed: ${before.kind} ${before.value}`);
  });
}
