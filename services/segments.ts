// Segments as admins define them (S1, E4) and the account's place in one: segmentation runs when a
// case opens and again when a later report changes the account's facts; a change of segment (or of
// the reason) is recorded on the account and audited. A running case keeps the strategy version it
// pinned when it opened; the new segment's strategy applies from the next case. Also the proposals
// the system makes from the data (C2).
import type { Db, Prisma } from '../platform/db/client.ts';
import { segmentCriteriaSchema, segmentFor, type AccountAttributes, type AccountFacts, type SegmentCriteria } from '../domain/segmentation.ts';
import { proposeSegments, type SegmentProposal } from '../domain/segment-proposals.ts';
import { daysPastDue, toDateOnly } from '../domain/ageing.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';

/**
 * Puts the account in the first segment its facts match and returns that segment with its active
 * strategy versions. Stored criteria that no longer parse are skipped rather than stop the intake.
 * With no match the account keeps its segment (a segment set by hand is not undone by a report).
 */
export async function segmentAccount(
  tx: Prisma.TransactionClient,
  actor: Actor,
  account: { id: string; segmentId: string | null; segmentReason: string | null },
  facts: AccountFacts,
) {
  const segments = await tx.segment.findMany({ where: { active: true }, include: { strategies: { where: { status: 'active' }, select: { id: true, trafficPercent: true } } } });
  const match = segmentFor(segmentRules(segments), facts);
  if (!match) return null;
  const segment = segments.find((sg) => sg.id === match.segment.id)!;
  if (segment.id !== account.segmentId || match.reason !== account.segmentReason) {
    const previous = account.segmentId ? await tx.segment.findUnique({ where: { id: account.segmentId }, select: { code: true } }) : null;
    await tx.account.update({ where: { id: account.id }, data: { segmentId: segment.id, segmentReason: match.reason } });
    await recordAudit(tx, actor, {
      action: 'account.segmented',
      entityType: 'account',
      entityId: account.id,
      accountId: account.id,
      before: { segmentId: account.segmentId, segment: previous?.code ?? null, reason: account.segmentReason },
      after: { segmentId: segment.id, segment: segment.code, reason: match.reason },
    });
  }
  return segment;
}

/**
 * S1, E4 "again when facts change": the account's facts as they stand now — balance after a payment,
 * a reversal, an adjustment or a dispute, days past due today, the attributes billing reported —
 * segmented again, in the caller's transaction. A change (or a new reason) is recorded and audited
 * like any segmentation; the running case keeps the strategy version it pinned.
 */
export async function resegmentAccount(tx: Prisma.TransactionClient, actor: Actor, accountId: string, now = new Date()) {
  const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: accountFactsSelect });
  return segmentAccount(tx, actor, account, accountFactsOf(account, now));
}

/** Stored segments as rules; criteria that no longer parse are skipped rather than stop segmentation. */
export function segmentRules(segments: ReadonlyArray<{ id: string; code: string; priority: number; criteria: Prisma.JsonValue }>) {
  return segments.flatMap((sg) => {
    const criteria = segmentCriteriaSchema.safeParse(sg.criteria);
    return criteria.success ? [{ id: sg.id, code: sg.code, priority: sg.priority, criteria: criteria.data }] : [];
  });
}

/** What an account's segmentation reads, and how: `accountFactsOf` turns the row into the facts at `now`. */
export const accountFactsSelect = { id: true, segmentId: true, segmentReason: true, balanceMinor: true, currency: true, oldestDueDate: true, attributes: true, customer: { select: { type: true, timeZone: true } }, branch: { select: { code: true } } } as const;

export function accountFactsOf(account: Prisma.AccountGetPayload<{ select: typeof accountFactsSelect }>, now: Date): AccountFacts {
  const dpd = daysPastDue(account.oldestDueDate ? toDateOnly(account.oldestDueDate) : null, now, account.customer.timeZone);
  return { customerType: account.customer.type, balanceMinor: account.balanceMinor, branchCode: account.branch.code, daysPastDue: dpd, attributes: (account.attributes ?? {}) as AccountAttributes, currency: account.currency };
}

export interface SegmentInput {
  code: string;
  name: string;
  description?: string;
  priority: number;
  active?: boolean;
  criteria: SegmentCriteria;
}

const segmentAudit = (s: { code: string; name: string; description: string; priority: number; active: boolean; criteria: unknown }) => ({ code: s.code, name: s.name, description: s.description, priority: s.priority, active: s.active, criteria: s.criteria });

export async function createSegment(db: Db, actor: Actor, input: SegmentInput) {
  const criteria = segmentCriteriaSchema.parse(input.criteria);
  return auditedTransaction(db, async (tx) => {
    if (await tx.segment.findUnique({ where: { code: input.code } })) throw new ServiceError('conflict', `a segment with code ${input.code} exists`);
    const created = await tx.segment.create({
      data: { code: input.code, name: input.name, description: input.description ?? '', priority: input.priority, active: input.active ?? true, customerType: criteria.customerType ?? null, criteria },
    });
    await recordAudit(tx, actor, { action: 'segment.created', entityType: 'segment', entityId: created.id, after: segmentAudit(created) });
    return created;
  });
}

export async function updateSegment(db: Db, actor: Actor, id: string, input: Partial<Omit<SegmentInput, 'code'>>) {
  const criteria = input.criteria === undefined ? undefined : segmentCriteriaSchema.parse(input.criteria);
  return auditedTransaction(db, async (tx) => {
    const before = await tx.segment.findUnique({ where: { id } });
    if (!before) throw new ServiceError('not_found', 'no such segment');
    const updated = await tx.segment.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(criteria !== undefined ? { criteria, customerType: criteria.customerType ?? null } : {}),
      },
    });
    await recordAudit(tx, actor, { action: 'segment.updated', entityType: 'segment', entityId: id, before: segmentAudit(before), after: segmentAudit(updated) });
    return updated;
  });
}

/** Segments proposed from the delinquent accounts in one currency (the most common one by default). */
export async function segmentProposals(db: Db, options: { currency?: string; now?: Date } = {}): Promise<{ currency: string | null; accountsConsidered: number; proposals: SegmentProposal[] }> {
  let currency = options.currency ?? null;
  if (!currency) {
    const byCurrency = await db.account.groupBy({ by: ['currency'], where: { balanceMinor: { gt: 0 } }, _count: { _all: true } });
    currency = byCurrency.sort((a, b) => b._count._all - a._count._all || a.currency.localeCompare(b.currency))[0]?.currency ?? null;
  }
  if (!currency) return { currency: null, accountsConsidered: 0, proposals: [] };
  const now = options.now ?? new Date();
  const accounts = await db.account.findMany({
    where: { currency, balanceMinor: { gt: 0 } },
    select: { balanceMinor: true, oldestDueDate: true, customer: { select: { type: true, timeZone: true } } },
  });
  const facts = accounts.map((a) => ({
    customerType: a.customer.type,
    balanceMinor: a.balanceMinor,
    daysPastDue: daysPastDue(a.oldestDueDate ? toDateOnly(a.oldestDueDate) : null, now, a.customer.timeZone),
  }));
  return { currency, accountsConsidered: facts.length, proposals: proposeSegments(facts, currency) };
}
