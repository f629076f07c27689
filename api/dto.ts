// Maps database rows to the API's JSON shapes (api/schemas.ts): money as safe integers with
// currency, dates as ISO strings, days past due computed in the customer's time zone.
import { ageingBucket, daysPastDue, toDateOnly } from '../domain/ageing.ts';
import { minorToNumber } from '../domain/money.ts';
import { stagesBeforeLegal, storedStrategySchema } from '../domain/strategy.ts';
import { referenceStrategyS5 } from '../domain/reference-strategies.ts';
import { temporalWorkflowUrl } from '../platform/temporal.ts';
import type { getAccountDetail, listAccounts } from '../services/account-queries.ts';
import type { CaseComplianceView } from '../domain/case-compliance.ts';

type SummaryRow = Awaited<ReturnType<typeof listAccounts>>['items'][number];
type DetailRow = Awaited<ReturnType<typeof getAccountDetail>>;

const moneyOf = (amountMinor: bigint, currency: string) => ({ amountMinor: minorToNumber(amountMinor), currency });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function accountSummaryDto(row: SummaryRow, now = new Date()) {
  const oldest = row.oldestDueDate ? toDateOnly(row.oldestDueDate) : null;
  const latestCase = row.cases[0];
  const days = row.balanceMinor > 0n ? daysPastDue(oldest, now, row.customer.timeZone) : 0;
  return {
    id: row.id,
    externalRef: row.externalRef,
    customer: { id: row.customer.id, name: row.customer.name, type: row.customer.type },
    branch: row.branch,
    segment: row.segment,
    status: row.status,
    serviceStatus: row.serviceStatus,
    balance: moneyOf(row.balanceMinor, row.currency),
    daysPastDue: days,
    ageingBucket: ageingBucket(days),
    oldestDueDate: oldest,
    case: latestCase ? { id: latestCase.id, status: latestCase.status, stage: latestCase.stage } : null,
  };
}

/** `latestCaseCompliance`: X1 facts of the newest case (services/case-compliance.ts), shown on its case card. */
export function accountDetailDto(row: DetailRow, temporal: { uiUrl: string | undefined; namespace: string }, now = new Date(), latestCaseCompliance: CaseComplianceView | null = null) {
  const tz = row.customer.timeZone;
  return {
    ...accountSummaryDto(row as unknown as SummaryRow, now),
    segmentReason: row.segmentReason,
    attributes: (row.attributes ?? {}) as Record<string, unknown>,
    customer: {
      id: row.customer.id,
      externalRef: row.customer.externalRef,
      name: row.customer.name,
      type: row.customer.type,
      timeZone: tz,
      contacts: row.customer.contacts.map((c) => ({ id: c.id, kind: c.kind, value: c.value, label: c.label, isPrimary: c.isPrimary, optedOut: c.optedOut })),
      contactRestrictions: { ceaseCommunicationAt: iso(row.customer.ceaseCommunicationAt), attorneyRepresentedAt: iso(row.customer.attorneyRepresentedAt), attorneyDetails: row.customer.attorneyDetails },
    },
    credit: moneyOf(row.creditMinor, row.currency),
    invoices: row.invoices.map((i) => ({
      id: i.id,
      externalRef: i.externalRef,
      issuedAt: toDateOnly(i.issuedAt),
      dueDate: toDateOnly(i.dueDate),
      amount: moneyOf(i.amountMinor, row.currency),
      open: moneyOf(i.openMinor, row.currency),
      status: i.status,
      daysPastDue: i.openMinor > 0n ? daysPastDue(toDateOnly(i.dueDate), now, tz) : 0,
    })),
    payments: row.payments.map((p) => ({
      id: p.id,
      externalRef: p.externalRef,
      amount: moneyOf(p.amountMinor, p.currency),
      method: p.method,
      source: p.source,
      receivedAt: p.receivedAt.toISOString(),
      status: p.status,
      unapplied: moneyOf(p.unappliedMinor, p.currency),
      reversedAt: iso(p.reversedAt),
      reversalReason: p.reversalReason,
    })),
    cases: row.cases.map((c) => ({
      id: c.id,
      episode: c.episode,
      workflowId: c.workflowId,
      status: c.status,
      stage: c.stage,
      closeReason: c.closeReason,
      openedAt: c.openedAt.toISOString(),
      closedAt: iso(c.closedAt),
      nextAction: c.nextAction,
      nextActionAt: iso(c.nextActionAt),
      stagesBeforeLegal: c.stage === 'closed' ? null : stagesBeforeLegal(c.strategy ? storedStrategySchema.parse(c.strategy.definition) : referenceStrategyS5, c.stage),
      temporalUrl: temporalWorkflowUrl(temporal.uiUrl, temporal.namespace, c.workflowId),
      compliance: c.id === row.cases[0]?.id ? latestCaseCompliance : null,
    })),
    promises: row.promises.map((p) => ({
      id: p.id,
      amount: moneyOf(p.amountMinor, p.currency),
      dueDate: toDateOnly(p.dueDate),
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      instalments: p.instalments.length ? p.instalments.map((i) => ({ dueDate: toDateOnly(i.dueDate), amount: moneyOf(i.amountMinor, p.currency), status: i.status })) : null,
    })),
    activities: row.activities.map((a) => ({ id: a.id, kind: a.kind, direction: a.direction, summary: a.summary, outcome: a.outcome, occurredAt: a.occurredAt.toISOString(), user: a.user })),
  };
}

type WorkStateRow = Awaited<ReturnType<typeof import('../services/work-serving.ts').workStateOf>>;

export function workStateDto(work: WorkStateRow) {
  return {
    leasedBy: work.leasedBy ? { ...work.leasedBy, since: work.leasedBy.since.toISOString(), expiresAt: work.leasedBy.expiresAt.toISOString() } : null,
    lastWorked: work.lastWorked ? { ...work.lastWorked, at: work.lastWorked.at.toISOString() } : null,
    postponedUntil: work.postponedUntil?.toISOString() ?? null,
    postponedFor: work.postponedFor,
    allocatedTo: work.allocatedTo,
  };
}
