// What a field rep's phone downloads (F4, F5): today's routes with every stop's account, enough to
// work the whole day with no connection — balances, open invoices, recent payments, open promise,
// contacts, address — plus the card processor's public key for taking cards offline. The same
// account card answers the live back-office look-up when the phone is online.
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { daysPastDue, localDate, toDateOnly } from '../domain/ageing.ts';
import { visitRestriction } from '../domain/field-visits.ts';
import type { CardClientConfig, CardProcessor } from '../platform/payments/card-processor.ts';
import { ServiceError } from './errors.ts';
import { canonicalJson } from './audit.ts';
import { createHash } from 'node:crypto';

const accountCardSelect = {
  id: true,
  externalRef: true,
  branchId: true,
  currency: true,
  balanceMinor: true,
  creditMinor: true,
  oldestDueDate: true,
  serviceStatus: true,
  status: true,
  serviceAddress: true,
  postalCode: true,
  latitude: true,
  longitude: true,
  corp: true,
  customer: { select: { name: true, type: true, timeZone: true, ceaseCommunicationAt: true, attorneyRepresentedAt: true, contacts: { where: { optedOut: false }, select: { kind: true, value: true, label: true, isPrimary: true } } } },
  invoices: { where: { status: 'open' }, orderBy: { dueDate: 'asc' }, take: 12, select: { externalRef: true, dueDate: true, openMinor: true } },
  payments: { where: { status: 'posted' }, orderBy: { receivedAt: 'desc' }, take: 5, select: { amountMinor: true, method: true, source: true, receivedAt: true } },
  promises: { where: { status: 'pending' }, take: 1, select: { amountMinor: true, dueDate: true } },
  cases: { where: { status: 'open' }, take: 1, select: { id: true, stage: true, nextAction: true, nextActionAt: true } },
  fieldVisits: { orderBy: { arrivedAt: 'desc' }, take: 3, select: { arrivedAt: true, contactResult: true, summary: true } },
} as const;

type AccountCardRow = Awaited<ReturnType<typeof loadCards>>[number];

function loadCards(db: Db, ids: string[]) {
  return db.account.findMany({ where: { id: { in: ids } }, select: accountCardSelect });
}

function restrictionWarning(reason: string | null): string | null {
  return reason ? `Do not visit: ${reason}` : null;
}

/** One account as the phone keeps it. Amounts are strings of minor units (exact in JSON). */
export function accountCard(row: AccountCardRow, now: Date) {
  return {
    id: row.id,
    externalRef: row.externalRef,
    currency: row.currency,
    balanceMinor: row.balanceMinor.toString(),
    creditMinor: row.creditMinor.toString(),
    daysPastDue: daysPastDue(row.oldestDueDate ? toDateOnly(row.oldestDueDate) : null, now, row.customer.timeZone),
    serviceStatus: row.serviceStatus,
    status: row.status,
    serviceAddress: row.serviceAddress,
    postalCode: row.postalCode,
    latitude: row.latitude,
    longitude: row.longitude,
    corp: row.corp,
    customer: { name: row.customer.name, type: row.customer.type, timeZone: row.customer.timeZone },
    /** Visiting would break a restriction (X1): the phone warns before the rep knocks. */
    restriction: restrictionWarning(visitRestriction(row.customer)),
    contacts: row.customer.contacts.filter((c) => c.kind !== 'address').map((c) => ({ kind: c.kind, value: c.value, label: c.label, isPrimary: c.isPrimary })),
    openInvoices: row.invoices.map((i) => ({ externalRef: i.externalRef, dueDate: toDateOnly(i.dueDate), openMinor: i.openMinor.toString() })),
    recentPayments: row.payments.map((p) => ({ amountMinor: p.amountMinor.toString(), method: p.method, source: p.source, receivedAt: p.receivedAt.toISOString() })),
    openPromise: row.promises[0] ? { amountMinor: row.promises[0].amountMinor.toString(), dueDate: toDateOnly(row.promises[0].dueDate) } : null,
    openCase: row.cases[0] ? { id: row.cases[0].id, stage: row.cases[0].stage, nextAction: row.cases[0].nextAction, nextActionAt: row.cases[0].nextActionAt?.toISOString() ?? null } : null,
    recentVisits: row.fieldVisits.map((v) => ({ arrivedAt: v.arrivedAt.toISOString(), contactResult: v.contactResult, summary: v.summary })),
    asOf: now.toISOString(),
  };
}
export type AccountCard = ReturnType<typeof accountCard>;

/** F4: the live look-up of one account, in the rep's branch. */
export async function fieldAccountLookup(db: Db, principal: Principal, accountId: string, now = new Date()): Promise<AccountCard> {
  const [row] = await loadCards(db, [accountId]);
  if (!row || !canAccessBranch(principal, row.branchId)) throw new ServiceError('not_found', 'no such account in your branch');
  return accountCard(row, now);
}

/** The rep's routes for a day (their branch's calendar; today by default), with every stop's account card. */
export async function fieldDay(db: Db, cardProcessor: CardProcessor | null, companyName: string, principal: Principal, date: string | undefined, now = new Date()) {
  if (principal.kind !== 'user') throw new ServiceError('forbidden', 'the field day belongs to a signed-in rep');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.id }, select: { id: true, name: true, branch: { select: { code: true, name: true, timeZone: true } } } });
  const day = date ?? localDate(now, user.branch?.timeZone ?? 'UTC');
  const routes = await db.fieldRoute.findMany({
    where: { repId: principal.id, serviceDate: new Date(`${day}T00:00:00Z`), status: { not: 'cancelled' } },
    orderBy: { startAt: 'asc' },
    include: { stops: { orderBy: { seq: 'asc' }, include: { task: { select: { title: true } } } } },
  });
  const cards = new Map((await loadCards(db, [...new Set(routes.flatMap((r) => r.stops.map((s) => s.accountId)))])).map((row) => [row.id, accountCard(row, now)]));
  let processor: CardClientConfig | null = null;
  // Without the key the phone cannot take cards offline; the rest of the day still works.
  if (cardProcessor) processor = await cardProcessor.clientConfig().catch(() => null);
  return {
    date: day,
    generatedAt: now.toISOString(),
    company: companyName,
    rep: { id: user.id, name: user.name, branch: user.branch },
    routes: routes.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      startAt: r.startAt.toISOString(),
      start: { latitude: r.startLatitude, longitude: r.startLongitude },
      plannedDistanceM: r.plannedDistanceM,
      plannedDurationS: r.plannedDurationS,
      stops: r.stops.map((s) => ({ id: s.id, seq: s.seq, status: s.status, plannedArrivalAt: s.plannedArrivalAt.toISOString(), legDistanceM: s.legDistanceM, legDurationS: s.legDurationS, serviceMinutes: s.serviceMinutes, purpose: s.task?.title ?? null, account: cards.get(s.accountId)! })),
    })),
    cardProcessor: processor,
  };
}

/**
 * A strong validator of the day for conditional GETs: the same whenever the content is, whatever the
 * clock (the generation time and the cards' "as of" are left out). The phone asks every minute; when
 * nothing changed the answer is 304 and no body, and the browser serves the copy it has. A payment,
 * a moved stop or a new day changes the content, hence the tag.
 */
export function dayEtag(day: Awaited<ReturnType<typeof fieldDay>>): string {
  const content = { ...day, generatedAt: undefined, routes: day.routes.map((r) => ({ ...r, stops: r.stops.map((s) => ({ ...s, account: { ...s.account, asOf: undefined } })) })) };
  return `"${createHash('sha256').update(canonicalJson(content)).digest('base64url')}"`;
}
