// C1/E2: the billing system reports a delinquent account. We upsert customer, account and invoices
// from its data, keep the balance in step, and open one case per delinquency episode. A repeated
// report changes nothing it has already recorded and never opens a second case.
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { daysPastDue, describeDaysPastDue, toDateOnly } from '../domain/ageing.ts';
import { auditedTransaction, canonicalJson, recordAudit, type Actor } from './audit.ts';
import { refreshAccountBalance, lockAccount } from './balances.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';
import { retryOnUniqueConflict } from './retry.ts';
import { openCaseEpisode } from './case-opening.ts';
import type { AccountAttributes } from '../domain/segmentation.ts';
import { segmentAccount } from './segments.ts';

export interface DelinquencyReport {
  customer: {
    externalRef: string;
    name: string;
    type: 'retail' | 'corporate';
    timeZone: string;
    /** ISO country, optionally with a region, for the contact policy (X1). */
    jurisdiction?: string;
    branchCode: string;
    contacts: Array<{ kind: 'email' | 'phone' | 'mobile' | 'address'; value: string; label?: string; isPrimary?: boolean }>;
  };
  /** `attributes`, when given, replace the account's segment attributes (S1, E4); when absent they are kept. */
  account: {
    externalRef: string;
    currency: string;
    attributes?: AccountAttributes;
    /** Where the service is (F2); when absent the stored location is kept. */
    serviceLocation?: { address: string; postalCode?: string | null; latitude?: number | null; longitude?: number | null };
    corp?: string | null;
    auditRoute?: string | null;
  };
  invoices: Array<{ externalRef: string; issuedAt: string; dueDate: string; amountMinor: bigint; openMinor: bigint }>;
}

export interface IntakeResult {
  accountId: string;
  caseId: string | null;
  workflowId: string | null;
  caseCreated: boolean;
  balanceMinor: bigint;
  daysPastDue: number;
}

export async function reportDelinquency(
  db: Db,
  workflows: CaseWorkflows,
  principal: Principal,
  actor: Actor,
  report: DelinquencyReport,
  now = new Date(),
): Promise<IntakeResult> {
  const result = await retryOnUniqueConflict(() => auditedTransaction(db, async (tx) => {
    const branch = await tx.branch.findUnique({ where: { code: report.customer.branchCode } });
    if (!branch) throw new ServiceError('unknown_branch', `no branch with code ${report.customer.branchCode}`);
    if (!canAccessBranch(principal, branch.id)) throw new ServiceError('forbidden', 'this key may not report accounts of that branch');

    const customerData = { name: report.customer.name, type: report.customer.type, timeZone: report.customer.timeZone, branchId: branch.id, ...(report.customer.jurisdiction ? { jurisdiction: report.customer.jurisdiction } : {}) };
    const customerBefore = await tx.customer.findUnique({ where: { externalRef: report.customer.externalRef }, include: { contacts: true } });
    const customer = await tx.customer.upsert({
      where: { externalRef: report.customer.externalRef },
      create: { externalRef: report.customer.externalRef, ...customerData },
      // Reported again after its record was pseudonymised (X1 retention): the new data starts a new record.
      update: { ...customerData, pseudonymisedAt: null },
    });
    const known = new Set((customerBefore?.contacts ?? []).map((c) => `${c.kind}:${c.value}`));
    const newContacts = report.customer.contacts.filter((c) => !known.has(`${c.kind}:${c.value}`));
    if (newContacts.length > 0) {
      await tx.contact.createMany({ data: newContacts.map((c) => ({ customerId: customer.id, kind: c.kind, value: c.value, label: c.label ?? '', isPrimary: c.isPrimary ?? false })) });
    }

    let account = await tx.account.findUnique({ where: { externalRef: report.account.externalRef } });
    if (account && account.customerId !== customer.id) throw new ServiceError('account_customer_mismatch', 'that account belongs to another customer');
    if (account && account.currency !== report.account.currency) throw new ServiceError('currency_mismatch', `the account is kept in ${account.currency}`);
    if (!account) {
      account = await tx.account.create({ data: { externalRef: report.account.externalRef, customerId: customer.id, branchId: branch.id, currency: report.account.currency } });
      await recordAudit(tx, actor, { action: 'account.created', entityType: 'account', entityId: account.id, accountId: account.id, after: account });
    }
    await lockAccount(tx, account.id);
    const location = fieldLocationOf(report.account);
    if (location && Object.entries(location).some(([key, value]) => account![key as keyof typeof location] !== value)) {
      const before = Object.fromEntries(Object.keys(location).map((key) => [key, account![key as keyof typeof location]]));
      account = await tx.account.update({ where: { id: account.id }, data: location });
      await recordAudit(tx, actor, { action: 'account.location_changed', entityType: 'account', entityId: account.id, accountId: account.id, before, after: location });
    }
    const attributesChanged = report.account.attributes !== undefined && canonicalJson(account.attributes) !== canonicalJson(report.account.attributes);
    if (attributesChanged) {
      await tx.account.update({ where: { id: account.id }, data: { attributes: report.account.attributes } });
      await recordAudit(tx, actor, { action: 'account.attributes_changed', entityType: 'account', entityId: account.id, accountId: account.id, before: account.attributes, after: report.account.attributes });
    }

    const customerChanged = !customerBefore || newContacts.length > 0 || (Object.keys(customerData) as Array<keyof typeof customerData>).some((k) => customerBefore[k] !== customerData[k]);
    if (customerChanged) {
      await recordAudit(tx, actor, {
        action: customerBefore ? 'customer.updated' : 'customer.created',
        entityType: 'customer',
        entityId: customer.id,
        accountId: account.id,
        before: customerBefore ? { ...pick(customerBefore, Object.keys(customerData)), contacts: customerBefore.contacts.length } : null,
        after: { ...customerData, contactsAdded: newContacts },
      });
    }

    const existing = new Map((await tx.invoice.findMany({ where: { accountId: account.id } })).map((i) => [i.externalRef, i]));
    const changedBefore: unknown[] = [];
    const changedAfter: unknown[] = [];
    for (const invoice of report.invoices) {
      const data = {
        issuedAt: new Date(`${invoice.issuedAt}T00:00:00Z`),
        dueDate: new Date(`${invoice.dueDate}T00:00:00Z`),
        amountMinor: invoice.amountMinor,
        openMinor: invoice.openMinor,
        status: invoice.openMinor > 0n ? ('open' as const) : ('paid' as const),
      };
      const previous = existing.get(invoice.externalRef);
      // A repeated report of the same invoice writes nothing.
      if (previous && previous.issuedAt.getTime() === data.issuedAt.getTime() && previous.dueDate.getTime() === data.dueDate.getTime() && previous.amountMinor === data.amountMinor && previous.openMinor === data.openMinor && previous.status === data.status) continue;
      await tx.invoice.upsert({
        where: { accountId_externalRef: { accountId: account.id, externalRef: invoice.externalRef } },
        create: { accountId: account.id, externalRef: invoice.externalRef, ...data },
        update: data,
      });
      changedBefore.push(previous ? { externalRef: previous.externalRef, dueDate: previous.dueDate, amountMinor: previous.amountMinor, openMinor: previous.openMinor, status: previous.status } : null);
      changedAfter.push({ externalRef: invoice.externalRef, ...data });
    }
    if (changedAfter.length > 0) {
      await recordAudit(tx, actor, { action: 'invoices.synced', entityType: 'account', entityId: account.id, accountId: account.id, before: changedBefore, after: changedAfter });
    }
    const { balanceMinor, oldestDueDate } = await refreshAccountBalance(tx, account.id);
    const dpd = daysPastDue(oldestDueDate ? toDateOnly(oldestDueDate) : null, now, customer.timeZone);

    const openCase = await tx.collectionCase.findFirst({ where: { accountId: account.id, status: 'open' } });
    // Segmentation runs when a case opens, and again whenever a report changes the facts it uses.
    const segmentFacts = { customerType: customer.type, balanceMinor, branchCode: branch.code, daysPastDue: dpd, attributes: (report.account.attributes ?? account.attributes ?? {}) as AccountAttributes, currency: account.currency };
    const opensCase = !openCase && balanceMinor > 0n && dpd > 0;
    const segment = opensCase || attributesChanged || customerChanged || balanceMinor !== account.balanceMinor ? await segmentAccount(tx, actor, account, segmentFacts) : null;
    if (!opensCase) {
      return { accountId: account.id, openCase, balanceMinor, dpd, created: false, currency: account.currency };
    }
    const created = await openCaseEpisode(tx, actor, { account, customer, branch, balanceMinor, dpd, segment, summary: `Reported delinquent by billing: ${describeDaysPastDue(dpd)}` });
    return { accountId: account.id, openCase: created, balanceMinor, dpd, created: true, currency: account.currency };
  }));

  const theCase = result.openCase;
  if (theCase) {
    // Signal-with-start: a new case starts; a running one re-reads the facts this report changed; and if
    // an earlier start failed after its commit, this one repairs it.
    await workflows.reportCase(theCase.workflowId, { caseId: theCase.id, accountId: result.accountId, episode: theCase.episode, currency: result.currency });
  }
  return {
    accountId: result.accountId,
    caseId: theCase?.id ?? null,
    workflowId: theCase?.workflowId ?? null,
    caseCreated: result.created,
    balanceMinor: result.balanceMinor,
    daysPastDue: result.dpd,
  };
}

function pick<T extends object>(value: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => keys.includes(k))) as Partial<T>;
}

/** The field-visit facts a report carries (F2): only those it names; absent ones keep what is stored. */
function fieldLocationOf(account: DelinquencyReport['account']): Partial<{ serviceAddress: string; postalCode: string | null; latitude: number | null; longitude: number | null; corp: string | null; auditRoute: string | null }> | null {
  const location: Partial<{ serviceAddress: string; postalCode: string | null; latitude: number | null; longitude: number | null; corp: string | null; auditRoute: string | null }> = {};
  if (account.serviceLocation) {
    location.serviceAddress = account.serviceLocation.address;
    if (account.serviceLocation.postalCode !== undefined) location.postalCode = account.serviceLocation.postalCode;
    if (account.serviceLocation.latitude !== undefined) location.latitude = account.serviceLocation.latitude;
    if (account.serviceLocation.longitude !== undefined) location.longitude = account.serviceLocation.longitude;
  }
  if (account.corp !== undefined) location.corp = account.corp;
  if (account.auditRoute !== undefined) location.auditRoute = account.auditRoute;
  return Object.keys(location).length ? location : null;
}
